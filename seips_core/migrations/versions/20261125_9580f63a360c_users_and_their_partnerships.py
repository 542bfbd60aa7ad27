"""users and their partnerships: accounts, roles, lock-out and partnership links (issue 3)

Revision ID: 9580f63a360c
Revises: 9e2c142a9639
Create Date: 2026-11-25 09:24:08.856122
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "9580f63a360c"
down_revision: str | None = "9e2c142a9639"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_sign_in", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('viewer', 'coordinator', 'chair', 'county_admin')", name="ck_user_role"
        ),
        sa.CheckConstraint("email = lower(email)", name="ck_user_email_lower_case"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dashboard_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dashboard_user_email"), ["email"], unique=True)

    op.create_table(
        "userpartnership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["dashboard_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "partnership_id", name="uq_user_partnership"),
    )
    with op.batch_alter_table("userpartnership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_userpartnership_partnership_id"), ["partnership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_userpartnership_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("userpartnership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_userpartnership_user_id"))
        batch_op.drop_index(batch_op.f("ix_userpartnership_partnership_id"))

    op.drop_table("userpartnership")
    with op.batch_alter_table("dashboard_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dashboard_user_email"))

    op.drop_table("dashboard_user")
