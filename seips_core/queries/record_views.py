"""Who viewed one pupil's named record, as the case history and the subject access bundle show it.

Least data: who, when, on which page, and how (names on screen or a download), never what
they saw. Only chairs and county admins read it, as they read the audit trail (a co-ordinator
does not learn which colleagues looked); a chair only for a pupil of a partnership they chair
(``in_scope``, R2), a county admin for any.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from ..auth.local_time import COUNTY_TIME
from ..auth.roles import Actor, Capability, require
from ..auth.scope import in_scope
from ..models import Pupil, RecordView

__all__ = ["RecordViewRow", "views_of_pupil"]


@dataclass(frozen=True)
class RecordViewRow:
    """One view: ``at`` on the UK clock, ``actor`` as the audit trail names people."""

    at: datetime
    actor: str
    page: str
    #: "names shown" or "download" (``models.choices.VIEW_KINDS``).
    kind: str


def views_of_pupil(
    session: Session, actor: Actor, pupil_id: int, *, limit: int | None = None
) -> list[RecordViewRow]:
    """Every recorded view of pupil ``pupil_id``'s named record, newest first (``limit``: the
    newest that many). Another partnership's pupil is refused (``NotAllowed``), a pupil that
    does not exist too (``InvalidValue``), rather than answered with an empty list."""
    require(actor, Capability.VIEW_AUDIT, doing="see who viewed a pupil's record")
    in_scope(session, actor, Pupil, pupil_id)
    query = (
        select(RecordView.at, RecordView.actor, RecordView.page, RecordView.kind)
        .where(RecordView.pupil_id == pupil_id)
        .order_by(RecordView.at.desc(), RecordView.id.desc())
        .limit(limit)
    )
    return [
        RecordViewRow(at.astimezone(COUNTY_TIME), who, page, kind)
        for at, who, page, kind in session.execute(query)
    ]
