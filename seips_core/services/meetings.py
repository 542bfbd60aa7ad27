"""Ticking attendance and recording notifications during a meeting (R13a), audited."""

from datetime import date

from sqlalchemy import Engine, select

from ..auth.roles import Actor, Capability, require, require_partnership
from ..db import write_session
from ..errors import Conflict, InvalidValue
from ..models import Meeting, MeetingInvitation, Partnership


def set_attendance(
    engine: Engine,
    by: Actor,
    meeting_id: int,
    school_id: int,
    attended: bool,
    *,
    expected_version: int,
) -> int:
    """Tick (or untick) a school's attendance; returns the invitation's new version.

    A school may be absent if it was notified (R13a): attendance does not change whether the
    meeting's Fair Access allocations bind, notification does.
    """
    with write_session(by.email, engine) as session:
        invitation = _invitation(session, by, meeting_id, school_id)
        if invitation.version != expected_version:
            raise Conflict("Attendance was changed on another screen: reload to see it.")
        invitation.attended = attended
        session.flush()
        return invitation.version


def set_notified(
    engine: Engine, by: Actor, meeting_id: int, school_id: int, notified_date: date
) -> None:
    """R13a: record the day a school was told of the meeting (not after the meeting day)."""
    with write_session(by.email, engine) as session:
        invitation = _invitation(session, by, meeting_id, school_id)
        meeting = session.get(Meeting, meeting_id)
        if notified_date > meeting.meeting_date:
            raise InvalidValue(
                "Notified: a school told after the meeting was not notified of it (R13a)."
            )
        invitation.notified_date = notified_date


def _invitation(session, by: Actor, meeting_id: int, school_id: int) -> MeetingInvitation:
    require(by, Capability.EDIT_CASES, doing="change a meeting's invitations")
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise InvalidValue(f"Meeting: there is no meeting {meeting_id}.")
    require_partnership(by, session.get(Partnership, meeting.partnership_id).code)
    if meeting.status == "closed":
        raise InvalidValue("Meeting: its minutes are signed off, so it can no longer change.")
    invitation = session.scalars(
        select(MeetingInvitation).where(
            MeetingInvitation.meeting_id == meeting_id, MeetingInvitation.school_id == school_id
        )
    ).first()
    if invitation is None:
        raise InvalidValue("School: it was not invited to this meeting.")
    return invitation
