"""subject access requests: who exported which pupil's records, and when (issue 16)

Revision ID: 5a7c3e91d2b4
Revises: d4e6f8a0b2c1
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5a7c3e91d2b4"
down_revision: str | None = "d4e6f8a0b2c1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subject_access_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("requested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_subject_access_request_pupil_id"),
        "subject_access_request",
        ["pupil_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_subject_access_request_pupil_id"), table_name="subject_access_request")
    op.drop_table("subject_access_request")
