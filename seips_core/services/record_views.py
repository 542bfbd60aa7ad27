"""Writes the log of who viewed a pupil's named record (``models.RecordView``), a batch at a time.

The pages collect their views in memory and hand them over every few seconds
(``dashboard.read_log``), so a page run costs no write. A batch is one transaction: all its
rows or none, so a failed write can be retried whole without doubling any row.

These rows are an access log, not case data: they go in by a plain INSERT, which the audit
trail does not record (it records changes to case data, and a read changes none), and they
move no change marker (``change_scopes.NOT_CASE_DATA``), so a co-ordinator reading a list
leaves every cached page warm.

A page knows its pupils by case reference (what every label starts with), so a view names
the pupil by it; the batch finds their ids in one read per thousand. A view of a case
reference that names no pupil now (none is deleted today; a restore could) is dropped, as
there is no record left to have been viewed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from ..db import write_session
from ..models import Pupil, RecordView

__all__ = ["View", "record_views"]

#: The write session's name for these writes (nothing is audited under it).
WRITER = "read log"
#: Case references looked up at once (well inside every engine's limit of bound values).
CHUNK = 1000


@dataclass(frozen=True)
class View:
    """``actor`` saw the name of the pupil of case ``case_ref`` on ``page`` at ``at`` (UTC), by
    ``kind`` ("names shown" or "download")."""

    at: datetime
    actor: str
    case_ref: str
    page: str
    kind: str


def record_views(engine: Engine, views: Sequence[View]) -> int:
    """Store ``views`` in one transaction; the number stored (views of vanished pupils are
    dropped)."""
    if not views:
        return 0
    wanted = sorted({view.case_ref for view in views})
    with write_session(WRITER, engine) as session:
        pupil_ids: dict[str, int] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found = session.execute(
                select(Pupil.case_ref, Pupil.id).where(Pupil.case_ref.in_(chunk))
            )
            pupil_ids.update((case_ref, id_) for case_ref, id_ in found)
        rows = [
            {
                "at": view.at,
                "actor": view.actor,
                "pupil_id": pupil_ids[view.case_ref],
                "page": view.page,
                "kind": view.kind,
            }
            for view in views
            if view.case_ref in pupil_ids
        ]
        if rows:
            session.execute(insert(RecordView), rows)
    return len(rows)
