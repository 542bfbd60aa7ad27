"""a Fair Access allocation keeps the schools the dashboard suggested (issue 5, R23)

Revision ID: 5f3c2a1b7e90
Revises: d932c9611660
Create Date: 2026-11-25 11:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5f3c2a1b7e90"
down_revision: str | None = "d932c9611660"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("suggestion", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("suggestion")
