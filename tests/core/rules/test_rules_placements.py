"""Each placement rule at its boundaries (R7, R9, R11, R12, R26, R27, R28)."""

from dataclasses import replace
from datetime import date, timedelta

from seips_core.rules.placements import (
    PlacementFacts,
    incomplete_ap_plan,
    no_safeguarding_confirmation,
    outside_coming_standard,
    placement_flags,
    review_overdue,
    substantial_ap,
    substantial_without_plan,
    work_experience_without_lebc,
)

ON = date(2025, 11, 12)

#: A current two-day AP placement with every record in place: it raises nothing.
COMPLETE = PlacementFacts(
    case_ref="P-1",
    provider="Brook AP",
    school="Ashby School",
    partnership="NWL",
    kind="ap",
    sessions="MonAM MonPM TueAM TuePM",
    hours_per_week=10.0,
    start_date=date(2025, 10, 1),
    planned_end_date=date(2025, 12, 19),
    max_duration_weeks=11,
    plan_agreed_date=date(2025, 9, 25),
    last_review_date=date(2025, 11, 1),
    next_review_date=date(2025, 12, 10),
    la_informed_date=date(2025, 10, 1),
    provider_lebc_check_date=date(2025, 9, 1),
    safeguarding_confirmed=True,
)
FOUR_DAYS = "MonAM TueAM WedAM ThuPM"
THREE_DAYS = "MonAM MonPM TueAM TuePM WedAM WedPM"


def test_a_complete_placement_raises_nothing():
    assert placement_flags(COMPLETE, ON) == []


# --- R7 -------------------------------------------------------------------------------------


def test_four_days_a_week_at_one_provider_is_substantial_R7():
    flag = substantial_ap(replace(COMPLETE, sessions=FOUR_DAYS), ON)
    assert (flag.rule, flag.severity, flag.subject, flag.partnership) == (
        "R7",
        "advisory",
        "P-1",
        "NWL",
    )
    assert flag.message.startswith("4 days a week at Brook AP")
    assert "more than 3" in flag.message


def test_three_full_days_a_week_is_not_flagged_R7():
    assert substantial_ap(replace(COMPLETE, sessions=THREE_DAYS), ON) is None


def test_work_experience_four_days_a_week_is_not_an_ap_caution_R7():
    placement = replace(COMPLETE, sessions=FOUR_DAYS, kind="work_experience")
    assert substantial_ap(placement, ON) is None


def test_a_placement_that_ended_yesterday_is_not_current_R7():
    ended = replace(COMPLETE, sessions=FOUR_DAYS, end_date=ON - timedelta(days=1))
    assert substantial_ap(ended, ON) is None
    assert substantial_ap(replace(ended, end_date=ON), ON) is not None


def test_a_placement_starting_tomorrow_is_not_current_R7():
    future = replace(COMPLETE, sessions=FOUR_DAYS, start_date=ON + timedelta(days=1))
    assert substantial_ap(future, ON) is None


# --- R9 -------------------------------------------------------------------------------------


def test_a_substantial_placement_without_an_agreed_plan_is_flagged_R9():
    flag = substantial_without_plan(
        replace(COMPLETE, sessions=FOUR_DAYS, plan_agreed_date=None), ON
    )
    assert (flag.rule, flag.severity) == ("R9", "warning")
    assert "no agreed written plan" in flag.message


def test_eighteen_hours_a_week_is_substantial_and_needs_a_plan_R9():
    placement = replace(COMPLETE, hours_per_week=18.0, planned_end_date=None)
    flag = substantial_without_plan(placement, ON)
    assert "no planned end date" in flag.message
    assert "18 hours a week" in flag.message


def test_seventeen_and_a_half_hours_over_three_days_needs_no_plan_R9():
    placement = replace(COMPLETE, sessions=THREE_DAYS, hours_per_week=17.5, plan_agreed_date=None)
    assert substantial_without_plan(placement, ON) is None


def test_a_substantial_placement_past_its_planned_end_is_flagged_R9():
    placement = replace(COMPLETE, sessions=FOUR_DAYS, planned_end_date=ON - timedelta(days=1))
    flag = substantial_without_plan(placement, ON)
    assert "past its planned end date" in flag.message
    assert substantial_without_plan(replace(placement, planned_end_date=ON), ON) is None


# --- R11 ------------------------------------------------------------------------------------


def test_a_review_due_yesterday_is_overdue_R11():
    flag = review_overdue(replace(COMPLETE, next_review_date=ON - timedelta(days=1)), ON)
    assert (flag.rule, flag.severity) == ("R11", "warning")
    assert flag.message.startswith("Review overdue since 11 Nov 2025")


def test_a_review_due_today_is_not_overdue_R11():
    assert review_overdue(replace(COMPLETE, next_review_date=ON), ON) is None


def test_a_placement_with_no_review_date_is_flagged_R11():
    flag = review_overdue(replace(COMPLETE, next_review_date=None), ON)
    assert flag.message.startswith("No review date set")


# --- R12 ------------------------------------------------------------------------------------


def test_work_experience_without_an_lebc_check_is_critical_R12():
    placement = replace(COMPLETE, kind="work_experience", provider_lebc_check_date=None)
    flag = work_experience_without_lebc(placement, ON)
    assert (flag.rule, flag.severity) == ("R12", "critical")


def test_work_experience_with_an_lebc_check_passes_R12():
    assert work_experience_without_lebc(replace(COMPLETE, kind="work_experience"), ON) is None


def test_an_ap_placement_needs_no_lebc_check_R12():
    placement = replace(COMPLETE, provider_lebc_check_date=None)
    assert work_experience_without_lebc(placement, ON) is None


# --- R26 ------------------------------------------------------------------------------------


def test_an_ap_placement_with_no_maximum_duration_is_flagged_R26():
    placement = replace(COMPLETE, planned_end_date=None, max_duration_weeks=None)
    flag = incomplete_ap_plan(placement, ON)
    assert (flag.rule, flag.severity) == ("R26", "warning")
    assert "no maximum duration" in flag.message


def test_a_maximum_duration_in_weeks_alone_is_enough_R26():
    placement = replace(COMPLETE, planned_end_date=None, max_duration_weeks=6)
    assert incomplete_ap_plan(placement, ON) is None


def test_reviews_fifty_days_apart_are_not_half_termly_R26():
    placement = replace(COMPLETE, last_review_date=date(2025, 11, 1))
    late = incomplete_ap_plan(replace(placement, next_review_date=date(2025, 12, 21)), ON)
    assert "50 days after the last" in late.message
    assert incomplete_ap_plan(replace(placement, next_review_date=date(2025, 12, 20)), ON) is None


def test_a_first_review_counts_from_the_start_date_R26():
    never_reviewed = replace(COMPLETE, last_review_date=None, start_date=date(2025, 11, 1))
    assert incomplete_ap_plan(replace(never_reviewed, next_review_date=date(2025, 12, 21)), ON)
    assert (
        incomplete_ap_plan(replace(never_reviewed, next_review_date=date(2025, 12, 20)), ON) is None
    )


def test_an_ap_placement_the_la_was_not_told_of_is_flagged_R26():
    flag = incomplete_ap_plan(replace(COMPLETE, la_informed_date=None), ON)
    assert "LA not informed" in flag.message


def test_every_gap_in_the_plan_is_named_in_one_flag_R26():
    placement = replace(
        COMPLETE, planned_end_date=None, max_duration_weeks=None, la_informed_date=None
    )
    flag = incomplete_ap_plan(placement, ON)
    assert flag.message == "AP plan at Brook AP incomplete: no maximum duration; LA not informed"


# --- R27 ------------------------------------------------------------------------------------


def test_no_written_safeguarding_confirmation_is_flagged_R27():
    flag = no_safeguarding_confirmation(replace(COMPLETE, safeguarding_confirmed=False), ON)
    assert (flag.rule, flag.severity) == ("R27", "warning")
    assert "Ashby School" in flag.message and "Brook AP" in flag.message


def test_a_confirmed_provider_passes_R27():
    assert no_safeguarding_confirmation(COMPLETE, ON) is None


# --- R28 ------------------------------------------------------------------------------------


def test_three_days_a_week_for_thirteen_weeks_is_outside_the_coming_standard_R28():
    placement = replace(
        COMPLETE,
        sessions="MonAM TueAM WedAM",
        planned_end_date=COMPLETE.start_date + timedelta(days=85),
        max_duration_weeks=None,
    )
    flag = outside_coming_standard(placement, ON)
    assert (flag.rule, flag.severity) == ("R28", "advisory")
    assert "3 days a week" in flag.message


def test_three_days_a_week_for_exactly_twelve_weeks_meets_the_standard_R28():
    placement = replace(
        COMPLETE,
        sessions="MonAM TueAM WedAM",
        planned_end_date=COMPLETE.start_date + timedelta(days=84),
        max_duration_weeks=12,
    )
    assert outside_coming_standard(placement, ON) is None


def test_a_maximum_of_thirteen_weeks_is_longer_than_the_standard_R28():
    placement = replace(COMPLETE, sessions="MonAM TueAM WedAM", max_duration_weeks=13)
    flag = outside_coming_standard(placement, ON)
    assert "a maximum of 13 weeks" in flag.message


def test_no_planned_end_is_longer_than_the_standard_R28():
    placement = replace(
        COMPLETE, sessions="MonAM TueAM WedAM", planned_end_date=None, max_duration_weeks=None
    )
    assert "no planned end" in outside_coming_standard(placement, ON).message


def test_two_days_four_sessions_a_week_with_no_end_meets_the_standard_R28():
    placement = replace(COMPLETE, planned_end_date=None, max_duration_weeks=None)
    assert outside_coming_standard(placement, ON) is None
