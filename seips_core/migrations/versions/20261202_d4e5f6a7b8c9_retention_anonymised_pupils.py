"""retention (issue 16): the day a pupil's file was anonymised, and the audit trail's personal
values redactable

``pupil.anonymised_on`` is empty for every pupil. The triggers that keep ``auditentry``
append-only now refuse an UPDATE of every column but ``before`` and ``after``: the retention
schedule replaces the personal values in those two (``services.retention``) and appends an
entry that records the digest of each redacted entry, by which ``seips audit verify`` still
accepts it (``audit_chain``). Any other change to them, by whoever can send SQL, breaks the
chain as before. The triggers keep their names.

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

#: Every column of the trail but ``before`` and ``after``: an UPDATE of any is refused.
_FIXED = "id, at, actor, action, table_name, row_id, prev_hash, entry_hash"
_REFUSED = (
    "The audit trail is append-only: {} on auditentry refused; "
    "an audit entry cannot be changed or deleted."
)


def _sqlite_update_trigger(columns: str) -> str:
    return (
        f"CREATE TRIGGER auditentry_append_only_update BEFORE UPDATE{columns} ON auditentry "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSED.format('UPDATE')}'); END"
    )


def _postgresql_trigger(columns: str) -> str:
    return (
        f"CREATE TRIGGER auditentry_append_only BEFORE UPDATE{columns} OR DELETE ON auditentry "
        "FOR EACH ROW EXECUTE FUNCTION auditentry_append_only()"
    )


def _triggers(columns: str) -> None:
    """Refuse an UPDATE of ``columns`` (all of them when empty) and, as before, any DELETE."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER auditentry_append_only ON auditentry")
        op.execute(_postgresql_trigger(columns))
    else:
        op.execute("DROP TRIGGER auditentry_append_only_update")
        op.execute(_sqlite_update_trigger(columns))


def upgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
    _triggers(f" OF {_FIXED}")


def downgrade() -> None:
    _triggers("")
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_column("anonymised_on")
