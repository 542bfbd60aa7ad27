"""Facts that follow from other facts: computed by the store, never taken from input.

Two facts of the rules follow from others, and a cell or a form that could contradict them is
never their source:

- R13a, whether a Fair Access allocation binds, follows from who was notified of its meeting
  (every member school, by the meeting day). It is stored on the decision, because the minutes
  as decided keep it (a school joining the partnership later must not unbind past allocations),
  and recomputed by ``refresh_enforceability`` whenever the facts it follows from are written:
  a decision saved (``services.decisions``, with the same rule), a notified day recorded
  (``services.meetings.set_notified``) and every import (``transfer.computed``).
- R5, the City's label of a city-address pupil's tier (PSP1 = Tier 2, PSP2a = Tier 3, PSP3 =
  Tier 4), follows from the tier and the pupil's home LA. It is computed when read
  (``psp_label_sql``) and never stored, so a changed home LA leaves no stale label behind.
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, case, select
from sqlmodel import Session

from .config import CITY_LA
from .models import AgendaItem, Decision, Meeting
from .models.choices import PSP_LABEL_FOR_TIER
from .queries.meetings import CHUNK, meetings_facts
from .rules.meetings import DecisionFacts, unenforceable_allocation


def psp_label_sql(tier: ColumnElement[int], home_la: ColumnElement[str]) -> ColumnElement:
    """R5: the City's label for ``tier`` when ``home_la`` is the City's, else NULL (Tier 1 has
    no label)."""
    return case(
        *((and_(home_la == CITY_LA, tier == t), label) for t, label in PSP_LABEL_FOR_TIER.items()),
        else_=None,
    )


def refresh_enforceability(session: Session, decision_ids: Iterable[int]) -> int:
    """R13a: set each decision's ``enforceable`` from its meeting's notifications, in the
    caller's transaction; returns how many changed.

    The rule is ``rules.meetings.unenforceable_allocation``, the one the save and the flags ask:
    an allocation binds only if every member school was notified by the meeting day; any other
    outcome stands. Only rows that change are written, through the ORM, so each change is
    audited as the caller's.
    """
    ids = sorted(set(decision_ids))
    decisions = [
        row
        for start in range(0, len(ids), CHUNK)
        for row in session.execute(
            select(Decision.id, AgendaItem.meeting_id, Decision.outcome, Decision.enforceable)
            .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
            .where(Decision.id.in_(ids[start : start + CHUNK]))
        )
    ]
    facts = meetings_facts(session, (meeting_id for _id, meeting_id, _o, _e in decisions))
    changed = 0
    for decision_id, meeting_id, outcome, stored in decisions:
        binds = unenforceable_allocation(DecisionFacts("", outcome, facts[meeting_id])) is None
        if binds != stored:
            session.get(Decision, decision_id).enforceable = binds
            changed += 1
    session.flush()
    return changed


def decisions_at(session: Session, *where: ColumnElement[bool]) -> list[int]:
    """The ids of the decisions (amendments included) at the meetings ``where`` selects."""
    return list(
        session.scalars(
            select(Decision.id)
            .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(*where)
        )
    )
