"""the City's PSP label of a tier period is computed from the tier and the pupil's home LA
(R5), never stored: the stored copy could contradict them (issue 11)

Revision ID: a4a0de7e0011
Revises: a2a0d1e50011
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a4a0de7e0011"
down_revision: str | None = "a2a0d1e50011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tierchange", schema=None) as batch_op:
        batch_op.drop_column("psp_label")


def downgrade() -> None:
    """The column comes back filled as the store computed it (the City's scale, R5)."""
    with op.batch_alter_table("tierchange", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("psp_label", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
    from seips_core.config import CITY_LA
    from seips_core.models.choices import PSP_LABEL_FOR_TIER

    for tier, label in PSP_LABEL_FOR_TIER.items():
        op.execute(
            sa.text(
                "UPDATE tierchange SET psp_label = :label WHERE tier = :tier AND pupil_id IN "
                "(SELECT id FROM pupil WHERE home_la = :city)"
            ).bindparams(label=label, tier=tier, city=CITY_LA)
        )
