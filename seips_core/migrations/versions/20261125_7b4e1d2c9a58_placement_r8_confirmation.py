"""a placement keeps the reason a co-ordinator gave for taking its provider over R8's line (issue 6)

Revision ID: 7b4e1d2c9a58
Revises: 5f3c2a1b7e90
Create Date: 2026-11-25 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "7b4e1d2c9a58"
down_revision: str | None = "5f3c2a1b7e90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "r8_confirmation", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_column("r8_confirmation")
