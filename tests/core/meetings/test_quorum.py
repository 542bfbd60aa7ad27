"""A meeting's quorum: the pure count, the partnership's setting, and what a decision and the
minutes say without one (issue 12)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from meeting_day import TODAY, undecided_items
from sqlalchemy import select

from seips_core.auth.roles import Role
from seips_core.db import read_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed
from seips_core.minutes import minutes_content
from seips_core.models import Partnership
from seips_core.queries.meetings import invitations, meeting_quorum
from seips_core.rules.quorum import majority, quorum
from seips_core.services.decisions import DecisionInput, record_decision
from seips_core.services.meetings import set_attendance, set_quorum

DAY = date(2026, 3, 4)
TOLD = DAY - timedelta(days=14)


def schools(present: int, absent: int = 0, unticked: int = 0) -> list:
    """Member schools, all told in time: ``present`` ticked in, ``absent`` ticked out."""
    return [(TOLD, True)] * present + [(TOLD, False)] * absent + [(TOLD, None)] * unticked


def test_no_member_school_means_no_quorum():
    none = quorum(None, DAY, [])
    assert (none.members, none.needed, none.present) == (0, 1, 0)
    assert not none.met and not none.recorded


def test_before_anyone_is_ticked_the_quorum_is_expected_from_the_schools_told():
    coming = quorum(None, DAY, [(TOLD, None)] * 4 + [(None, None), (DAY + timedelta(1), None)])
    assert (coming.members, coming.needed, coming.told, coming.recorded) == (6, 4, 4, False)
    assert coming.reachable and not coming.met
    assert coming.summary() == (
        "Quorum: 4 of 6 member schools (a majority) needed; no attendance ticked yet; 4 told "
        "of the meeting, enough to be quorate if they come."
    )
    assert coming.warning() is None  # nothing to warn about before the meeting starts
    short = quorum(None, DAY, [(TOLD, None)] * 3 + [(None, None)] * 3)
    assert "too few to be quorate: notify more schools" in short.summary()


@pytest.mark.parametrize(
    ("members", "needed"), [(1, 1), (2, 2), (3, 2), (6, 4), (7, 4), (10, 6), (11, 6)]
)
def test_the_default_is_more_than_half_the_member_schools(members, needed):
    assert majority(members) == needed
    assert quorum(None, DAY, schools(0, unticked=members)).needed == needed


def test_exactly_at_the_line_is_quorate_and_one_below_is_not():
    at = quorum(None, DAY, schools(4, absent=3))
    below = quorum(None, DAY, schools(3, absent=4))
    assert (at.needed, at.present, at.met) == (4, 4, True)
    assert at.summary() == (
        "Quorum: 4 present, 4 of 7 member schools (a majority) needed: quorate."
    )
    assert (below.present, below.met) == (3, False)
    assert below.summary().endswith("needed: not quorate.")
    assert below.warning() == (
        "Quorum: only 3 member school(s) present, 4 needed: saved, and the minutes say the "
        "panel was not quorate."
    )


def test_over_the_line_with_the_partnership_s_own_number():
    over = quorum(3, DAY, schools(5, absent=2))
    assert (over.needed, over.default, over.met) == (3, False, True)
    assert "3 of 7 member schools (the partnership's quorum)" in over.summary()


def test_a_setting_above_the_member_schools_asks_for_all_of_them():
    assert quorum(9, DAY, schools(7)).needed == 7


def nw_version(engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(Partnership.version).where(Partnership.code == "NW"))


def test_a_chair_sets_the_quorum_and_the_meeting_counts_to_it(county, demo, nw_meeting):
    chair = demo(Role.CHAIR)
    with read_session(county) as session:
        before = meeting_quorum(session, chair, nw_meeting.id)
    assert before.default and before.needed == majority(before.members)
    set_quorum(county, chair, "NW", 2, expected_version=nw_version(county))
    with read_session(county) as session:
        after = meeting_quorum(session, chair, nw_meeting.id)
    assert (after.needed, after.default, after.members) == (2, False, before.members)
    set_quorum(county, demo(Role.COUNTY_ADMIN), "NW", None, expected_version=nw_version(county))
    with read_session(county) as session:
        assert meeting_quorum(session, chair, nw_meeting.id).default


def test_a_wrong_or_stale_quorum_is_refused(county, demo, nw_meeting):
    chair = demo(Role.CHAIR)
    version = nw_version(county)
    with read_session(county) as session:
        members = meeting_quorum(session, chair, nw_meeting.id).members
    for wrong in (0, members + 1):
        with pytest.raises(InvalidValue, match=rf"^Quorum: give a number .* from 1 to {members}"):
            set_quorum(county, chair, "NW", wrong, expected_version=version)
    with pytest.raises(NotAllowed):
        set_quorum(county, demo(Role.COORDINATOR), "NW", 2, expected_version=version)
    with pytest.raises(NotAllowed):
        set_quorum(county, replace(chair, partnerships=frozenset({"HB"})), "NW", 2,
                   expected_version=version)  # fmt: skip
    set_quorum(county, chair, "NW", 2, expected_version=version)
    with pytest.raises(Conflict, match=r"^Quorum: it was changed by "):
        set_quorum(county, demo(Role.COUNTY_ADMIN), "NW", 3, expected_version=version)


def test_a_decision_without_a_quorum_is_saved_with_a_warning_and_the_minutes_say_so(
    county, demo, nw_meeting
):
    coordinator = demo(Role.COORDINATOR)
    with read_session(county) as session:
        first = invitations(session, coordinator, "NW", nw_meeting.id)[0]
    set_attendance(county, coordinator, nw_meeting.id, first.school_id, True,
                   expected_version=first.version)  # fmt: skip
    item = undecided_items(county, "fair_access")[0]
    saved = record_decision(
        county, coordinator, item.id, DecisionInput("defer", "More to know."),
        expected_version=None,
    )  # fmt: skip
    assert any(w.startswith("Quorum: only 1 member school(s) present") for w in saved.warnings)
    with read_session(county) as session:
        minutes = minutes_content(session, coordinator, nw_meeting.id, full_names=False)
    assert minutes.quorum.startswith("Quorum: 1 present, ")
    assert minutes.quorum.endswith("needed: not quorate.")


def test_today_s_meeting_before_any_tick_expects_the_schools_told(county, demo, nw_meeting):
    with read_session(county) as session:
        found = meeting_quorum(session, demo(Role.VIEWER), nw_meeting.id)
        rows = invitations(session, demo(Role.VIEWER), "NW", nw_meeting.id)
    told = sum(1 for r in rows if r.notified_date is not None and r.notified_date <= TODAY)
    assert (found.members, found.told, found.recorded) == (len(rows), told, False)
    assert told < len(rows)  # the sample leaves one school un-notified (R13a)
