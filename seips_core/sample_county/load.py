"""Bulk writing: SQLAlchemy Core ``insert()`` executemany in batches, inside one transaction.

The ORM's per-row work (identity map, audit hook) would make a national store take hours, so
rows go straight to the tables; the audit trail gets one entry that says where they came from.
"""

import json
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlmodel import Session, SQLModel

from ..audit import append_entries
from ..models import AuditEntry, ChangeMarker
from .rows import Row

BATCH = 5_000
ACTOR = "seips sample"


def _complete(table: Table, rows: list[Row]) -> list[Row]:
    """Give every row every column (its default where it has none), as executemany needs."""
    defaults = {
        column.name: column.default.arg if column.default is not None else None
        for column in table.columns
    }
    return [{**defaults, **row} for row in rows]


def write_tables(connection: Connection, tables: dict[str, list[Row]], counts: Counter) -> None:
    """Insert ``tables`` parents first, in batches; add what was written to ``counts``."""
    for table in SQLModel.metadata.sorted_tables:
        rows = tables.get(table.name)
        if not rows:
            continue
        for first in range(0, len(rows), BATCH):
            connection.execute(insert(table), _complete(table, rows[first : first + BATCH]))
        counts[table.name] += len(rows)


def is_empty(connection: Connection) -> bool:
    """True when no table of the domain holds a row (the audit trail and its change markers
    aside)."""
    return not any(
        connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
        if table.name not in (AuditEntry.__tablename__, ChangeMarker.__tablename__)
    )


def realign_id_sequences(connection: Connection) -> None:
    """On PostgreSQL, move each id sequence past the ids written here, so later inserts fit."""
    if connection.dialect.name != "postgresql":
        return
    for table in SQLModel.metadata.sorted_tables:
        if "id" not in table.c:  # keyed otherwise (the change markers): no sequence
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE(MAX(id), 0) + 1, false) FROM {table.name}"
            )
        )


def refresh_statistics(engine: Engine) -> None:
    """ANALYZE after a bulk load, so the query planner knows the tables are no longer empty.

    Without it PostgreSQL plans the first queries on a freshly loaded national store as if the
    tables held nothing, and a flags query took minutes instead of a fraction of a second.
    """
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


def record_origin(connection: Connection, counts: Counter) -> None:
    """One audit entry for the whole load, naming the generator and what it wrote."""
    entry = {
        "at": datetime.now(UTC),
        "actor": ACTOR,
        "action": "insert",
        "table_name": "*",
        "row_id": None,
        "before": None,
        "after": json.dumps(dict(sorted(counts.items()))),
    }
    with Session(bind=connection) as session:
        append_entries(session, [entry])
