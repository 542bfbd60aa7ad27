"""a school's type of establishment and academy trust, as the DfE's register (GIAS) names them
(issue 14)

Empty for every school already stored: ``seips gias`` fills them from a GIAS extract, and a
schools file may give them.

Revision ID: b7c1e0a9f314
Revises: 88701b8fe262
Create Date: 2026-12-02 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "b7c1e0a9f314"
down_revision: str | None = "88701b8fe262"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "establishment_type", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("trust", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("trust")
        batch_op.drop_column("establishment_type")
