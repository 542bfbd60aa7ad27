"""An agenda item's current decision: after sign-off, amendments add rows, the newest counts."""

from sqlalchemy import func, select
from sqlmodel import Session

from ..models import Decision


def current_decision(session: Session, item_id: int) -> Decision | None:
    """The decision that stands on item ``item_id`` (its newest row), or None if undecided."""
    return session.scalars(
        select(Decision).where(Decision.agenda_item_id == item_id).order_by(Decision.id.desc())
    ).first()


def current_decision_ids():
    """A subquery of (agenda_item_id, id) naming each decided item's standing decision."""
    return (
        select(Decision.agenda_item_id, func.max(Decision.id).label("id"))
        .group_by(Decision.agenda_item_id)
        .subquery()
    )
