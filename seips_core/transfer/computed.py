"""The import's last step, and the export's computed columns: facts the store computes (R5,
R13a), never taken from a cell (``derived``; ``formats.Computed``).

History may break rules, and is imported and flagged; but a fact that follows from other facts
is computed from them. An import therefore ends, in its write transaction and after every
insert, with ``settle_imported``: it computes R13a for the decisions the import touched, then
checks each filled computed cell against the store's value. A contradiction refuses the whole
import (the facts it follows from, an invitation or a home LA, are then likely wrong or
missing), reported like any other problem; these problems come only once the rest of the
import is clean, since they need the rows in the store.
"""

from collections.abc import Collection, Iterator, Mapping

from sqlmodel import Session

from ..derived import decisions_at, refresh_enforceability
from ..models import Meeting
from ..queries.meetings import CHUNK
from .formats import FORMATS_BY_NAME, INVITATIONS, Column, FileFormat
from .problems import ImportRefused, Problem
from .validate import ParsedRow, StoredRow


def settle_imported(
    session: Session, rows_by_file: Mapping[str, list[ParsedRow]], ids: Mapping[str, list[int]]
) -> None:
    """Compute what follows from the rows just inserted (``ids``: each file's new row ids, in
    the order of its ``rows_by_file``), then refuse the import (``ImportRefused``) if a filled
    computed cell contradicts it.

    R13a is computed for every imported decision, and for the decisions of stored meetings not
    yet signed off that the import added invitations to (as ``set_notified`` does).
    """
    invited = {
        meeting.id
        for row in rows_by_file.get(INVITATIONS.name, ())
        if isinstance(meeting := row.values["meeting"], StoredRow)
    }
    reopened = (
        decisions_at(session, Meeting.id.in_(invited), Meeting.status != "closed")
        if invited
        else []
    )
    refresh_enforceability(session, [*ids.get("decisions", ()), *reopened])
    problems = [
        problem
        for name, rows in rows_by_file.items()
        for problem in _contradictions(session, FORMATS_BY_NAME[name], rows, ids[name])
    ]
    if problems:
        raise ImportRefused(problems)


def computed_values(
    session: Session, fmt: FileFormat, column: Column, row_ids: Collection[int] | None = None
) -> dict[int, object]:
    """Row id → the store's value of ``column``, for ``row_ids`` (None: every row)."""
    query = column.computed.values()
    if row_ids is None:
        return dict(session.execute(query).all())
    ids = sorted(row_ids)
    found: dict[int, object] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found |= dict(session.execute(query.where(fmt.model.id.in_(chunk))).all())
    return found


def _contradictions(
    session: Session, fmt: FileFormat, rows: list[ParsedRow], row_ids: list[int]
) -> Iterator[Problem]:
    for column in fmt.columns:
        if column.computed is None:
            continue
        filled = {row_id: row for row, row_id in zip(rows, row_ids, strict=True)
                  if row.texts[column.name]}  # fmt: skip
        if not filled:
            continue
        for row_id, value in computed_values(session, fmt, column, filled).items():
            row = filled[row_id]
            if row.values[column.name] != value:
                shown = "blank" if value is None else column.cell.format(value)
                yield Problem(
                    row.file,
                    row.number,
                    column.name,
                    f"{column.rule}: the store computes {shown} from {column.computed.source}, "
                    f"not {row.texts[column.name]}: leave the cell blank, or put right what it "
                    "follows from.",
                )
