"""An agenda item's current decision: after sign-off, amendments add rows, the newest counts."""

from sqlalchemy import Select, func, select
from sqlmodel import Session

from ..models import AgendaItem, Decision, Pupil


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


def replaced_decision(session: Session, decision: Decision) -> Decision | None:
    """The decision of signed-off minutes that ``decision`` amends, or None."""
    if decision.amends_decision_id is None:
        return None
    return session.get(Decision, decision.amends_decision_id)


def meeting_items(meeting_id: int, *columns) -> Select:
    """``columns`` of the meeting's items in agenda order, each item with its pupil and its
    standing decision (None while undecided) joined in."""
    standing = current_decision_ids()
    return (
        select(*columns)
        .select_from(AgendaItem)
        .join(Pupil, Pupil.id == AgendaItem.pupil_id)
        .outerjoin(standing, standing.c.agenda_item_id == AgendaItem.id)
        .outerjoin(Decision, Decision.id == standing.c.id)
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
