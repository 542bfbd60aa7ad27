"""A meeting's own records, audited: notifications (R13a), attendance, actions, sign-off.

A meeting is "planned" until its first attendance tick or decision opens it, and "closed" once
its minutes are signed off.

Concurrency: every change locks the meeting's row first (``concurrency.locked``), as the
agenda and decision services do, then the invitation it changes: two screens saving the same
tick are taken one after the other, and the second, holding an older version, is told who
saved first. Two actions added at once are both kept; a sign-off waits for a change under way
and a change after it is refused.
"""

from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, Role, require, require_role
from ..auth.scope import in_scope, item_in_scope, meeting_in_scope
from ..concurrency import changed_by, retried
from ..db import write_session
from ..derived import decisions_at, refresh_enforceability
from ..errors import Conflict, InvalidValue
from ..models import Action, Meeting, MeetingInvitation, School


@retried
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
        _as_seen(session, invitation, expected_version, "Attendance")
        invitation.attended = attended
        open_when_it_starts(session, session.get(Meeting, meeting_id))
        session.flush()
        return invitation.version


def open_when_it_starts(session: Session, meeting: Meeting) -> None:
    """Mark a "planned" meeting "open", in the caller's transaction: its first attendance tick
    or decision is the meeting starting (later saves leave the status alone).

    The row is re-read under a lock first (``refresh``: the caller must hold no unsaved change
    to it), so of two screens saving the meeting's first tick at once on PostgreSQL the second
    waits, sees "open" and leaves the row alone rather than failing as a stale update; SQLite's
    write transactions are serialised already.
    """
    if meeting.status != "planned":
        return
    session.refresh(meeting, with_for_update=True)  # the newest row, version included
    if meeting.status == "planned":
        meeting.status = "open"


@retried
def set_notified(
    engine: Engine,
    by: Actor,
    meeting_id: int,
    school_id: int,
    notified_date: date,
    *,
    expected_version: int | None = None,
) -> int:
    """R13a: record the day a school was told of the meeting (not after the meeting day).

    ``expected_version``, when given, is the invitation's version as the user saw it: one
    changed since is a ``Conflict`` naming who changed it. The meeting's decisions are
    recomputed in the same transaction (``derived``): a day on or before the meeting day means
    the school was notified in time and only the record came late, so an allocation saved as
    unenforceable meanwhile binds after all. Signed-off minutes cannot change here (the meeting
    must be open). Returns how many decisions changed.
    """
    with write_session(by.email, engine) as session:
        invitation = _invitation(session, by, meeting_id, school_id)
        if expected_version is not None:
            _as_seen(session, invitation, expected_version, "Notified")
        meeting = session.get(Meeting, meeting_id)
        if notified_date > meeting.meeting_date:
            raise InvalidValue(
                "Notified: a school told after the meeting was not notified of it (R13a)."
            )
        invitation.notified_date = notified_date
        session.flush()
        return refresh_enforceability(session, decisions_at(session, Meeting.id == meeting_id))


@retried
def add_action(
    engine: Engine,
    by: Actor,
    meeting_id: int,
    item_id: int | None,
    description: str,
    owner: str,
    due_date: date,
) -> int:
    """Record what the meeting asked ``owner`` to do by ``due_date``; returns the action's id."""
    require(by, Capability.EDIT_CASES, doing="record a meeting's actions")
    with write_session(by.email, engine) as session:
        meeting = _open_meeting(session, by, meeting_id)
        if (
            item_id is not None
            and item_in_scope(session, by, item_id).item.meeting_id != meeting_id
        ):
            raise InvalidValue("Agenda item: the action's item is not on this meeting.")
        for field, text in (("Description", description), ("Owner", owner)):
            if not text.strip():
                raise InvalidValue(f"{field}: an action needs it, for the minutes.")
        if due_date < meeting.meeting_date:
            raise InvalidValue("Due date: it cannot be before the meeting.")
        action = Action(
            meeting_id=meeting_id,
            agenda_item_id=item_id,
            description=description.strip(),
            owner=owner.strip(),
            due_date=due_date,
        )
        session.add(action)
        session.flush()
        return action.id


@retried
def sign_off_minutes(
    engine: Engine, by: Actor, meeting_id: int, *, now: datetime | None = None
) -> None:
    """The chair signs the minutes off: the meeting closes and its decisions lock.

    From then on a decision changes only by ``decisions.amend_decision``, a new audited row.
    """
    require_role(by, Role.CHAIR, Role.COUNTY_ADMIN, doing="sign off a meeting's minutes")
    with write_session(by.email, engine) as session:
        meeting = _meeting(session, by, meeting_id)
        if meeting.status == "closed":
            who = changed_by(session, Meeting, meeting_id) or meeting.signed_off_by
            raise Conflict(f"Meeting: its minutes were signed off by {who}: reload to see them.")
        meeting.status = "closed"
        meeting.signed_off_by = by.display_name or by.email
        meeting.signed_off_at = now or datetime.now(UTC)


def _meeting(session, by: Actor, meeting_id: int) -> Meeting:
    """The meeting, within the actor's partnerships, locked for the change."""
    meeting, _code = meeting_in_scope(session, by, meeting_id, lock=True)
    return meeting


def _open_meeting(session, by: Actor, meeting_id: int) -> Meeting:
    """The meeting, within the actor's partnerships, locked, and not yet signed off."""
    meeting = _meeting(session, by, meeting_id)
    if meeting.status == "closed":
        raise InvalidValue("Meeting: its minutes are signed off, so it can no longer change.")
    return meeting


def _as_seen(session, invitation: MeetingInvitation, expected_version: int, field: str) -> None:
    """``Conflict`` naming who changed the invitation since the user saw it."""
    if invitation.version != expected_version:
        who = changed_by(session, MeetingInvitation, invitation.id) or "someone else"
        raise Conflict(f"{field}: it was changed by {who}: reload to see it.")


def _invitation(session, by: Actor, meeting_id: int, school_id: int) -> MeetingInvitation:
    require(by, Capability.EDIT_CASES, doing="change a meeting's invitations")
    _open_meeting(session, by, meeting_id)
    in_scope(session, by, School, school_id)
    invitation = session.scalars(
        select(MeetingInvitation)
        .where(MeetingInvitation.meeting_id == meeting_id, MeetingInvitation.school_id == school_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if invitation is None:
        raise InvalidValue("School: it was not invited to this meeting.")
    return invitation
