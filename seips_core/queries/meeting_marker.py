"""A cheap number pair that changes whenever anything of one meeting is saved (issue 4: live).

Every screen showing a meeting (the projector, members' laptops) polls it every second; only
when it moves do they re-read the item. Every save of the meeting, an invitation, an agenda
item, a decision or an action adds a row or bumps a row's version (optimistic locking), so the
count and the sum of versions move on every change of the meeting and on no other. Each part
is read through the ``meeting_id`` indexes: a handful of rows, not the store.
"""

from sqlalchemy import func, select, union_all
from sqlmodel import Session

from ..models import Action, AgendaItem, Decision, Meeting, MeetingInvitation


def meeting_marker(session: Session, meeting_id: int) -> tuple[int, int]:
    """(rows, sum of their versions) over the meeting (its sign-off), its invitations, items,
    decisions and actions."""
    parts = union_all(
        select(Meeting.version).where(Meeting.id == meeting_id),
        select(Action.version).where(Action.meeting_id == meeting_id),
        select(MeetingInvitation.version).where(MeetingInvitation.meeting_id == meeting_id),
        select(AgendaItem.version).where(AgendaItem.meeting_id == meeting_id),
        select(Decision.version)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting_id),
    ).subquery()
    rows, versions = session.execute(
        select(func.count(), func.coalesce(func.sum(parts.c.version), 0))
    ).one()
    return int(rows), int(versions)
