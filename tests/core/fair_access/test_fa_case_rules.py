"""A Fair Access case's stage, R20 check and clocks at their boundaries (R13, R20, R21).

The school days below are counted by hand from the calendar of explicit terms, so that the
expected figures do not come from the code under test.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from seips_core.rules.fair_access_stage import (
    FOLLOW_UP,
    STAGES,
    CaseDates,
    allocation_clock,
    case_order,
    days_out_of_education,
    eligibility,
    on_roll_clock,
    stage_of,
)
from seips_core.school_days import SchoolCalendar

#: Autumn 1 (half term 27–31 Oct), Autumn 2 (Christmas after 19 Dec), Spring 1.
CALENDAR = SchoolCalendar.from_terms(
    [
        (date(2025, 9, 3), date(2025, 10, 24)),
        (date(2025, 11, 3), date(2025, 12, 19)),
        (date(2026, 1, 5), date(2026, 2, 13)),
    ]
)
#: Monday 6 Oct: 14 school days to Fri 24 Oct, then half term, then 15 on Mon 3 Nov.
BEFORE_HALF_TERM = date(2025, 10, 6)
#: Monday 1 Dec: 14 school days to Fri 19 Dec, then Christmas, then 15 on Mon 5 Jan.
BEFORE_CHRISTMAS = date(2025, 12, 1)
DAY = timedelta(days=1)

EVERY_STEP = CaseDates(
    referred_date=date(2025, 9, 29),
    eligibility_checked_date=date(2025, 10, 1),
    accepted_date=BEFORE_HALF_TERM,
    decision_date=date(2025, 11, 5),
    school_told_date=date(2025, 11, 5),
    admissions_told_date=date(2025, 11, 6),
    on_roll_date=date(2025, 11, 10),
)


# --- R21: twenty school days from acceptance to allocation -----------------------------------


@pytest.mark.parametrize(
    ("on", "used", "status"),
    [
        (date(2025, 10, 24), 14, "ok"),  # last day before half term
        (date(2025, 10, 31), 14, "ok"),  # half term: no school day passes
        (date(2025, 11, 3), 15, "near"),  # first day back: the warning starts
        (date(2025, 11, 7), 19, "near"),
        (date(2025, 11, 10), 20, "near"),  # the 20th school day is still in time
        (date(2025, 11, 11), 21, "past"),
    ],
)
def test_r21_clock_skips_the_half_term_holiday(on, used, status):
    clock = allocation_clock(BEFORE_HALF_TERM, None, on, CALENDAR)
    assert (clock.school_days, clock.status, clock.running) == (used, status, True)


@pytest.mark.parametrize(
    ("on", "used", "status"),
    [
        (date(2025, 12, 19), 14, "ok"),  # last day of the autumn term
        (date(2026, 1, 2), 14, "ok"),  # Christmas holiday
        (date(2026, 1, 9), 19, "near"),
        (date(2026, 1, 12), 20, "near"),
        (date(2026, 1, 13), 21, "past"),
    ],
)
def test_r21_clock_runs_across_the_term_boundary(on, used, status):
    clock = allocation_clock(BEFORE_CHRISTMAS, None, on, CALENDAR)
    assert (clock.school_days, clock.status) == (used, status)


def test_r21_allocate_by_is_the_twentieth_school_day_after_the_holiday():
    assert allocation_clock(BEFORE_HALF_TERM, None, BEFORE_HALF_TERM, CALENDAR).allocate_by == (
        date(2025, 11, 10)
    )
    assert allocation_clock(BEFORE_CHRISTMAS, None, BEFORE_CHRISTMAS, CALENDAR).allocate_by == (
        date(2026, 1, 12)
    )


def test_r21_summary_says_when_to_allocate_by_and_when_it_is_past():
    near = allocation_clock(BEFORE_HALF_TERM, None, date(2025, 11, 7), CALENDAR)
    assert near.summary == "R21: 19 of 20 school days used; allocate by 10 Nov 2025"
    past = allocation_clock(BEFORE_HALF_TERM, None, date(2025, 11, 11), CALENDAR)
    assert past.summary == (
        "R21: 21 school days since acceptance, past the limit of 20 (due 10 Nov 2025)"
    )


def test_r21_clock_stops_at_the_decision():
    clock = allocation_clock(BEFORE_HALF_TERM, date(2025, 11, 4), date(2026, 2, 1), CALENDAR)
    assert (clock.school_days, clock.status, clock.running) == (16, "near", False)
    assert clock.summary == "R21: allocated after 16 of 20 school days"
    late = allocation_clock(BEFORE_HALF_TERM, date(2025, 11, 11), date(2026, 2, 1), CALENDAR)
    assert (late.school_days, late.status, late.running) == (21, "past", False)


def test_r21_a_decision_after_the_day_asked_has_not_stopped_the_clock_yet():
    clock = allocation_clock(BEFORE_HALF_TERM, date(2025, 11, 11), date(2025, 11, 3), CALENDAR)
    assert (clock.school_days, clock.running) == (15, True)


def test_r21_no_clock_before_acceptance():
    assert allocation_clock(None, None, date(2025, 11, 3), CALENDAR) is None
    assert allocation_clock(date(2025, 11, 4), None, date(2025, 11, 3), CALENDAR) is None


def test_r21_allocate_by_is_unknown_beyond_the_stored_terms():
    clock = allocation_clock(date(2026, 2, 2), None, date(2026, 2, 2), CALENDAR)
    assert clock.allocate_by is None
    assert clock.summary.endswith("the term dates do not reach the 20th school day yet")


# --- R13: on roll within a week of the decision ----------------------------------------------

DECIDED = date(2025, 11, 5)


def test_r13_seven_days_after_the_decision_is_in_time():
    clock = on_roll_clock(DECIDED, None, DECIDED + 7 * DAY)
    assert (clock.days, clock.status, clock.running, clock.action) == (7, "ok", True, None)


def test_r13_eight_days_without_the_child_on_roll_asks_to_tell_admissions():
    clock = on_roll_clock(DECIDED, None, DECIDED + 8 * DAY)
    assert (clock.days, clock.status, clock.action) == (8, "past", FOLLOW_UP)
    assert clock.summary == (
        "R13: not on roll 8 days after the decision (limit 7): tell Admissions and follow up"
    )


def test_r13_clock_stops_when_the_child_is_on_roll():
    late = on_roll_clock(DECIDED, DECIDED + 8 * DAY, DECIDED + 30 * DAY)
    assert (late.days, late.status, late.running, late.action) == (8, "past", False, None)
    in_time = on_roll_clock(DECIDED, DECIDED + 7 * DAY, DECIDED + 30 * DAY)
    assert (in_time.days, in_time.status) == (7, "ok")


def test_r13_on_roll_after_the_day_asked_is_not_on_roll_yet():
    clock = on_roll_clock(DECIDED, DECIDED + 20 * DAY, DECIDED + 9 * DAY)
    assert (clock.days, clock.running, clock.action) == (9, True, FOLLOW_UP)


def test_r13_no_clock_before_the_decision():
    assert on_roll_clock(None, None, DECIDED) is None
    assert on_roll_clock(DECIDED, None, DECIDED - DAY) is None


# --- Days out of education -------------------------------------------------------------------


def test_days_out_of_education_run_until_the_child_is_on_roll():
    referred = date(2025, 10, 1)
    assert days_out_of_education(referred, None, date(2025, 10, 15)) == 14
    assert days_out_of_education(referred, date(2025, 10, 10), date(2025, 11, 1)) == 9
    assert days_out_of_education(referred, date(2025, 10, 20), date(2025, 10, 15)) == 14


# --- R20: the eligibility check --------------------------------------------------------------


def test_r20_unplaced_with_a_category_passes():
    assert eligibility(True, ["Homeless"]) == (True, "R20: unplaced and in 1 category")
    assert eligibility(True, ["Homeless", "Young carer"]).reason.endswith("in 2 categories")


def test_r20_no_category_cannot_pass():
    assert eligibility(True, []) == (False, "R20: cannot pass the check: no category recorded")


def test_r20_a_child_not_unplaced_cannot_pass():
    assert eligibility(False, ["Homeless"]) == (False, "R20: cannot pass the check: not unplaced")
    ok, reason = eligibility(False, ())
    assert not ok
    assert reason == "R20: cannot pass the check: not unplaced and no category recorded"


# --- R13's steps -----------------------------------------------------------------------------


def test_a_referral_alone_stands_at_referred_by_admissions():
    stage = stage_of(CaseDates(referred_date=date(2025, 9, 29)), date(2025, 10, 1))
    assert (stage.name, stage.day, stage.skipped) == (
        "Referred by Admissions",
        date(2025, 9, 29),
        (),
    )
    assert stage.is_open


@pytest.mark.parametrize(
    ("on", "name"),
    [
        (date(2025, 9, 30), "Referred by Admissions"),
        (date(2025, 10, 1), "Eligibility checked"),
        (BEFORE_HALF_TERM, "Accepted"),
        (date(2025, 11, 5), "School told"),  # decided and the school told the same day
        (date(2025, 11, 6), "Admissions told"),
        (date(2025, 11, 10), "On roll"),
    ],
)
def test_the_stage_is_the_last_step_reached_by_the_day_asked(on, name):
    assert stage_of(EVERY_STEP, on).name == name


def test_every_step_has_its_date_and_later_ones_are_blank():
    stage = stage_of(EVERY_STEP, date(2025, 11, 5))
    assert [step.name for step in stage.steps] == list(STAGES)
    assert [step.day for step in stage.steps] == [
        date(2025, 9, 29),
        date(2025, 10, 1),
        BEFORE_HALF_TERM,
        date(2025, 11, 5),
        date(2025, 11, 5),
        None,
        None,
    ]


def test_a_child_on_roll_closes_the_case():
    stage = stage_of(EVERY_STEP, date(2025, 12, 1))
    assert (stage.name, stage.day, stage.is_open) == ("On roll", date(2025, 11, 10), False)


def test_steps_reached_without_a_date_are_named_as_skipped():
    unchecked = replace(EVERY_STEP, eligibility_checked_date=None, school_told_date=None)
    stage = stage_of(unchecked, date(2025, 11, 7))
    assert stage.name == "Admissions told"
    assert stage.skipped == ("Eligibility checked", "School told")


# --- The list's order ------------------------------------------------------------------------


def _order(dates: CaseDates, on: date) -> tuple:
    return case_order(
        stage_of(dates, on),
        allocation_clock(dates.accepted_date, dates.decision_date, on, CALENDAR),
        on_roll_clock(dates.decision_date, dates.on_roll_date, on),
        days_out_of_education(dates.referred_date, dates.on_roll_date, on),
    )


def test_open_cases_come_first_most_urgent_clock_first():
    on = date(2025, 11, 11)
    waiting = CaseDates(referred_date=date(2025, 9, 29), accepted_date=BEFORE_HALF_TERM)  # 21
    near = replace(waiting, accepted_date=date(2025, 10, 9))  # 18 school days: near
    fresh = replace(waiting, accepted_date=date(2025, 11, 10))  # 1 school day: ok
    not_accepted = CaseDates(referred_date=date(2025, 8, 1))  # long out, but no clock yet
    not_on_roll = replace(EVERY_STEP, decision_date=date(2025, 11, 1), on_roll_date=None)  # 10 d
    on_roll = EVERY_STEP
    cases = {
        "on roll": on_roll,
        "not accepted": not_accepted,
        "fresh": fresh,
        "near": near,
        "R21 past": waiting,
        "R13 past": not_on_roll,
    }
    ordered = sorted(cases, key=lambda name: _order(cases[name], on))
    # R13's 10 of 7 days is a larger share of its limit than R21's 21 of 20.
    assert ordered == ["R13 past", "R21 past", "near", "fresh", "not accepted", "on roll"]


def test_closed_cases_follow_most_recently_on_roll_first():
    on = date(2026, 1, 30)
    earlier = replace(EVERY_STEP, on_roll_date=date(2025, 11, 7))
    assert _order(EVERY_STEP, on) < _order(earlier, on)
