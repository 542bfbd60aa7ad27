"""Cheap numbers that change whenever what a page shows may have, for the pages' caches.

Each is an audit id kept in the ``change_marker`` table by ``seips_core.change_scopes`` in
the same transaction as the write: one row per partnership, one (scope 0) for the county-wide
facts. Accounts are not case data: a sign-in (which records its time and resets the
wrong-password count) moves no marker, so it never throws away the pages' cached figures.
"""

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import func, select
from sqlmodel import Session

from ..change_scopes import COUNTY
from ..models import ChangeMarker, Meeting, Partnership


@dataclass(frozen=True)
class OfMeeting:
    """The scope of an answer about one meeting: its partnership's."""

    meeting_id: int


class CountyFacts(Enum):
    """The scope of an answer resting on county-wide facts alone (R8's and R10's providers)."""

    ONLY = "county-wide facts"


#: What an answer rests on: a partnership (its code), a meeting's partnership, the county-wide
#: facts alone, or (None) the whole store: the county, or several partnerships.
Scope = str | OfMeeting | CountyFacts | None


@dataclass(frozen=True)
class Markers:
    """Every marker at one moment: read together, so that answers keyed on different scopes
    from one snapshot (a county view composed of partnerships' answers) agree."""

    county: int
    #: Partnership code -> its marker (absent: never written to, 0).
    partnerships: dict[str, int]
    #: The newest marker of all, including those of partnerships since deleted.
    newest: int

    def of(self, scope: str | CountyFacts | None) -> int | tuple[int, int]:
        """What moves whenever an answer with ``scope`` may change: a partnership's marker
        with the county's, the county's alone, or the newest of all."""
        if scope is None:
            return self.newest
        if scope is CountyFacts.ONLY:
            return self.county
        return self.partnerships.get(scope, 0), self.county


def markers(session: Session) -> Markers:
    """The whole ``change_marker`` table with the partnerships' codes: one row per
    partnership at most, read in one statement."""
    rows = session.execute(
        select(ChangeMarker.scope, Partnership.code, ChangeMarker.audit_id).outerjoin(
            Partnership, Partnership.id == ChangeMarker.scope
        )
    ).all()
    return Markers(
        county=next((marker for scope, _, marker in rows if scope == COUNTY), 0),
        partnerships={code: marker for _, code, marker in rows if code is not None},
        newest=max((marker for *_, marker in rows), default=0),
    )


def change_marker(session: Session) -> int:
    """The newest marker of all (0 for a store never written to): it moves with every write
    of case data anywhere."""
    return session.scalar(select(func.coalesce(func.max(ChangeMarker.audit_id), 0)))


def meeting_partnership(session: Session, meeting_id: int) -> str | None:
    """The code of meeting ``meeting_id``'s partnership (None: no such meeting)."""
    return session.scalar(
        select(Partnership.code)
        .join(Meeting, Meeting.partnership_id == Partnership.id)
        .where(Meeting.id == meeting_id)
    )
