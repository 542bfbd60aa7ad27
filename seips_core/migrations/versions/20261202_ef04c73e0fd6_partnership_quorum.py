"""a partnership's quorum: how many member schools must be present for its panel to decide
(issue 12)

Empty for every partnership: the default, a majority of the member schools, applies until a
chair or county admin sets the number the partnership's terms of reference give.

Revision ID: ef04c73e0fd6
Revises: 6f82b169eeb1
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ef04c73e0fd6"
down_revision: str | None = "6f82b169eeb1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quorum_schools", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            "ck_quorum_schools", "quorum_schools IS NULL OR quorum_schools >= 1"
        )


def downgrade() -> None:
    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.drop_constraint("ck_quorum_schools", type_="check")
        batch_op.drop_column("quorum_schools")
