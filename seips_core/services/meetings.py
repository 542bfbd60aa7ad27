"""A meeting's own records, audited: notifications (R13a), attendance, actions, sign-off, and
the partnership's quorum.

A meeting is "planned" until its first attendance tick or decision opens it, and "closed" once
its minutes are signed off. An action outlives its meeting: it is ticked done (or its owner or
due date changed) long after the minutes are signed off, but what the signed minutes say it
is, its description, no longer changes.

Concurrency: every change locks the meeting's row first (``concurrency.locked``), as the
agenda and decision services do, then the invitation it changes: two screens saving the same
tick are taken one after the other, and the second, holding an older version, is told who
saved first. An action or a partnership's quorum is changed on the version the user saw, and
refused naming who changed it since. Two actions added at once are both kept; a sign-off waits
for a change under way and a change after it is refused.
"""

from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, select
from sqlmodel import Session, SQLModel

from ..auth.local_time import COUNTY_TIME
from ..auth.roles import Actor, Capability, Role, require, require_partnership, require_role
from ..auth.scope import in_scope, item_in_scope, meeting_in_scope
from ..concurrency import changed_by, locked, retried
from ..db import write_session
from ..derived import decisions_at, refresh_enforceability
from ..errors import Conflict, InvalidValue, Problem, refuse_any
from ..models import Action, Meeting, MeetingInvitation, Partnership, School
from ..rules.flag import when
from ..rules.quorum import majority

#: ``Action``'s columns' lengths, said in the refusal rather than left to the database.
DESCRIPTION_LENGTH, OWNER_LENGTH = 500, 120


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
        description, owner = _action_fields(meeting, description, owner, due_date)
        action = Action(
            meeting_id=meeting_id,
            agenda_item_id=item_id,
            description=description,
            owner=owner,
            due_date=due_date,
        )
        session.add(action)
        session.flush()
        return action.id


@retried
def edit_action(
    engine: Engine,
    by: Actor,
    action_id: int,
    *,
    description: str,
    owner: str,
    due_date: date,
    expected_version: int,
) -> int:
    """Change what an action says, who does it and by when; returns its new version.

    Once the minutes are signed off the description is what the chair signed and stays; the
    owner and due date may still change (a job handed on, a deadline the next meeting moved).
    """
    with write_session(by.email, engine) as session:
        action, meeting = _action(session, by, action_id, expected_version)
        description, owner = _action_fields(meeting, description, owner, due_date)
        if meeting.status == "closed" and description != action.description:
            raise InvalidValue(
                "Action: the minutes that set this action are signed off, so what it "
                "says stays as agreed; change its owner or due date, or add a new action."
            )
        action.description, action.owner, action.due_date = description, owner, due_date
        session.flush()
        return action.version


@retried
def set_action_done(
    engine: Engine,
    by: Actor,
    action_id: int,
    done: bool,
    *,
    expected_version: int,
    on: date | None = None,
) -> int:
    """Tick an action done on ``on`` (default: today on the county's clock), or undo the tick;
    returns its new version. Signed-off minutes do not stop it: actions are done afterwards."""
    on = on or datetime.now(COUNTY_TIME).date()
    with write_session(by.email, engine) as session:
        action, meeting = _action(session, by, action_id, expected_version)
        if done and on < meeting.meeting_date:
            raise InvalidValue(
                f"Done: an action cannot be done on {on:%d/%m/%Y}, before the meeting that "
                f"set it ({meeting.meeting_date:%d/%m/%Y})."
            )
        action.done_date = on if done else None
        session.flush()
        return action.version


def _action(
    session: Session, by: Actor, action_id: int, expected_version: int
) -> tuple[Action, Meeting]:
    """The action, within the actor's partnerships, locked after its meeting, as the user saw
    it (``Conflict`` naming who changed it since)."""
    require(by, Capability.EDIT_CASES, doing="change a meeting's actions")
    action, _code = in_scope(session, by, Action, action_id)
    meeting = _meeting(session, by, action.meeting_id)
    action = locked(session, Action, action_id)
    _as_seen(session, action, expected_version, "Action")
    return action, meeting


def _action_fields(
    meeting: Meeting, description: str, owner: str, due_date: date
) -> tuple[str, str]:
    """The action's wording and owner, trimmed, and its due date: every problem said together
    (``Problems``), each by its label on the form. Each text is needed, for the minutes, and
    within its column; the due date is not before the meeting."""
    found, texts = [], []
    for field, text, longest in (
        ("Action", description, DESCRIPTION_LENGTH),
        ("Owner", owner, OWNER_LENGTH),
    ):
        text = (text or "").strip()
        if not text:
            found.append(Problem(field, "an action needs it, for the minutes"))
        elif len(text) > longest:
            found.append(Problem(field, f"write at most {longest} characters ({len(text)} now)"))
        texts.append(text)
    if due_date < meeting.meeting_date:
        found.append(
            Problem("Due date", f"it cannot be before the meeting ({when(meeting.meeting_date)})")
        )
    refuse_any(found)
    description, owner = texts
    return description, owner


@retried
def set_quorum(
    engine: Engine,
    by: Actor,
    partnership: str,
    schools: int | None,
    *,
    expected_version: int,
) -> int:
    """Set how many member schools must be present for ``partnership``'s panel to decide
    (None: back to the default, a majority, ``rules.quorum``); returns the partnership's new
    version. A chair of the partnership or a county admin, as the terms of reference say."""
    require_role(by, Role.CHAIR, Role.COUNTY_ADMIN, doing="set a partnership's quorum")
    require_partnership(by, partnership)
    with write_session(by.email, engine) as session:
        row_id = session.scalar(select(Partnership.id).where(Partnership.code == partnership))
        if row_id is None:
            raise InvalidValue(f"Partnership: there is no partnership {partnership}.")
        row = locked(session, Partnership, row_id)
        _as_seen(session, row, expected_version, "Quorum")
        members = session.scalar(
            select(func.count(School.id)).where(School.partnership_id == row_id, School.is_member)
        )
        if schools is not None and not 1 <= schools <= members:
            raise InvalidValue(
                f"Quorum: give a number of member schools from 1 to {members} ({partnership} "
                f"has {members}), or leave it blank for a majority ({majority(members)})."
            )
        row.quorum_schools = schools
        session.flush()
        return row.version


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


def _as_seen(session, row: SQLModel, expected_version: int, field: str) -> None:
    """``Conflict`` naming who changed ``row`` (an invitation, an action, a partnership) since
    the user saw it."""
    if row.version != expected_version:
        who = changed_by(session, type(row), row.id) or "someone else"
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
