"""Imports a folder of CSV files or an Excel workbook: every row in one transaction, or none.

Reading and validation come first, outside the write transaction (the stored keys are read in a
read session), so a long import does not hold the store's write lock while it parses: on SQLite
a meeting's attendance ticks carry on meanwhile. Any problem refuses the whole import before a
row is written. The rows then go in file by file, in ``FORMATS`` order, each file as one bulk
insert that returns the ids later files point at, and each row gets its audit entry through
``audit.append_entries`` in the same transaction (a bulk insert bypasses the ORM's audit hook).
A key another writer stored between the check and the write makes the database refuse the
insert; the import is then checked again against the store as it is now, so that the refusal
names the clashing rows, and nothing is written.
"""

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, RowMapping, Table, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, SQLModel

from ..audit import append_entries
from ..db import read_session, write_session
from ..store_kind import StoreKind, check_kind, record_kind
from .formats import FORMATS, FORMATS_BY_NAME, ChildRows, Column, FileFormat
from .problems import ImportRefused, Problem
from .reading import Table as TextTable
from .reading import read_tables
from .validate import Checked, NewRow, ParsedRow, StoredRow, check_import


def import_path(path: Path, engine: Engine, *, actor: str) -> dict[str, int]:
    """Add the rows at ``path``; the rows added per file, or ``ImportRefused`` and no change.

    ``WrongStore`` for a demo store: real data never goes into one. The first import into a
    new store makes it a real store.
    """
    with read_session(engine) as session:
        check_kind(session, StoreKind.REAL)
    tables, problems = read_tables(path)
    checked = _check(tables, engine)
    problems += checked.problems
    if problems:
        raise ImportRefused(problems)
    try:
        return _write(checked.rows, engine, actor)
    except IntegrityError as error:
        # Another writer stored a clashing key (or removed a row pointed at) meanwhile.
        again = _check(tables, engine).problems
        raise ImportRefused(again or [_database_refused(path, error)]) from error
    except SQLAlchemyError as error:
        raise ImportRefused([_database_refused(path, error)]) from error


def _check(tables: list[TextTable], engine: Engine) -> Checked:
    """Validate against the keys stored now, read in a read session: no write lock is held."""
    with read_session(engine) as session:
        stored = stored_keys(session)
    return check_import(tables, stored)


def _database_refused(path: Path, error: SQLAlchemyError) -> Problem:
    reason = str(getattr(error, "orig", None) or error).splitlines()[0]
    return Problem(path.name, None, None, f"the database refused the rows: {reason}")


def _write(rows_by_file: dict[str, list[ParsedRow]], engine: Engine, actor: str) -> dict[str, int]:
    """The one write transaction: the store becomes (or stays) a real store, then every row."""
    with write_session(actor, engine) as session:
        record_kind(session, StoreKind.REAL)
        return _insert(session, rows_by_file, actor)


def stored_keys(session: Session) -> dict[str, dict[tuple, int]]:
    """The key of every stored row of every file → its id, in the form validation compares."""
    return {fmt.name: _keys_of(session, fmt) for fmt in FORMATS}


def _keys_of(session: Session, fmt: FileFormat) -> dict[tuple, int]:
    table = fmt.model.__table__
    columns = [fmt.column(name) for name in fmt.key]
    attributes = [table.c[column.attribute] for column in columns if column.attribute]
    records = session.execute(select(table.c.id, *attributes)).mappings()
    return {tuple(_key_part(fmt, c, record) for c in columns): record["id"] for record in records}


def _key_part(fmt: FileFormat, column: Column, record: RowMapping) -> object:
    if column.attribute is None:
        return fmt.stored_ref(record["id"])
    value = record[column.attribute]
    return StoredRow(value) if column.refers_to else value


def _insert(
    session: Session, rows_by_file: dict[str, list[ParsedRow]], actor: str
) -> dict[str, int]:
    at = datetime.now(UTC)
    ids: dict[str, list[int]] = {}
    for name, rows in rows_by_file.items():
        fmt = FORMATS_BY_NAME[name]
        values = [_attributes(fmt, row, ids) for row in rows]
        ids[name] = _bulk_insert(session, fmt.model, values, actor, at)
        if fmt.child is not None:
            children = _child_values(fmt.child, rows, ids[name])
            _bulk_insert(session, fmt.child.model, children, actor, at)
    return {name: len(rows) for name, rows in rows_by_file.items()}


def _bulk_insert(
    session: Session, model: type[SQLModel], values: list[dict], actor: str, at: datetime
) -> list[int]:
    """Insert rows of ``model`` in one executemany; their new ids, in the rows' order.

    Each row is audited as the ORM hook would have: every column, defaults included.
    """
    if not values:
        return []
    table: Table = model.__table__
    blank = {column.name: None for column in table.columns if column.name != "id"}
    blank |= {c.name: c.default.arg for c in table.columns if c.default is not None}
    rows = [blank | row for row in values]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    new_ids = list(session.execute(statement, rows).scalars())
    append_entries(
        session,
        [
            {
                "at": at,
                "actor": actor,
                "action": "insert",
                "table_name": table.name,
                "row_id": row_id,
                "before": None,
                "after": json.dumps(row | {"id": row_id}, sort_keys=True, default=_plain),
            }
            for row, row_id in zip(rows, new_ids, strict=True)
        ],
    )
    return new_ids


def _plain(value: object) -> str:
    """A value as the audit trail writes it: dates in ISO form, amounts as exact text."""
    return value.isoformat() if isinstance(value, date) else str(value)


def _attributes(fmt: FileFormat, row: ParsedRow, ids: dict[str, list[int]]) -> dict[str, object]:
    """The model's attributes for a validated row, references turned into ids."""

    def stored(value: object) -> object:
        if isinstance(value, NewRow):
            return ids[value.file][value.index]
        if isinstance(value, StoredRow):
            return value.id
        return value

    return {c.attribute: stored(row.values[c.name]) for c in fmt.columns if c.attribute}


def _child_values(child: ChildRows, rows: list[ParsedRow], parent_ids: list[int]) -> list[dict]:
    return [
        {child.parent_attribute: parent_id, child.value_attribute: word}
        for row, parent_id in zip(rows, parent_ids, strict=True)
        for word in row.values[child.column]
    ]
