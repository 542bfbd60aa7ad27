"""Building a meeting's agenda: add a suggested case, take one off, reorder; each audited.

A case goes on the agenda as the builder suggested it (``queries.agenda_suggestions``) or
from plain fields (``AgendaFields``, for the command line). The rules are asked again here, not
taken from the suggestion: an EHCP pupil is never a panel item (R15).

Concurrency: every change locks the meeting first (``concurrency.locked``), as a decision or
an action on it does, so two screens changing one agenda are taken one after the other; the
database holds each case once per meeting (``models.meetings.AgendaItem``), and a writer it
still refuses runs again (``retried``) and is told who added the case.
"""

from dataclasses import dataclass

from sqlalchemy import Engine, and_, func, or_, select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, require
from ..auth.scope import in_scope, meeting_in_scope, require_on_meeting
from ..concurrency import changed_by, locked, retried
from ..db import write_session
from ..errors import Conflict, InvalidValue, RuleViolation
from ..models import (
    AgendaItem,
    Decision,
    FairAccessCase,
    Meeting,
    Placement,
    Presentation,
    Pupil,
    Referral,
)
from ..queries.agenda_suggestions import Suggestion, suggest_agenda
from ..rules.agenda import EHCP_REASON, PURPOSE_LABELS, agenda_case_keys

__all__ = [
    "AgendaFields",
    "Suggestion",
    "add_agenda_item",
    "move_agenda_item",
    "remove_agenda_item",
    "suggest_agenda",
]


@dataclass(frozen=True)
class AgendaFields:
    """An item typed in rather than suggested: the pupil, why, and the case it is about."""

    purpose: str
    pupil_id: int
    referral_id: int | None = None
    fair_access_case_id: int | None = None
    placement_id: int | None = None


@retried
def add_agenda_item(
    engine: Engine, by: Actor, meeting_id: int, item: Suggestion | AgendaFields
) -> int:
    """Put ``item`` last on the meeting's agenda; returns the new item's id."""
    require(by, Capability.EDIT_CASES, doing="change a meeting's agenda")
    with write_session(by.email, engine) as session:
        meeting, code = _open_meeting(session, by, meeting_id)
        if item.purpose not in PURPOSE_LABELS:
            raise InvalidValue(
                f"Purpose: '{item.purpose}' is not one of {', '.join(PURPOSE_LABELS)}."
            )
        pupil = session.get(Pupil, item.pupil_id)
        if pupil is None:
            raise InvalidValue(f"Pupil: there is no pupil {item.pupil_id}.")
        sources = _sources_in_scope(session, by, pupil, item)
        last = session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
        )
        row = AgendaItem(
            meeting_id=meeting_id,
            position=(last or 0) + 1,
            purpose=item.purpose,
            pupil_id=pupil.id,
            **sources,
        )
        # Before anything is said about the pupil: the child must be the actor's and the
        # meeting's (R2), or the item's referral, case or placement must make them so.
        require_on_meeting(session, by, row, meeting, code)
        if pupil.ehcp:
            raise RuleViolation("R15", EHCP_REASON.removeprefix("R15: ") + ".")
        _refuse_twice(session, meeting, item.purpose, pupil, sources)
        session.add(row)
        session.flush()
        return row.id


@retried
def remove_agenda_item(engine: Engine, by: Actor, item_id: int, *, expected_version: int) -> None:
    """Take an undecided item off the agenda; the items after it move up one place."""
    require(by, Capability.EDIT_CASES, doing="change a meeting's agenda")
    with write_session(by.email, engine) as session:
        item = _item(session, by, item_id)
        if item.version != expected_version:
            who = changed_by(session, AgendaItem, item_id) or "someone else"
            raise Conflict(f"Agenda: this item was changed by {who}: reload to see it.")
        if session.scalar(select(Decision.id).where(Decision.agenda_item_id == item_id)):
            raise InvalidValue(
                "Agenda item: it has a decision recorded, so it stays on the agenda "
                "(change the decision instead)."
            )
        others = [row for row in _items(session, item.meeting_id) if row.id != item_id]
        _off_the_wall(session, item_id)
        session.delete(item)
        session.flush()
        _number(others)


@retried
def move_agenda_item(engine: Engine, by: Actor, item_id: int, new_position: int) -> None:
    """Move an item to ``new_position`` (1 is first; beyond the end means last)."""
    require(by, Capability.EDIT_CASES, doing="change a meeting's agenda")
    with write_session(by.email, engine) as session:
        item = _item(session, by, item_id)
        items = [row for row in _items(session, item.meeting_id) if row.id != item_id]
        place = min(max(new_position, 1), len(items) + 1)
        items.insert(place - 1, item)
        _number(items)


def _off_the_wall(session: Session, item_id: int) -> None:
    """The walls stop showing an item taken off the agenda (issue 12): they say so, and show
    nothing of the child, until the presenter puts another item up."""
    for shown in session.scalars(
        select(Presentation).where(Presentation.agenda_item_id == item_id)
    ):
        shown.agenda_item_id = None


def _open_meeting(session: Session, by: Actor, meeting_id: int) -> tuple[Meeting, str]:
    """The meeting and its partnership's code: the actor's, locked for the change, and not
    signed off."""
    meeting, code = meeting_in_scope(session, by, meeting_id, lock=True)
    if meeting.status == "closed":
        raise InvalidValue(
            "Meeting: its minutes are signed off, so its agenda can no longer change."
        )
    return meeting, code


def _item(session: Session, by: Actor, item_id: int) -> AgendaItem:
    """The item, on an open meeting of the actor's, read afresh once its meeting is locked
    (the meeting, then the item, in that order). Its pupil is not checked (nothing about them
    is read), so a meeting's co-ordinator can take off an item that should not be there."""
    item = session.get(AgendaItem, item_id)
    if item is not None:
        _open_meeting(session, by, item.meeting_id)
        item = locked(session, AgendaItem, item_id)
    if item is not None:
        return item
    who = changed_by(session, AgendaItem, item_id)
    if who is None:
        raise InvalidValue(f"Agenda item: there is no item {item_id}.")
    raise Conflict(f"Agenda item: it was taken off the agenda by {who}: reload to see it.")


#: The case an item may point at, by the field that holds it, with the field's name.
_SOURCES = {
    "referral_id": (Referral, "Referral"),
    "fair_access_case_id": (FairAccessCase, "Fair Access case"),
    "placement_id": (Placement, "Placement"),
}


def _sources_in_scope(
    session: Session, by: Actor, pupil: Pupil, item: Suggestion | AgendaFields
) -> dict[str, int | None]:
    """The referral, Fair Access case and placement the item is about: each one the actor's
    and about the item's pupil."""
    sources = {}
    for name, (model, field) in _SOURCES.items():
        source_id = getattr(item, name)
        if source_id is not None:
            source = in_scope(session, by, model, source_id, field=field).row
            if source.pupil_id != pupil.id:
                raise InvalidValue(f"{field}: it is about another pupil than the item's.")
        sources[name] = source_id
    return sources


def _items(session: Session, meeting_id: int) -> list[AgendaItem]:
    return list(
        session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def _number(items: list[AgendaItem]) -> None:
    """Positions 1..n in list order, touching only the rows whose place changed."""
    for position, row in enumerate(items, start=1):
        if row.position != position:
            row.position = position


def _refuse_twice(
    session: Session, meeting: Meeting, purpose: str, pupil: Pupil, sources: dict
) -> None:
    """One item per case on a meeting (``rules.agenda.agenda_case_keys``): the same referral,
    Fair Access case or placement, or the same Tier 4 review. Found, it is a ``Conflict``
    naming who added it: the screen offered the case before they did."""
    same = [_same_case(key) for key in agenda_case_keys(purpose, pupil.id, **sources)]
    found = session.scalar(
        select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id, or_(*same))
    )
    if found is not None:
        who = changed_by(session, AgendaItem, found)
        added = f" (added by {who})" if who else ""
        raise Conflict(
            f"Agenda: {pupil.case_ref}'s {PURPOSE_LABELS[purpose]} is already on this "
            f"agenda{added}: reload to see it."
        )


def _same_case(key: tuple):
    """The condition an item of the same case meets, for one of ``agenda_case_keys``."""
    if key[0] == "pupil_purpose":
        _, pupil_id, purpose = key
        return and_(AgendaItem.pupil_id == pupil_id, AgendaItem.purpose == purpose)
    column, value = key
    return getattr(AgendaItem, column) == value
