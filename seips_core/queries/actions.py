"""A partnership's meeting actions: those a meeting set, those overdue, those carried forward.

An action is overdue on a day when it is not done and its due date has passed. A meeting
takes forward the actions of the partnership's earlier meetings that fell due by its day and
were not done by then: the agenda builder lists them beside its suggestions, and the minutes
record them ("Actions carried forward"), so an action nobody did comes back to the room
rather than waiting in old minutes. An action is about a pupil only through its agenda item;
it shows that item's case reference, never a name.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..auth.scope import meeting_in_scope
from ..models import Action, AgendaItem, Meeting, Partnership, Pupil
from ..rules.meetings import meeting_label


@dataclass(frozen=True)
class ActionRow:
    """One action as the pages and the minutes list it, with its version for a change."""

    id: int
    version: int
    meeting_id: int
    #: "NW panel 4 Mar 2026": the meeting that set it.
    meeting: str
    meeting_closed: bool
    description: str
    owner: str
    due_date: date
    done_date: date | None
    #: The case reference of its agenda item; None for an action about no item.
    case_ref: str | None

    def overdue(self, on: date) -> bool:
        """Not done, and its due date passed before ``on``."""
        return self.done_date is None and self.due_date < on


def _rows(session: Session, *where: ColumnElement[bool]) -> tuple[ActionRow, ...]:
    rows = session.execute(
        select(Action, Meeting, Partnership.code, Pupil.case_ref)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .join(Partnership, Partnership.id == Meeting.partnership_id)
        .outerjoin(AgendaItem, AgendaItem.id == Action.agenda_item_id)
        .outerjoin(Pupil, Pupil.id == AgendaItem.pupil_id)
        .where(*where)
        .order_by(Action.due_date, Action.id)
    )
    return tuple(
        ActionRow(
            id=action.id,
            version=action.version,
            meeting_id=meeting.id,
            meeting=meeting_label(code, meeting.kind, meeting.meeting_date),
            meeting_closed=meeting.status == "closed",
            description=action.description,
            owner=action.owner,
            due_date=action.due_date,
            done_date=action.done_date,
            case_ref=case_ref,
        )
        for action, meeting, code, case_ref in rows
    )


def meeting_actions(
    session: Session, viewer: Actor, meeting_id: int, *, item_id: int | None = None
) -> tuple[ActionRow, ...]:
    """The actions meeting ``meeting_id`` set (only item ``item_id``'s, when given), soonest
    due first."""
    meeting_in_scope(session, viewer, meeting_id)
    on_item = () if item_id is None else (Action.agenda_item_id == item_id,)
    return _rows(session, Action.meeting_id == meeting_id, *on_item)


def overdue_actions(
    session: Session, viewer: Actor, partnership: str, *, on: date
) -> tuple[ActionRow, ...]:
    """Every action of ``partnership``'s meetings not done and due before ``on``."""
    require_partnership(viewer, partnership)
    return _rows(
        session, Partnership.code == partnership, Action.done_date.is_(None), Action.due_date < on
    )


def carried_forward(session: Session, viewer: Actor, meeting_id: int) -> tuple[ActionRow, ...]:
    """The actions meeting ``meeting_id`` takes forward: set at an earlier meeting of its
    partnership, due by its day and not done by then (done later, it still was open then)."""
    meeting, _code = meeting_in_scope(session, viewer, meeting_id)
    day = meeting.meeting_date
    return _rows(
        session,
        Meeting.partnership_id == meeting.partnership_id,
        Meeting.meeting_date < day,
        Action.due_date <= day,
        or_(Action.done_date.is_(None), Action.done_date > day),
    )
