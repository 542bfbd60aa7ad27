"""Editing a meeting's actions and ticking them done, overdue and carried forward (issue 12)."""

from dataclasses import replace
from datetime import timedelta

import pytest
from meeting_day import TODAY
from sqlalchemy import select

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed
from seips_core.minutes import minutes_content
from seips_core.models import Action, AuditEntry, Meeting, Partnership
from seips_core.queries.actions import carried_forward, meeting_actions, overdue_actions
from seips_core.services.meetings import (
    add_action,
    edit_action,
    set_action_done,
    sign_off_minutes,
)

DAY = timedelta(days=1)
DUE = TODAY + 14 * DAY


def saved(engine, action_id: int) -> Action:
    with read_session(engine) as session:
        return session.get(Action, action_id)


def new_action(engine, actor, meeting_id: int) -> Action:
    return saved(engine, add_action(engine, actor, meeting_id, None, "Chase", "Chair", DUE))


def test_an_action_is_edited_and_the_trail_says_who(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    action = new_action(county, coordinator, nw_meeting.id)
    version = edit_action(
        county, coordinator, action.id, description=" Send the EP report ", owner="SENCO",
        due_date=DUE + timedelta(days=7), expected_version=action.version,
    )  # fmt: skip
    now = saved(county, action.id)
    assert (now.description, now.owner, now.due_date, now.version) == (
        "Send the EP report",
        "SENCO",
        DUE + timedelta(days=7),
        version,
    )
    assert version == action.version + 1
    with read_session(county) as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name == "action", AuditEntry.row_id == action.id)
            .order_by(AuditEntry.id.desc())
        ).first()
    assert (entry.actor, entry.action) == (coordinator.email, "update")


def test_an_action_is_ticked_done_and_undone(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    action = new_action(county, coordinator, nw_meeting.id)
    version = set_action_done(
        county, coordinator, action.id, True, expected_version=action.version, on=TODAY
    )
    assert saved(county, action.id).done_date == TODAY
    set_action_done(county, coordinator, action.id, False, expected_version=version, on=TODAY)
    assert saved(county, action.id).done_date is None


def test_a_change_on_an_older_version_is_refused_naming_who_saved_first(county, demo, nw_meeting):
    coordinator, chair = demo(Role.COORDINATOR), demo(Role.CHAIR)
    action = new_action(county, coordinator, nw_meeting.id)
    set_action_done(county, chair, action.id, True, expected_version=action.version, on=TODAY)
    with pytest.raises(Conflict, match=rf"^Action: it was changed by {chair.display_name} at "):
        edit_action(
            county, coordinator, action.id, description="Chase", owner="Someone else",
            due_date=DUE, expected_version=action.version,
        )  # fmt: skip
    with pytest.raises(Conflict, match=r"^Action: it was changed by "):
        set_action_done(county, coordinator, action.id, False, expected_version=action.version)
    assert (saved(county, action.id).owner, saved(county, action.id).done_date) == ("Chair", TODAY)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "  "}, "Action"),
        ({"owner": ""}, "Owner"),
        ({"description": "x" * 501}, "Action"),
        ({"owner": "x" * 121}, "Owner"),
        ({"due_date": TODAY - timedelta(days=1)}, "Due date"),
    ],
)
def test_a_wrong_edit_is_refused_naming_the_field(county, demo, nw_meeting, change, field):
    coordinator = demo(Role.COORDINATOR)
    action = new_action(county, coordinator, nw_meeting.id)
    fields = {"description": "Chase", "owner": "Chair", "due_date": DUE} | change
    with pytest.raises(InvalidValue, match=rf"^{field}: "):
        edit_action(county, coordinator, action.id, **fields, expected_version=action.version)
    assert saved(county, action.id).version == action.version


def test_done_before_the_meeting_is_refused(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    action = new_action(county, coordinator, nw_meeting.id)
    with pytest.raises(InvalidValue, match=r"^Done: .*before the meeting that set it"):
        set_action_done(
            county, coordinator, action.id, True, expected_version=action.version,
            on=TODAY - timedelta(days=1),
        )  # fmt: skip


def test_viewers_and_other_partnerships_cannot_change_an_action(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    action = new_action(county, coordinator, nw_meeting.id)
    elsewhere = replace(coordinator, partnerships=frozenset({"HB"}))
    for who in (demo(Role.VIEWER), elsewhere):
        with pytest.raises(NotAllowed):
            set_action_done(county, who, action.id, True, expected_version=action.version)
        with pytest.raises(NotAllowed):
            edit_action(
                county, who, action.id, description="Mine now", owner="HB", due_date=DUE,
                expected_version=action.version,
            )  # fmt: skip
    with pytest.raises(InvalidValue, match=r"^Action: there is no action"):
        set_action_done(county, coordinator, 10**9, True, expected_version=1)
    assert saved(county, action.id).version == action.version


def test_after_sign_off_an_action_is_done_and_handed_on_but_says_what_was_agreed(
    county, demo, nw_meeting
):
    coordinator = demo(Role.COORDINATOR)
    action = new_action(county, coordinator, nw_meeting.id)
    sign_off_minutes(county, demo(Role.CHAIR), nw_meeting.id)
    version = edit_action(
        county, coordinator, action.id, description="Chase", owner="Co-ordinator",
        due_date=DUE + timedelta(days=7), expected_version=action.version,
    )  # fmt: skip
    with pytest.raises(InvalidValue, match=r"^Action: the minutes that set this action"):
        edit_action(
            county, coordinator, action.id, description="Something else", owner="Co-ordinator",
            due_date=DUE, expected_version=version,
        )  # fmt: skip
    set_action_done(county, coordinator, action.id, True, expected_version=version, on=DUE)
    assert saved(county, action.id).done_date == DUE


def earlier_meeting(engine) -> Meeting:
    """NW's latest meeting before today (held and closed in the sample)."""
    with read_session(engine) as session:
        return session.scalars(
            select(Meeting)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(Partnership.code == "NW", Meeting.meeting_date < TODAY)
            .order_by(Meeting.meeting_date.desc())
        ).first()


def test_an_open_action_past_its_day_is_overdue_and_carried_to_the_next_meeting(
    county, demo, nw_meeting
):
    coordinator = demo(Role.COORDINATOR)
    before = earlier_meeting(county)
    with write_session("test", county) as session:
        late = Action(
            meeting_id=before.id, description="Late", owner="HT", due_date=TODAY - 1 * DAY
        )
        done_after = Action(
            meeting_id=before.id, description="Done after", owner="HT",
            due_date=TODAY - 2 * DAY, done_date=TODAY + 3 * DAY,
        )  # fmt: skip
        not_due = Action(meeting_id=before.id, description="Not due", owner="HT", due_date=DUE)
        session.add_all([late, done_after, not_due])
        session.flush()
        ids = {late.id: "late", done_after.id: "done after", not_due.id: "not due"}
    with read_session(county) as session:
        overdue = {row.id for row in overdue_actions(session, coordinator, "NW", on=TODAY)}
        carried = {row.id for row in carried_forward(session, coordinator, nw_meeting.id)}
        hb = overdue_actions(session, demo(Role.COUNTY_ADMIN), "HB", on=TODAY)
    assert {ids[i] for i in overdue & set(ids)} == {"late"}
    assert {ids[i] for i in carried & set(ids)} == {"late", "done after"}  # open on the day
    assert not {row.id for row in hb} & set(ids)
    with pytest.raises(NotAllowed), read_session(county) as session:
        overdue_actions(session, replace(coordinator, partnerships=frozenset({"HB"})), "NW",
                        on=TODAY)  # fmt: skip
    latest = saved(county, next(i for i, name in ids.items() if name == "late"))
    set_action_done(county, coordinator, latest.id, True, expected_version=latest.version, on=TODAY)
    with read_session(county) as session:
        assert latest.id not in {
            r.id for r in overdue_actions(session, coordinator, "NW", on=TODAY)
        }
        assert latest.id not in {r.id for r in carried_forward(session, coordinator, nw_meeting.id)}
        mine = meeting_actions(session, coordinator, before.id)
    assert {row.description for row in mine} >= {"Late", "Done after", "Not due"}


def test_the_minutes_list_the_actions_set_and_those_carried_forward(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    before = earlier_meeting(county)
    with write_session("test", county) as session:
        session.add(Action(meeting_id=before.id, description="Chase HT", owner="HT",
                           due_date=TODAY - DAY))  # fmt: skip
    action = new_action(county, coordinator, nw_meeting.id)
    set_action_done(county, coordinator, action.id, True, expected_version=action.version, on=DUE)
    with read_session(county) as session:
        minutes = minutes_content(session, coordinator, nw_meeting.id, full_names=False)
    set_here, carried = minutes.action_tables()
    assert ("Chase", "Chair", f"{DUE:%d/%m/%Y}", f"{DUE:%d/%m/%Y}", "") in set_here.rows
    assert carried.columns == ("Action", "Owner", "Due", "Set at", "Case")
    set_at = f"NW panel {before.meeting_date:%-d %b %Y}"
    assert ("Chase HT", "HT", f"{TODAY - DAY:%d/%m/%Y}", set_at, "") in carried.rows
