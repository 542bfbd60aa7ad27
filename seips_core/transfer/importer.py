"""Imports a folder of CSV files or an Excel workbook: every row in one transaction, or none.

Everything is validated first, inside the write transaction (so on SQLite no other writer can
add a clashing key meanwhile); any problem refuses the whole import before a row is written.
Rows then go in file by file, in ``FORMATS`` order, each flush giving the ids that later files
point at, and each insert audited as ``actor`` by ``db.write_session``.
"""

from pathlib import Path

from sqlalchemy import Engine, RowMapping, select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from ..db import write_session
from .formats import FORMATS, FORMATS_BY_NAME, ChildRows, Column, FileFormat, Unique
from .problems import ImportRefused, Problem
from .reading import read_tables
from .validate import NewRow, ParsedRow, StoredRow, check_import


def import_path(path: Path, engine: Engine, *, actor: str) -> dict[str, int]:
    """Add the rows at ``path``; the rows added per file, or ``ImportRefused`` and no change."""
    tables, problems = read_tables(path)
    try:
        with write_session(actor, engine) as session:
            checked = check_import(tables, stored_keys(session), stored_unique(session))
            problems += checked.problems
            if problems:
                raise ImportRefused(problems)
            return _insert(session, checked.rows)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise ImportRefused(
            [Problem(path.name, None, None, f"the database refused the rows: {reason}")]
        ) from error


def stored_keys(session: Session) -> dict[str, dict[tuple, int]]:
    """The key of every stored row of every file → its id, in the form validation compares."""
    return {fmt.name: _keys_of(session, fmt) for fmt in FORMATS}


def _keys_of(session: Session, fmt: FileFormat) -> dict[tuple, int]:
    table = fmt.model.__table__
    columns = [fmt.column(name) for name in fmt.key]
    attributes = [table.c[column.attribute] for column in columns if column.attribute]
    records = session.execute(select(table.c.id, *attributes)).mappings()
    return {tuple(_key_part(fmt, c, record) for c in columns): record["id"] for record in records}


def stored_unique(session: Session) -> dict[str, dict[tuple[str, ...], set[tuple]]]:
    """For each file, the values stored rows hold of each of its ``FileFormat.unique``."""
    return {
        fmt.name: {unique.columns: _held(session, fmt, unique) for unique in fmt.unique}
        for fmt in FORMATS
        if fmt.unique
    }


def _held(session: Session, fmt: FileFormat, unique: Unique) -> set[tuple]:
    table = fmt.model.__table__
    columns = [fmt.column(name) for name in unique.columns]
    blank = [table.c[fmt.column(name).attribute].is_(None) for name in unique.when_blank]
    records = session.execute(
        select(*(table.c[column.attribute] for column in columns)).where(*blank)
    ).mappings()
    return {tuple(_key_part(fmt, c, record) for c in columns) for record in records}


def _key_part(fmt: FileFormat, column: Column, record: RowMapping) -> object:
    if column.attribute is None:
        return fmt.stored_ref(record["id"])
    value = record[column.attribute]
    return StoredRow(value) if column.refers_to else value


def _insert(session: Session, rows_by_file: dict[str, list[ParsedRow]]) -> dict[str, int]:
    ids: dict[str, list[int]] = {}
    for name, rows in rows_by_file.items():
        fmt = FORMATS_BY_NAME[name]
        records = [fmt.model(**_attributes(fmt, row, ids)) for row in rows]
        session.add_all(records)
        session.flush()
        ids[name] = [record.id for record in records]
        if fmt.child is not None:
            session.add_all(_child_records(fmt.child, rows, ids[name]))
    return {name: len(rows) for name, rows in rows_by_file.items()}


def _attributes(fmt: FileFormat, row: ParsedRow, ids: dict[str, list[int]]) -> dict[str, object]:
    """The model's attributes for a validated row, references turned into ids."""

    def stored(value: object) -> object:
        if isinstance(value, NewRow):
            return ids[value.file][value.index]
        if isinstance(value, StoredRow):
            return value.id
        return value

    return {c.attribute: stored(row.values[c.name]) for c in fmt.columns if c.attribute}


def _child_records(child: ChildRows, rows: list[ParsedRow], parent_ids: list[int]) -> list:
    return [
        child.model(**{child.parent_attribute: parent_id, child.value_attribute: word})
        for row, parent_id in zip(rows, parent_ids, strict=True)
        for word in row.values[child.column]
    ]
