"""who viewed a pupil's named record: one row per reader, pupil, page and kind (issue 16)

Reads are not changes, so they are not on the audit trail; they are kept here, ids and
short labels only, for the case history and the subject access bundle.

Revision ID: d4e6f8a0b2c1
Revises: 3c1d5e7a9b20
Create Date: 2026-12-02 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "d4e6f8a0b2c1"
down_revision: str | None = "3c1d5e7a9b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "record_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("page", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.CheckConstraint("kind IN ('names shown', 'download')", name="ck_record_view_kind"),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("record_view", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_view_pupil_id"), ["pupil_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_view", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_view_pupil_id"))

    op.drop_table("record_view")
