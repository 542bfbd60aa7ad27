"""what the walls of a meeting show: the presented item and panel, one row per meeting (issue 12)

A presenter (co-ordinator or chair) puts an item on the wall; every wall and follower screen
of the meeting follows it through the meeting's change marker. The last click wins, so one
row per meeting, unique in the database.

Revision ID: 6f82b169eeb1
Revises: a1c0cc0e0011
Create Date: 2026-12-02 02:59:03.121664
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "6f82b169eeb1"
down_revision: str | None = "a1c0cc0e0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "presentation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("panel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("presented_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("presented_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("panel IN ('item', 'history')", name="ck_presentation_panel"),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agendaitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", name="uq_presentation_meeting"),
    )


def downgrade() -> None:
    op.drop_table("presentation")
