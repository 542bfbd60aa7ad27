"""meeting sign-off, decision amendments and actions (issue 4)

A signed-off meeting's decisions are never edited: an amendment is a new decision row pointing
at the one it replaces, so an agenda item may now hold several decisions (the unique constraint
on ``decision.agenda_item_id`` becomes a plain index).

Revision ID: d932c9611660
Revises: 9580f63a360c
Create Date: 2026-11-25 10:33:52.927255
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "d932c9611660"
down_revision: str | None = "9580f63a360c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The initial schema left the constraint unnamed: PostgreSQL calls it this; SQLite's batch
#: mode names it through ``_SQLITE_NAMES`` so that it can be dropped.
_PG_UNIQUE_ITEM = "decision_agenda_item_id_key"
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_SQLITE_UNIQUE_ITEM = "uq_decision_agenda_item_id"


def upgrade() -> None:
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agendaitem.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_meeting_id"), ["meeting_id"], unique=False)

    _drop_unique_item()
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amends_decision_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("placement_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_decision_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_decision_placement_id", "placement", ["placement_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_decision_amends_decision_id", "decision", ["amends_decision_id"], ["id"]
        )

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signed_off_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True)
        )
        batch_op.add_column(
            sa.Column("signed_off_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def _drop_unique_item() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("decision", naming_convention=_SQLITE_NAMES) as batch_op:
            batch_op.drop_constraint(_SQLITE_UNIQUE_ITEM, type_="unique")
    else:
        op.drop_constraint(_PG_UNIQUE_ITEM, "decision", type_="unique")


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("signed_off_at")
        batch_op.drop_column("signed_off_by")

    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint("fk_decision_amends_decision_id", type_="foreignkey")
        batch_op.drop_constraint("fk_decision_placement_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_decision_agenda_item_id"))
        batch_op.drop_column("placement_id")
        batch_op.drop_column("amends_decision_id")
        batch_op.create_unique_constraint(_PG_UNIQUE_ITEM, ["agenda_item_id"])

    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_meeting_id"))
    op.drop_table("action")
