"""the database keeps one standing decision per agenda item and each case once per agenda (issue 11)

Two writers on PostgreSQL could both record an item's first decision, or both put the same
case on an agenda, as nothing in the database stopped the second. Unique indexes do now: one
decision per item that amends nothing (partial), a decision amended at most once, and per
meeting one item per referral, Fair Access case and placement, and one per pupil and purpose
for an item about none of those (a Tier 4 review; partial).

A store that already holds such duplicates cannot take the indexes: the upgrade stops and
lists them, to be put right by hand (which of two decisions stands is the panel's call).

Revision ID: a1c0cc0e0011
Revises: a4a0de7e0011
Create Date: 2026-12-01 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c0cc0e0011"
down_revision: str | None = "a4a0de7e0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STANDING = "amends_decision_id IS NULL"
_NO_CASE = "referral_id IS NULL AND fair_access_case_id IS NULL AND placement_id IS NULL"

#: Each unique index: name, table, columns, the rows it covers (None: all).
_INDEXES = (
    ("uq_decision_standing", "decision", ("agenda_item_id",), _STANDING),
    ("uq_decision_amends", "decision", ("amends_decision_id",), None),
    ("uq_agenda_referral", "agendaitem", ("meeting_id", "referral_id"), None),
    ("uq_agenda_fair_access_case", "agendaitem", ("meeting_id", "fair_access_case_id"), None),
    ("uq_agenda_placement", "agendaitem", ("meeting_id", "placement_id"), None),
    ("uq_agenda_pupil_purpose", "agendaitem", ("meeting_id", "pupil_id", "purpose"), _NO_CASE),
)


def upgrade() -> None:
    _refuse_duplicates()
    for name, table, columns, where in _INDEXES:
        op.create_index(name, table, list(columns), unique=True, **_partial(where))


def _partial(where: str | None) -> dict:
    """The dialect options of a partial index (only the rows ``where`` holds)."""
    if where is None:
        return {}
    return {f"{dialect}_where": sa.text(where) for dialect in ("sqlite", "postgresql")}


def downgrade() -> None:
    for name, table, _columns, _where in reversed(_INDEXES):
        op.drop_index(name, table_name=table)


def _refuse_duplicates() -> None:
    """Stop, naming each group of rows an index would refuse (NULLs never clash)."""
    connection = op.get_bind()
    found = []
    for name, table, columns, where in _INDEXES:
        listed = ", ".join(columns)
        covered = " AND ".join([where or "1 = 1", *(f"{c} IS NOT NULL" for c in columns)])
        rows = connection.execute(
            sa.text(
                f"SELECT {listed} FROM {table} WHERE {covered} "
                f"GROUP BY {listed} HAVING count(*) > 1"
            )
        )
        found += [f"{table} ({listed}) = {tuple(row)} more than once ({name})" for row in rows]
    if found:
        raise RuntimeError(
            "The store holds duplicates that the new unique indexes refuse; put them right "
            "(keep one of each) and upgrade again: " + "; ".join(found)
        )
