"""Fair Access rules at their boundaries (R13, R20, R21, R22)."""

from dataclasses import replace
from datetime import date, timedelta

from seips_core.rules.fair_access import (
    FairAccessFacts,
    RefusalFacts,
    accepted_without_eligibility,
    allocation_overdue,
    decision_not_followed_up,
    fair_access_flags,
    refusals_logged,
)
from seips_core.school_days import SchoolCalendar

ON = date(2025, 11, 12)  # a Wednesday after the October half term (27–31 Oct)
CALENDAR = SchoolCalendar.from_terms(
    [(date(2025, 9, 3), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19))]
)
#: Accepted, eligible and allocated, decided today with everyone told.
ON_TRACK = FairAccessFacts(
    case_ref="FA-1",
    partnership="NWL",
    referred_date=date(2025, 10, 1),
    unplaced=True,
    categories=1,
    accepted_date=date(2025, 10, 6),
    allocated=True,
    decision_date=ON,
    school_told_date=ON,
    admissions_told_date=ON,
)


def test_a_case_on_track_raises_nothing():
    assert fair_access_flags(ON_TRACK, ON, CALENDAR) == []


# --- R13 ------------------------------------------------------------------------------------


def test_not_on_roll_eight_days_after_the_decision_is_followed_up_R13():
    case = replace(ON_TRACK, decision_date=ON - timedelta(days=8))
    flag = decision_not_followed_up(case, ON)
    assert (flag.rule, flag.severity, flag.subject) == ("R13", "warning", "FA-1")
    assert "not on roll 8 days after the decision" in flag.message
    assert "(limit 7): tell Admissions and follow up" in flag.message


def test_not_on_roll_seven_days_after_the_decision_is_still_in_time_R13():
    assert decision_not_followed_up(replace(ON_TRACK, decision_date=ON - timedelta(7)), ON) is None


def test_a_child_on_roll_closes_the_case_R13():
    late = replace(ON_TRACK, decision_date=ON - timedelta(days=30), on_roll_date=ON)
    assert decision_not_followed_up(late, ON) is None


def test_a_decision_without_telling_the_school_and_admissions_is_flagged_R13():
    case = replace(ON_TRACK, school_told_date=None, admissions_told_date=None)
    flag = decision_not_followed_up(case, ON)
    assert "the chosen school has not been told" in flag.message
    assert "Admissions has not been told" in flag.message


def test_an_undecided_case_has_nothing_to_follow_up_R13():
    case = replace(ON_TRACK, decision_date=None, school_told_date=None, admissions_told_date=None)
    assert decision_not_followed_up(case, ON) is None


# --- R20 ------------------------------------------------------------------------------------


def test_an_accepted_case_with_no_category_is_not_eligible_R20():
    flag = accepted_without_eligibility(replace(ON_TRACK, categories=0), ON)
    assert (flag.rule, flag.severity) == ("R20", "critical")
    assert "no Fair Access category recorded" in flag.message


def test_an_accepted_child_who_is_not_unplaced_is_not_eligible_R20():
    flag = accepted_without_eligibility(replace(ON_TRACK, unplaced=False), ON)
    assert "not recorded as unplaced" in flag.message


def test_a_case_not_yet_accepted_needs_no_category_yet_R20():
    case = replace(ON_TRACK, categories=0, accepted_date=None)
    assert accepted_without_eligibility(case, ON) is None


# --- R21 ------------------------------------------------------------------------------------


def test_twenty_one_school_days_across_half_term_is_past_the_limit_R21():
    # After Tue 7 Oct to Wed 12 Nov: 8-10 Oct (3), 13-24 Oct (10), half term, 3-12 Nov (8).
    flag = allocation_overdue(
        replace(ON_TRACK, allocated=False, accepted_date=date(2025, 10, 7)), ON, CALENDAR
    )
    assert (flag.rule, flag.severity) == ("R21", "critical")
    assert flag.message.startswith("No school allocated 21 school days after acceptance")


def test_twenty_school_days_across_half_term_is_near_the_limit_R21():
    flag = allocation_overdue(
        replace(ON_TRACK, allocated=False, accepted_date=date(2025, 10, 8)), ON, CALENDAR
    )
    assert flag.severity == "warning"
    assert "20 school days after acceptance" in flag.message
    assert flag.message.endswith("near the limit of 20 school days")


def test_fifteen_school_days_is_a_warning_and_fourteen_is_not_R21():
    # After Wed 15 Oct: 16-24 Oct (7), half term, 3-12 Nov (8) = 15.
    near = replace(ON_TRACK, allocated=False, accepted_date=date(2025, 10, 15))
    assert allocation_overdue(near, ON, CALENDAR).severity == "warning"
    assert allocation_overdue(replace(near, accepted_date=date(2025, 10, 16)), ON, CALENDAR) is None


def test_an_allocated_case_stops_the_clock_R21():
    case = replace(ON_TRACK, accepted_date=date(2025, 9, 10))
    assert allocation_overdue(case, ON, CALENDAR) is None


# --- R22 ------------------------------------------------------------------------------------


def test_a_schools_refusals_and_delays_are_shown_against_it_R22():
    flag = refusals_logged(RefusalFacts("Coalville School", "NWL", refusals=2, delays=1))
    assert (flag.rule, flag.severity, flag.subject, flag.partnership) == (
        "R22",
        "warning",
        "Coalville School",
        "NWL",
    )
    assert flag.message.startswith("Fair Access 2 refusal(s) and 1 delay(s) logged")


def test_a_school_with_no_refusal_or_delay_raises_nothing_R22():
    assert refusals_logged(RefusalFacts("Ashby School", "NWL")) is None
