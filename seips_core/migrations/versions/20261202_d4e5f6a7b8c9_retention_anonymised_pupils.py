"""retention (issue 16): the day a pupil's file was anonymised, and the audit trail's personal
values redactable by the retention schedule alone

``pupil.anonymised_on`` is empty for every pupil. The triggers that keep ``auditentry``
append-only (same names) now let one UPDATE through: of ``before`` and ``after`` only, inside
a transaction that holds a row of ``audit_redaction``, which only the retention schedule writes
(``services.retention``) and empties again before it commits. It replaces the personal values
of an anonymised pupil's entries and appends an entry recording each redacted entry's digest,
by which ``seips audit verify`` still accepts it (``audit_chain``). Every other UPDATE, DELETE
and TRUNCATE is refused as before.

Revision ID: d4e5f6a7b8c9
Revises: 3c1d5e7a9b20
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4e5f6a7b8c9"
down_revision: str | None = "3c1d5e7a9b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The columns a redaction leaves as they were: every one but ``before`` and ``after``.
_FIXED = ("id", "at", "actor", "action", "table_name", "row_id", "prev_hash", "entry_hash")
_REFUSED = (
    "The audit trail is append-only: {} on auditentry refused; "
    "an audit entry cannot be changed or deleted."
)
_SQLITE_REFUSE = f"BEGIN SELECT RAISE(ABORT, '{_REFUSED.format('UPDATE')}'); END"
_SQLITE_BEFORE = "CREATE TRIGGER auditentry_append_only_update BEFORE UPDATE ON auditentry"
_SQLITE_REDACTION_ONLY = (
    f"{_SQLITE_BEFORE} WHEN NOT EXISTS (SELECT 1 FROM audit_redaction) OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED)
    + f" {_SQLITE_REFUSE}"
)
_PG_REFUSE = (
    f"RAISE EXCEPTION '{_REFUSED.format('%')}', TG_OP USING ERRCODE = 'restrict_violation';"
)
_PG_FUNCTION = "CREATE OR REPLACE FUNCTION auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {} END $$"
_PG_REDACTION_ONLY = (
    "IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM audit_redaction) AND "
    f"({', '.join(f'NEW.{c}' for c in _FIXED)}) IS NOT DISTINCT FROM "
    f"({', '.join(f'OLD.{c}' for c in _FIXED)}) THEN RETURN NEW; END IF; "
)


def upgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
    op.create_table(
        "audit_redaction",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION.format(_PG_REDACTION_ONLY + _PG_REFUSE))
    else:
        op.execute("DROP TRIGGER auditentry_append_only_update")
        op.execute(_SQLITE_REDACTION_ONLY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION.format(_PG_REFUSE))
    else:
        op.execute("DROP TRIGGER auditentry_append_only_update")
        op.execute(f"{_SQLITE_BEFORE} {_SQLITE_REFUSE}")
    op.drop_table("audit_redaction")
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_column("anonymised_on")
