"""A partnership's panel and Inclusion Forum meetings, with who was invited and who came."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..models import AgendaItem, Decision, Meeting, MeetingInvitation, Partnership, School
from ..rules.meetings import meeting_label


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as the list shows it, with the R13a gap before it starts."""

    id: int
    meeting_date: date
    kind: str
    status: str
    label: str
    items: int
    decided: int
    #: R13a: member schools with no notification by the meeting day.
    unnotified: tuple[str, ...]


@dataclass(frozen=True)
class InvitationRow:
    """A member school's invitation: when it was told, and whether it came (None: not ticked)."""

    school_id: int
    school: str
    notified_date: date | None
    attended: bool | None
    version: int | None


def meetings_of(session: Session, viewer: Actor, partnership: str) -> tuple[MeetingRow, ...]:
    """Every meeting of ``partnership``, newest first, with its items and decisions counted."""
    require_partnership(viewer, partnership)
    per_meeting = (
        select(
            AgendaItem.meeting_id,
            func.count(AgendaItem.id).label("n_items"),
            func.count(func.distinct(Decision.agenda_item_id)).label("n_decided"),
        )
        .outerjoin(Decision, Decision.agenda_item_id == AgendaItem.id)
        .group_by(AgendaItem.meeting_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Meeting.id,
            Meeting.meeting_date,
            Meeting.kind,
            Meeting.status,
            func.coalesce(per_meeting.c.n_items, 0),
            func.coalesce(per_meeting.c.n_decided, 0),
        )
        .join(Partnership, Partnership.id == Meeting.partnership_id)
        .outerjoin(per_meeting, per_meeting.c.meeting_id == Meeting.id)
        .where(Partnership.code == partnership)
        .order_by(Meeting.meeting_date.desc())
    ).all()
    gaps = _unnotified(session, partnership)
    return tuple(
        MeetingRow(
            id=id_,
            meeting_date=day,
            kind=kind,
            status=status,
            label=meeting_label(partnership, kind, day),
            items=n_items,
            decided=n_decided,
            unnotified=gaps.get(id_, ()),
        )
        for id_, day, kind, status, n_items, n_decided in rows
    )


def invitations(
    session: Session, viewer: Actor, partnership: str, meeting_id: int
) -> tuple[InvitationRow, ...]:
    """Each member school of the partnership for one of its meetings, invited or not."""
    require_partnership(viewer, partnership)
    rows = session.execute(
        _member_invitations(partnership)
        .where(Meeting.id == meeting_id)
        .add_columns(School.id, MeetingInvitation.attended, MeetingInvitation.version)
        .order_by(School.name)
    ).all()
    return tuple(
        InvitationRow(school_id, school, notified, attended, version)
        for _meeting, school, notified, school_id, attended, version in rows
    )


def _member_invitations(partnership: str):
    """(meeting, school, notified date) for every meeting × member school of ``partnership``."""
    return (
        select(Meeting.id, School.name, MeetingInvitation.notified_date)
        .join(Partnership, Partnership.id == Meeting.partnership_id)
        .join(School, and_(School.partnership_id == Partnership.id, School.is_member))
        .outerjoin(
            MeetingInvitation,
            and_(
                MeetingInvitation.meeting_id == Meeting.id,
                MeetingInvitation.school_id == School.id,
            ),
        )
        .where(Partnership.code == partnership)
    )


def _unnotified(session: Session, partnership: str) -> dict[int, tuple[str, ...]]:
    """R13a, per meeting: member schools not notified by the meeting day."""
    late = case(
        (MeetingInvitation.notified_date.is_(None), True),
        (MeetingInvitation.notified_date > Meeting.meeting_date, True),
        else_=False,
    )
    gaps: dict[int, list[str]] = {}
    for meeting_id, school, _notified in session.execute(
        _member_invitations(partnership).where(late).order_by(School.name)
    ):
        gaps.setdefault(meeting_id, []).append(school)
    return {meeting_id: tuple(schools) for meeting_id, schools in gaps.items()}
