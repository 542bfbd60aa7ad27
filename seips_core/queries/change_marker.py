"""Cheap numbers that change whenever what a page shows may have, for the pages' caches.

Each is an audit id kept in the ``change_marker`` table by ``seips_core.change_scopes`` in
the same transaction as the write: one row per partnership, one (scope 0) for the county-wide
facts. Accounts are not case data: a sign-in (which records its time and resets the
wrong-password count) moves no marker, so it never throws away the pages' cached figures.
"""

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import ScalarSelect, case, func, or_, select
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


def change_marker(session: Session) -> int:
    """The newest marker of all (0 for a store never written to): it moves with every write
    of case data anywhere, for answers about the whole county or several partnerships."""
    return session.scalar(select(func.coalesce(func.max(ChangeMarker.audit_id), 0)))


def county_marker(session: Session) -> int:
    """The county-wide facts' marker alone (providers, placements, settings...)."""
    newest = select(ChangeMarker.audit_id).where(ChangeMarker.scope == COUNTY)
    return session.scalar(newest) or 0


def scope_marker(session: Session, scope: Scope) -> int | tuple[int, int]:
    """The marker(s) that move whenever an answer with this ``scope`` may change."""
    if scope is None:
        return change_marker(session)
    if scope is CountyFacts.ONLY:
        return county_marker(session)
    if isinstance(scope, OfMeeting):
        meeting = select(Meeting.partnership_id).where(Meeting.id == scope.meeting_id)
        return _partnership_marker(session, meeting.scalar_subquery())
    return _partnership_marker(
        session, select(Partnership.id).where(Partnership.code == scope).scalar_subquery()
    )


def _partnership_marker(session: Session, partnership: ScalarSelect) -> tuple[int, int]:
    """The partnership's marker and the county-wide one: together they move whenever an
    answer about that partnership alone may change. One read of two rows by primary key."""

    def newest_of(scope) -> object:
        return func.coalesce(func.max(case((scope, ChangeMarker.audit_id))), 0)

    row = session.execute(
        select(
            newest_of(ChangeMarker.scope == partnership), newest_of(ChangeMarker.scope == COUNTY)
        ).where(or_(ChangeMarker.scope == COUNTY, ChangeMarker.scope == partnership))
    ).one()
    return row[0], row[1]
