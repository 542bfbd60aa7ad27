"""A cheap number pair that changes whenever anything of one meeting is saved (issue 4: live).

Every screen showing a meeting (the projector, members' laptops) polls it every second; only
when it moves do they re-read the item. Every save of the meeting, an invitation, an agenda
item, a decision or an action adds a row or bumps a row's version (optimistic locking), so the
count and the sum of versions move on every change of the meeting and on no other. One change
would slip between two looks: an item taken off and another put on (both at version 1) in the
same second; so the sum of the agenda's pupils is a third part. Each part is read through the
``meeting_id`` indexes: a handful of rows, not the store.
"""

from sqlalchemy import func, literal, select, union_all
from sqlmodel import Session

from ..models import Action, AgendaItem, Decision, Meeting, MeetingInvitation, Presentation


def meeting_marker(session: Session, meeting_id: int) -> tuple[int, int, int]:
    """(rows, sum of their versions, sum of the agenda's pupil ids) over the meeting (its
    sign-off), its invitations, items, decisions, actions and what its walls show."""
    parts = union_all(
        select(Meeting.version, literal(0)).where(Meeting.id == meeting_id),
        select(Action.version, literal(0)).where(Action.meeting_id == meeting_id),
        select(Presentation.version, literal(0)).where(Presentation.meeting_id == meeting_id),
        select(MeetingInvitation.version, literal(0)).where(
            MeetingInvitation.meeting_id == meeting_id
        ),
        select(AgendaItem.version, AgendaItem.pupil_id).where(AgendaItem.meeting_id == meeting_id),
        select(Decision.version, literal(0))
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting_id),
    ).subquery()
    version, pupil = parts.c
    rows, versions, pupils = session.execute(
        select(func.count(), func.coalesce(func.sum(version), 0), func.coalesce(func.sum(pupil), 0))
    ).one()
    return int(rows), int(versions), int(pupils)
