"""the audit trail is append-only in the database and hash-chained (issue 11)

Triggers refuse UPDATE and DELETE on ``auditentry`` (and TRUNCATE on PostgreSQL), whoever
sends them; each entry gets ``prev_hash`` and ``entry_hash`` (``seips_core.audit_chain``),
the existing entries hashed here in id order so that an upgraded store verifies.

The triggers come last: SQLite's batch mode rebuilds the table, which drops its triggers. A
later revision that rebuilds ``auditentry`` on SQLite must create them again.

Revision ID: a3a0d17c0011
Revises: 7b4e1d2c9a58
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from seips_core.audit_chain import GENESIS, HASHED_FIELDS, chained

revision: str = "a3a0d17c0011"
down_revision: str | None = "7b4e1d2c9a58"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_BATCH = 10_000

HASH = sqlmodel.sql.sqltypes.AutoString(length=64)
REFUSED = (
    "The audit trail is append-only: {} on auditentry refused; "
    "an audit entry cannot be changed or deleted."
)

#: The columns the backfill reads and writes; ``at`` typed, so that it reads back as a datetime.
_audit = sa.table(
    "auditentry",
    sa.column("id", sa.Integer()),
    sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
    *(sa.column(name) for name in HASHED_FIELDS[1:]),
    sa.column("prev_hash"),
    sa.column("entry_hash"),
)

_SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER auditentry_append_only_{op_name.lower()} BEFORE {op_name} ON auditentry
    BEGIN SELECT RAISE(ABORT, '{REFUSED.format(op_name)}'); END
    """
    for op_name in ("UPDATE", "DELETE")
]

_POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSED.format("%")}', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER auditentry_append_only BEFORE UPDATE OR DELETE ON auditentry
    FOR EACH ROW EXECUTE FUNCTION auditentry_append_only()
    """,
    """
    CREATE TRIGGER auditentry_no_truncate BEFORE TRUNCATE ON auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION auditentry_append_only()
    """,
]


#: PostgreSQL takes a batch's hashes in one statement; one UPDATE per entry took minutes a million.
_STORE_ARRAYS = sa.text(
    "UPDATE auditentry SET prev_hash = v.prev, entry_hash = v.hash "
    "FROM unnest(CAST(:ids AS integer[]), CAST(:prevs AS text[]), CAST(:hashes AS text[])) "
    "AS v(id, prev, hash) WHERE auditentry.id = v.id"
)
_STORE_ROWS = (
    sa.update(_audit)
    .where(_audit.c.id == sa.bindparam("entry_id"))
    .values(prev_hash=sa.bindparam("prev"), entry_hash=sa.bindparam("hash"))
)


def _store(connection: sa.Connection, linked: list[dict]) -> None:
    """Write a batch's hashes: as arrays on PostgreSQL, row by row (by key) on SQLite."""
    if connection.dialect.name == "postgresql":
        columns = {"ids": "id", "prevs": "prev_hash", "hashes": "entry_hash"}
        arrays = {param: [e[field] for e in linked] for param, field in columns.items()}
        connection.execute(_STORE_ARRAYS, arrays)
    else:
        rows = [
            {"entry_id": e["id"], "prev": e["prev_hash"], "hash": e["entry_hash"]} for e in linked
        ]
        connection.execute(_STORE_ROWS, rows)


def _backfill(connection: sa.Connection) -> None:
    """Chain the entries already in the trail, oldest first, a batch at a time."""
    fields = [_audit.c[name] for name in HASHED_FIELDS]
    query = sa.select(_audit.c.id, *fields).order_by(_audit.c.id).limit(BACKFILL_BATCH)
    prev_hash, last_id = GENESIS, None
    while True:
        page = query if last_id is None else query.where(_audit.c.id > last_id)
        entries = connection.execute(page).mappings().all()
        if not entries:
            return
        linked = chained(prev_hash, entries)
        _store(connection, linked)
        prev_hash, last_id = linked[-1]["entry_hash"], linked[-1]["id"]


def upgrade() -> None:
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", HASH, nullable=True))
        batch_op.add_column(sa.Column("entry_hash", HASH, nullable=True))
    connection = op.get_bind()
    _backfill(connection)
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        for name in ("prev_hash", "entry_hash"):
            batch_op.alter_column(name, existing_type=HASH, nullable=False)
        batch_op.create_index(batch_op.f("ix_auditentry_prev_hash"), ["prev_hash"], unique=True)
    triggers = _POSTGRESQL_TRIGGERS if connection.dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER auditentry_no_truncate ON auditentry")
        op.execute("DROP TRIGGER auditentry_append_only ON auditentry")
        op.execute("DROP FUNCTION auditentry_append_only()")
    else:
        op.execute("DROP TRIGGER auditentry_append_only_update")
        op.execute("DROP TRIGGER auditentry_append_only_delete")
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditentry_prev_hash"))
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
