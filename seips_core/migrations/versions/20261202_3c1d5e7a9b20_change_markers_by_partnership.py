"""change markers per partnership and one county-wide, bumped with every audited write, so
that a write in one partnership leaves the other partnerships' cached pages warm (issue 13)

The county-wide marker starts at the newest audit entry about case data (what the single
store-wide marker was), so a cache keyed on it before the upgrade is never mistaken for one
keyed after it.

Revision ID: 3c1d5e7a9b20
Revises: b7c1e0a9f314
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c1d5e7a9b20"
down_revision: str | None = "b7c1e0a9f314"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_marker",
        sa.Column("scope", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope"),
    )
    op.execute(
        "INSERT INTO change_marker (scope, audit_id) SELECT 0, max(id) FROM auditentry "
        "WHERE table_name NOT IN ('dashboard_user', 'userpartnership') HAVING max(id) IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("change_marker")
