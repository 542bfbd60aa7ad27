"""Writes the log of who viewed a pupil's named record (``models.RecordView``), a batch at a time.

The pages collect their views in memory and hand them over every few seconds
(``dashboard.read_log``), so a page run costs no write. A batch is one transaction: all its
rows or none, so a failed write can be retried whole without doubling any row.

These rows are an access log, not case data: they go in by a plain INSERT, which the audit
trail does not record (it records changes to case data, and a read changes none), and they
move no change marker (``change_scopes.NOT_CASE_DATA``), so a co-ordinator reading a list
leaves every cached page warm. A view of a pupil whose row has gone since (none is deleted
today; a restore could) is dropped, as there is no record left to have been viewed.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from ..db import write_session
from ..models import Pupil, RecordView

__all__ = ["View", "record_views"]

#: The write session's name for these writes (nothing is audited under it).
WRITER = "read log"


@dataclass(frozen=True)
class View:
    """``actor`` saw pupil ``pupil_id``'s name on ``page`` at ``at`` (UTC), by ``kind``
    ("names shown" or "download")."""

    at: datetime
    actor: str
    pupil_id: int
    page: str
    kind: str


def record_views(engine: Engine, views: Sequence[View]) -> int:
    """Store ``views`` in one transaction; the number stored (views of vanished pupils are
    dropped)."""
    if not views:
        return 0
    wanted = sorted({view.pupil_id for view in views})
    with write_session(WRITER, engine) as session:
        existing = set(session.scalars(select(Pupil.id).where(Pupil.id.in_(wanted))))
        rows = [asdict(view) for view in views if view.pupil_id in existing]
        if rows:
            session.execute(insert(RecordView), rows)
    return len(rows)
