"""Imports a folder of CSV files or an Excel workbook: every row in one transaction, or none.

Reading and validation come first, outside the write transaction (the stored keys are read in a
read session), so a long import does not hold the store's write lock while it parses: on SQLite
a meeting's attendance ticks carry on meanwhile. Any problem refuses the whole import before a
row is written. The rows then go in (``bulk``) table by table, in ``FORMATS`` order, each as
one executemany, each row with its audit entry in the same transaction (a bulk insert bypasses
the ORM's audit hook); their ids, and their audit entries, are made before the transaction.
A key another writer stored between the check and the write makes the database refuse the
insert; the import is then checked again against the store as it is now, so that the refusal
names the clashing rows, and nothing is written. Last, still in the transaction, the store
computes the facts that follow from the rows (``computed``: R5, R13a).
"""

from pathlib import Path

from sqlalchemy import Engine, RowMapping, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from ..db import read_session, write_session
from ..progress import Progress, silent
from ..store_kind import StoreKind, check_kind, record_kind
from . import bulk
from .computed import settle_imported
from .formats import FORMATS, Column, FileFormat, Unique
from .problems import ImportRefused, Problem
from .reading import Table as TextTable
from .reading import read_tables
from .validate import Checked, ParsedRow, StoredRow, check_import


def import_path(
    path: Path, engine: Engine, *, actor: str, progress: Progress = silent
) -> dict[str, int]:
    """Add the rows at ``path``; the rows added per file, or ``ImportRefused`` and no change.

    ``WrongStore`` for a demo store: real data never goes into one. The first import into a
    new store makes it a real store. ``progress`` hears of each phase: reading the files,
    reading and checking their rows, preparing the rows, then writing each table and the
    audit trail.
    """
    with read_session(engine) as session:
        check_kind(session, StoreKind.REAL)
    tables, problems = read_tables(path, progress)
    checked = _check(tables, engine, progress)
    problems += checked.problems
    if problems:
        raise ImportRefused(problems)
    try:
        return _write(checked.rows, engine, actor, progress)
    except IntegrityError as error:
        # Another writer stored a clashing key (or removed a row pointed at) meanwhile.
        again = _check(tables, engine).problems
        raise ImportRefused(again or [_database_refused(path, error)]) from error
    except SQLAlchemyError as error:
        raise ImportRefused([_database_refused(path, error)]) from error


def _check(tables: list[TextTable], engine: Engine, progress: Progress = silent) -> Checked:
    """Validate against the keys stored now, read in a read session: no write lock is held."""
    with read_session(engine) as session:
        stored, unique = stored_keys(session), stored_unique(session)
    return check_import(tables, stored, unique, progress)


def _database_refused(path: Path, error: SQLAlchemyError) -> Problem:
    reason = str(getattr(error, "orig", None) or error).splitlines()[0]
    return Problem(path.name, None, None, f"the database refused the rows: {reason}")


def _write(
    rows_by_file: dict[str, list[ParsedRow]], engine: Engine, actor: str, progress: Progress
) -> dict[str, int]:
    """The one write transaction; the rows, their ids and audit entries are made before it."""
    tables = bulk.ready_tables(rows_by_file)
    with read_session(engine) as session:
        ids = bulk.take_ids(session, tables)
    made = bulk.batches(tables, ids, actor, engine.dialect, progress)
    with write_session(actor, engine) as session:
        if not bulk.still_free(session, tables, ids):  # SQLite: rows were added meanwhile
            ids = bulk.take_ids(session, tables)
            made = bulk.batches(tables, ids, actor, engine.dialect, progress)
        bulk.write_all(session, made, progress)
        settle_imported(session, rows_by_file, bulk.ids_by_file(tables, ids))
        # After the rows, so that on SQLite its id comes after theirs.
        record_kind(session, StoreKind.REAL)
    return {name: len(rows) for name, rows in rows_by_file.items()}


def stored_keys(session: Session) -> dict[str, dict[tuple, int]]:
    """The key of every stored row of every file → its id, in the form validation compares."""
    return {fmt.name: _keys_of(session, fmt) for fmt in FORMATS}


def _keys_of(session: Session, fmt: FileFormat) -> dict[tuple, int]:
    table = fmt.model.__table__
    columns = [fmt.column(name) for name in fmt.key]
    attributes = [table.c[column.attribute] for column in columns if column.attribute]
    chosen = select(table.c.id, *attributes)
    records = session.execute(chosen if fmt.holds is None else chosen.where(fmt.holds)).mappings()
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
