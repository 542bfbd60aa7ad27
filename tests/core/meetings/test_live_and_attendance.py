"""The live marker every open screen of a meeting polls, ticking attendance (R13a), and a
meeting opening with its first tick or decision."""

import json
import re

import pytest
from meeting_day import TODAY
from sqlalchemy import select

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed
from seips_core.models import (
    AgendaItem,
    AuditEntry,
    Decision,
    Meeting,
    MeetingInvitation,
    Pupil,
    School,
)
from seips_core.queries.meeting_marker import meeting_marker
from seips_core.services.agenda import (
    AgendaFields,
    add_agenda_item,
    move_agenda_item,
    remove_agenda_item,
)
from seips_core.services.decisions import DecisionInput, amend_decision, record_decision
from seips_core.services.meetings import add_action, set_attendance, set_notified, sign_off_minutes


def marker(engine, meeting_id: int) -> tuple[int, ...]:
    with read_session(engine) as session:
        return meeting_marker(session, meeting_id)


def test_the_marker_moves_when_an_item_is_swapped_for_another_between_two_looks(
    county, demo, nw_meeting
):
    """Taken off and another put on, both at version 1: the count and the versions alone stay."""
    coordinator = demo(Role.COORDINATOR)
    item = undecided_item(county, nw_meeting.id)
    with read_session(county) as session:
        on_agenda = select(AgendaItem.pupil_id).where(AgendaItem.meeting_id == nw_meeting.id)
        nw_schools = select(School.id).where(School.partnership_id == nw_meeting.partnership_id)
        other = session.scalars(
            select(Pupil.id)
            .where(~Pupil.ehcp, Pupil.id.not_in(on_agenda), Pupil.school_id.in_(nw_schools))
            .order_by(Pupil.id)
        ).first()
    still = marker(county, nw_meeting.id)
    remove_agenda_item(county, coordinator, item.id, expected_version=item.version)
    add_agenda_item(county, coordinator, nw_meeting.id, AgendaFields("referral", other))
    assert marker(county, nw_meeting.id) != still


def first_invitation(engine, meeting_id: int) -> MeetingInvitation:
    with read_session(engine) as session:
        return session.scalars(
            select(MeetingInvitation)
            .where(MeetingInvitation.meeting_id == meeting_id)
            .order_by(MeetingInvitation.id)
        ).first()


def undecided_item(engine, meeting_id: int) -> AgendaItem:
    with read_session(engine) as session:
        return session.scalars(
            select(AgendaItem)
            .outerjoin(Decision, Decision.agenda_item_id == AgendaItem.id)
            .where(AgendaItem.meeting_id == meeting_id, Decision.id.is_(None))
            .order_by(AgendaItem.position)
        ).first()


def test_the_marker_moves_when_a_decision_is_saved_and_stays_still_otherwise(
    county, demo, nw_meeting
):
    still = marker(county, nw_meeting.id)
    assert marker(county, nw_meeting.id) == still
    item = undecided_item(county, nw_meeting.id)
    saved = record_decision(
        county, demo(Role.COORDINATOR), item.id, DecisionInput("defer", "Next meeting."),
        expected_version=None,
    )  # fmt: skip
    after_first = marker(county, nw_meeting.id)
    assert after_first != still
    record_decision(
        county, demo(Role.CHAIR), item.id, DecisionInput("decline", "Not for us."),
        expected_version=saved.version,
    )  # fmt: skip
    assert marker(county, nw_meeting.id) not in (still, after_first)


def test_the_marker_moves_on_agenda_changes_actions_and_sign_off(county, demo, nw_meeting):
    coordinator, seen = demo(Role.COORDINATOR), [marker(county, nw_meeting.id)]
    item = undecided_item(county, nw_meeting.id)
    for change in (
        lambda: move_agenda_item(county, coordinator, item.id, 99),
        lambda: add_action(county, coordinator, nw_meeting.id, None, "Chase", "Chair", TODAY),
        lambda: sign_off_minutes(county, demo(Role.CHAIR), nw_meeting.id),
    ):
        change()
        seen.append(marker(county, nw_meeting.id))
        assert seen[-1] not in seen[:-1]


def test_the_marker_of_one_meeting_ignores_another_meetings_changes(county, demo, nw_meeting):
    with read_session(county) as session:
        other = session.scalars(
            select(AgendaItem.meeting_id).where(AgendaItem.meeting_id != nw_meeting.id)
        ).first()
    before = marker(county, other)
    invitation = first_invitation(county, nw_meeting.id)
    set_attendance(
        county, demo(Role.COORDINATOR), nw_meeting.id, invitation.school_id, True,
        expected_version=invitation.version,
    )  # fmt: skip
    assert marker(county, other) == before


def test_a_co_ordinator_ticks_attendance_and_a_stale_tick_is_refused(county, demo, nw_meeting):
    invitation = first_invitation(county, nw_meeting.id)
    coordinator = demo(Role.COORDINATOR)
    version = set_attendance(
        county, coordinator, nw_meeting.id, invitation.school_id, False,
        expected_version=invitation.version,
    )  # fmt: skip
    assert version == invitation.version + 1
    who = rf"{re.escape(coordinator.display_name)} at \d\d:\d\d"
    with pytest.raises(Conflict, match=rf"^Attendance: it was changed by {who}: reload"):
        set_attendance(
            county, coordinator, nw_meeting.id, invitation.school_id, True,
            expected_version=invitation.version,
        )  # fmt: skip
    assert first_invitation(county, nw_meeting.id).attended is False


def test_a_viewer_may_not_tick_attendance(county, demo, nw_meeting):
    invitation = first_invitation(county, nw_meeting.id)
    with pytest.raises(NotAllowed):
        set_attendance(
            county, demo(Role.VIEWER), nw_meeting.id, invitation.school_id, True,
            expected_version=invitation.version,
        )  # fmt: skip
    assert first_invitation(county, nw_meeting.id).version == invitation.version


def test_notifying_a_school_after_the_meeting_day_is_refused_r13a(county, demo, nw_meeting):
    invitation = first_invitation(county, nw_meeting.id)
    late = nw_meeting.meeting_date.replace(day=nw_meeting.meeting_date.day + 1)
    with pytest.raises(InvalidValue, match="R13a"):
        set_notified(county, demo(Role.COORDINATOR), nw_meeting.id, invitation.school_id, late)
    set_notified(
        county, demo(Role.COORDINATOR), nw_meeting.id, invitation.school_id,
        nw_meeting.meeting_date,
    )  # fmt: skip
    assert first_invitation(county, nw_meeting.id).notified_date == nw_meeting.meeting_date


# --- A meeting opens when it starts: its first tick or decision ---------------------------------


def planned(engine, meeting_id: int) -> None:
    """Put the meeting back to "planned", as it was before the day (the sample opens today's)."""
    with write_session("test", engine) as session:
        session.get(Meeting, meeting_id).status = "planned"


def status(engine, meeting_id: int) -> str:
    with read_session(engine) as session:
        return session.get(Meeting, meeting_id).status


def test_the_first_attendance_tick_opens_a_planned_meeting_and_is_audited(county, demo, nw_meeting):
    planned(county, nw_meeting.id)
    coordinator = demo(Role.COORDINATOR)
    invitation = first_invitation(county, nw_meeting.id)
    version = set_attendance(
        county, coordinator, nw_meeting.id, invitation.school_id, True,
        expected_version=invitation.version,
    )  # fmt: skip
    assert status(county, nw_meeting.id) == "open"
    with read_session(county) as session:
        opened = session.scalars(
            select(AuditEntry).where(
                AuditEntry.table_name == "meeting", AuditEntry.row_id == nw_meeting.id
            )
        ).all()[-1]
    assert (opened.actor, json.loads(opened.after)["status"]) == (coordinator.email, "open")
    set_attendance(
        county, coordinator, nw_meeting.id, invitation.school_id, False, expected_version=version
    )
    assert status(county, nw_meeting.id) == "open"  # later ticks leave it open


def test_the_first_decision_opens_a_planned_meeting_but_a_refused_one_does_not(
    county, demo, nw_meeting
):
    planned(county, nw_meeting.id)
    item = undecided_item(county, nw_meeting.id)
    coordinator = demo(Role.COORDINATOR)
    with pytest.raises(InvalidValue, match=r"^Rationale"):
        record_decision(
            county, coordinator, item.id, DecisionInput("defer", " "), expected_version=None
        )
    assert status(county, nw_meeting.id) == "planned"  # nothing saved, nothing started
    record_decision(
        county, coordinator, item.id, DecisionInput("defer", "Next meeting."),
        expected_version=None,
    )  # fmt: skip
    assert status(county, nw_meeting.id) == "open"


def test_signed_off_minutes_stay_closed_after_an_amendment(county, demo, nw_meeting):
    item = undecided_item(county, nw_meeting.id)
    saved = record_decision(
        county, demo(Role.COORDINATOR), item.id, DecisionInput("defer", "Next meeting."),
        expected_version=None,
    )  # fmt: skip
    chair = demo(Role.CHAIR)
    sign_off_minutes(county, chair, nw_meeting.id)
    amend_decision(
        county, chair, item.id, DecisionInput("decline", "Not for this panel."),
        expected_version=saved.version,
    )  # fmt: skip
    assert status(county, nw_meeting.id) == "closed"
