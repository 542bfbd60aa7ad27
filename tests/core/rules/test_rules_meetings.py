"""Meeting and decision rules (R13a, R16)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from seips_core.rules.meetings import (
    DecisionFacts,
    MeetingFacts,
    decision_flags,
    managed_move_without_agreement,
    meeting_label,
    meeting_not_fully_notified,
    unenforceable_allocation,
)

ON = date(2025, 11, 12)
HELD = date(2025, 11, 5)
FULLY_NOTIFIED = MeetingFacts(
    label=meeting_label("NWL", "panel", HELD),
    partnership="NWL",
    meeting_date=HELD,
    notifications=(("Ashby School", date(2025, 10, 20)), ("Coalville School", HELD)),
)
COALVILLE_NOT_TOLD = replace(
    FULLY_NOTIFIED, notifications=(("Ashby School", date(2025, 10, 20)), ("Coalville School", None))
)
ALLOCATION = DecisionFacts(case_ref="FA-1", outcome="allocate_fair_access", meeting=FULLY_NOTIFIED)
AGREED_MOVE = DecisionFacts(
    case_ref="P-1",
    outcome="agree_managed_move",
    meeting=FULLY_NOTIFIED,
    parents_agree=True,
    home_school_agrees=True,
    receiving_school_agrees=True,
)


def test_meetings_are_labelled_by_partnership_kind_and_day():
    assert meeting_label("NWL", "panel", HELD) == "NWL panel 5 Nov 2025"
    assert meeting_label("HBN", "inclusion_forum", HELD) == "HBN Inclusion Forum 5 Nov 2025"


def test_a_school_notified_after_the_meeting_was_not_notified_R13a():
    late = replace(FULLY_NOTIFIED, notifications=(("Ashby School", HELD + timedelta(days=1)),))
    assert late.unnotified_schools == ("Ashby School",)


# --- R13a: decisions ------------------------------------------------------------------------


def test_an_allocation_where_a_member_school_was_not_notified_is_unenforceable_R13a():
    flag = unenforceable_allocation(replace(ALLOCATION, meeting=COALVILLE_NOT_TOLD))
    assert (flag.rule, flag.severity, flag.subject, flag.partnership) == (
        "R13a",
        "critical",
        "FA-1",
        "NWL",
    )
    assert flag.message.startswith(
        "Fair Access allocation at NWL panel 5 Nov 2025 is unenforceable"
    )
    assert "(Coalville School)" in flag.message


def test_an_allocation_where_every_school_was_notified_stands_R13a():
    assert unenforceable_allocation(ALLOCATION) is None


def test_other_decisions_at_a_partly_notified_meeting_are_not_allocations_R13a():
    decision = replace(ALLOCATION, outcome="programme_manage_tier4", meeting=COALVILLE_NOT_TOLD)
    assert decision_flags(decision) == []


# --- R13a: meetings to come -----------------------------------------------------------------


def test_a_meeting_today_with_a_school_not_notified_is_warned_R13a():
    meeting = replace(COALVILLE_NOT_TOLD, label=meeting_label("NWL", "panel", ON), meeting_date=ON)
    flag = meeting_not_fully_notified(meeting, ON)
    assert (flag.rule, flag.severity, flag.subject) == ("R13a", "warning", "NWL panel 12 Nov 2025")
    assert flag.message.startswith("1 member school(s) not notified (Coalville School)")


def test_a_meeting_held_yesterday_is_past_warning_R13a():
    meeting = replace(COALVILLE_NOT_TOLD, meeting_date=ON - timedelta(days=1))
    assert meeting_not_fully_notified(meeting, ON) is None


def test_a_coming_meeting_with_every_school_notified_is_fine_R13a():
    assert meeting_not_fully_notified(replace(FULLY_NOTIFIED, meeting_date=ON), ON) is None


# --- R16 ------------------------------------------------------------------------------------


def test_a_managed_move_with_all_three_agreements_stands_R16():
    assert managed_move_without_agreement(AGREED_MOVE) is None


@pytest.mark.parametrize(
    ("missing", "who"),
    [
        ("parents_agree", "the parents"),
        ("home_school_agrees", "the home school"),
        ("receiving_school_agrees", "the receiving school"),
    ],
)
def test_a_managed_move_without_one_agreement_is_flagged_R16(missing, who):
    for answer in (False, None):
        flag = managed_move_without_agreement(replace(AGREED_MOVE, **{missing: answer}))
        assert (flag.rule, flag.severity, flag.subject) == ("R16", "critical", "P-1")
        assert f"without {who} agreeing" in flag.message


def test_a_decision_that_is_not_a_managed_move_needs_no_agreements_R16():
    decision = replace(AGREED_MOVE, outcome="defer", parents_agree=None)
    assert managed_move_without_agreement(decision) is None
