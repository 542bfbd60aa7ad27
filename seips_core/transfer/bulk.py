"""Writes validated import rows in bulk, with as little as possible done under the write lock.

Everything that can be made before the write transaction is: each table's rows with every
column (defaults included), their ids, the ids they point at, the INSERT with each row's
parameters already converted for the database driver, and their audit entries (every column as
JSON, as the ORM hook writes them). Inside the transaction there is little but the database's
own work: each table's executemany, then the append of every audit entry (``write_all``),
each in chunks of ``CHUNK`` rows so that progress can be told between them. On SQLite the
write lock is therefore held for seconds, not minutes, for 200,000 pupils, and a meeting's
attendance ticks wait no longer than that. On PostgreSQL other writers wait only for the
trail: appends to it queue on the hash chain's lock (``audit.append_entries``), held from the
first append to the commit, so the import's entries go in last, once the rows are written.

The ids are taken before the transaction. PostgreSQL reserves them from each table's sequence
(a sequence is never rolled back, so a refused import leaves a gap, nothing more). SQLite has
no sequences: the ids after the largest stored one are taken, and checked again under the lock;
if another writer added rows meanwhile, the ids are taken afresh and the rows made again there.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Dialect, Table, func, insert, select
from sqlmodel import Session

from ..audit import append_entries
from ..progress import Progress, counted, silent
from .formats import FORMATS_BY_NAME, FileFormat
from .validate import NewRow, ParsedRow, StoredRow

#: Rows per executemany (and audit entries per append): small enough for progress to move
#: every second or so, large enough that the extra statements cost nothing measurable.
CHUNK = 10_000


@dataclass(frozen=True)
class Ready:
    """One table's rows as they will be stored, but for the ids: their own, and the ids of the
    ``NewRow``s of this import they point at (in the ``pointers`` columns)."""

    table: Table
    #: The file whose rows ``NewRow`` markers name by position (None for a file's child rows,
    #: which nothing points at).
    file: str | None
    rows: list[dict]
    pointers: tuple[str, ...]


def ready_tables(rows_by_file: dict[str, list[ParsedRow]]) -> list[Ready]:
    """The tables to write, in ``FORMATS`` order, each file's child rows after it."""
    tables = []
    for name, rows in rows_by_file.items():
        fmt = FORMATS_BY_NAME[name]
        tables.append(_file_rows(fmt, rows))
        if fmt.child is not None:
            child = fmt.child
            table: Table = child.model.__table__
            blank = _blank(table)
            children = [
                blank | {child.parent_attribute: NewRow(name, index), child.value_attribute: word}
                for index, row in enumerate(rows)
                for word in row.values[child.column]
            ]
            tables.append(Ready(table, None, children, (child.parent_attribute,)))
    return tables


def _file_rows(fmt: FileFormat, parsed: list[ParsedRow]) -> Ready:
    table: Table = fmt.model.__table__
    blank = _blank(table)
    plain = [(c.name, c.attribute) for c in fmt.columns if c.attribute and not c.refers_to]
    pointing = [(c.name, c.attribute) for c in fmt.columns if c.attribute and c.refers_to]
    rows = []
    for row in parsed:
        record = blank | {attribute: row.values[name] for name, attribute in plain}
        for name, attribute in pointing:
            value = row.values[name]
            record[attribute] = value.id if isinstance(value, StoredRow) else value
        rows.append(record)
    return Ready(table, fmt.name, rows, tuple(attribute for _, attribute in pointing))


def _blank(table: Table) -> dict[str, object]:
    """A row of ``table`` with every column but the id at its default (None where it has none)."""
    blank = {column.name: None for column in table.columns if column.name != "id"}
    return blank | {c.name: c.default.arg for c in table.columns if c.default is not None}


def take_ids(session: Session, tables: list[Ready]) -> list[range | list[int]]:
    """New ids for the rows of each table: reserved from PostgreSQL's sequences, or on SQLite
    the ids after the largest stored one (``still_free`` checks them under the write lock)."""
    if session.get_bind().dialect.name == "postgresql":
        return [_reserved(session, ready.table, len(ready.rows)) for ready in tables]
    ids = []
    for ready in tables:
        first = _largest(session, ready.table) + 1
        ids.append(range(first, first + len(ready.rows)))
    return ids


def still_free(session: Session, tables: list[Ready], ids: list[range | list[int]]) -> bool:
    """Are the ids taken before the write transaction still unused? (Always, on PostgreSQL.)"""
    if session.get_bind().dialect.name == "postgresql":
        return True
    return all(
        not taken or _largest(session, ready.table) < taken[0]
        for ready, taken in zip(tables, ids, strict=True)
    )


def _reserved(session: Session, table: Table, count: int) -> list[int]:
    sequence = func.nextval(func.pg_get_serial_sequence(table.name, "id"))
    return list(session.scalars(select(sequence).select_from(func.generate_series(1, count))))


def _largest(session: Session, table: Table) -> int:
    return session.scalar(select(func.coalesce(func.max(table.c.id), 0)))


@dataclass(frozen=True)
class Batch:
    """One table's rows ready for the database driver (its SQL, and each row's parameters
    already converted by the column types) and their audit entries: all that is left is to
    write them."""

    #: What progress calls it: its import file's name, or a child table's name.
    name: str
    sql: str
    parameters: list[tuple] | list[dict]
    entries: list[dict]


def write_all(session: Session, batches: list[Batch], progress: Progress = silent) -> None:
    """Every batch's rows, then all their audit entries (see the module's docstring: on
    PostgreSQL the chain's lock is taken last); ``progress`` hears of each chunk written."""
    connection = session.connection()
    for batch in batches:
        if not batch.parameters:
            continue
        for chunk in counted(progress, f"writing {batch.name}", _chunks(batch.parameters), len):
            connection.exec_driver_sql(batch.sql, chunk)
    entries = [entry for batch in batches for entry in batch.entries]
    for chunk in counted(progress, "writing the audit trail", _chunks(entries), len):
        append_entries(session, chunk)  # each append chains on to the one before


def _chunks(rows: list) -> list[list]:
    return [rows[first : first + CHUNK] for first in range(0, len(rows), CHUNK)]


def ids_by_file(tables: list[Ready], ids: list[range | list[int]]) -> dict[str, range | list[int]]:
    """Each import file's new row ids, in the order of its rows (child tables have no file)."""
    return {ready.file: taken for ready, taken in zip(tables, ids, strict=True) if ready.file}


def batches(
    tables: list[Ready],
    ids: list[range | list[int]],
    actor: str,
    dialect: Dialect,
    progress: Progress = silent,
) -> list[Batch]:
    """Every table's rows with their ids and the ids they point at, and their audit entries;
    ``progress`` hears of each table's rows made ready."""
    at = datetime.now(UTC)
    by_file = ids_by_file(tables, ids)
    made = []
    pairs = list(zip(tables, ids, strict=True))
    for ready, taken in counted(progress, "preparing rows", pairs, lambda pair: len(pair[1])):
        rows = []
        for row, row_id in zip(ready.rows, taken, strict=True):
            finished = row | {"id": row_id}
            for attribute in ready.pointers:
                if isinstance(target := row[attribute], NewRow):
                    finished[attribute] = by_file[target.file][target.index]
            rows.append(finished)
        sql, parameters = _for_driver(ready.table, rows, dialect)
        entries = [_entry(ready.table, row, actor, at) for row in rows]
        made.append(Batch(ready.file or ready.table.name, sql, parameters, entries))
    return made


def _for_driver(table: Table, rows: list[dict], dialect: Dialect) -> tuple[str, list]:
    """The INSERT statement in the driver's own terms and each row's parameters for it, as
    SQLAlchemy would convert them (dates to text on SQLite…), but made before the lock."""
    compiled = insert(table).compile(dialect=dialect, column_keys=[c.name for c in table.columns])
    names = compiled.positiontup if compiled.positional else [c.name for c in table.columns]
    convert = [(name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
               for name in names]  # fmt: skip
    converted = [[to(row[name]) if to else row[name] for name, to in convert] for row in rows]
    if compiled.positional:
        return compiled.string, [tuple(values) for values in converted]
    return compiled.string, [dict(zip(names, values, strict=True)) for values in converted]


def _entry(table: Table, row: dict, actor: str, at: datetime) -> dict:
    """The audit entry of an inserted row, as the ORM hook would write it."""
    return {
        "at": at,
        "actor": actor,
        "action": "insert",
        "table_name": table.name,
        "row_id": row["id"],
        "before": None,
        "after": json.dumps(row, sort_keys=True, default=_plain),
    }


def _plain(value: object) -> str:
    """A value as the audit trail writes it: dates in ISO form, amounts as exact text."""
    return value.isoformat() if isinstance(value, date) else str(value)
