"""The session-pattern arithmetic the AP rules and pages share (R7, R8)."""

import pytest

from seips_core.rules.sessions import (
    days_a_week,
    days_with_sessions,
    is_substantial,
    substantial_reason,
)


def test_a_half_day_counts_as_a_day_at_the_provider_R7():
    assert days_a_week("MonAM TuePM WedAM") == 3


def test_morning_and_afternoon_of_one_day_are_one_day_R7():
    assert days_a_week("MonAM MonPM") == 1


def test_days_are_listed_in_week_order_whatever_the_pattern_order():
    assert days_with_sessions("FriPM MonAM WedPM WedAM") == ("Mon", "Wed", "Fri")


def test_an_empty_pattern_has_no_days():
    assert days_a_week("") == 0


@pytest.mark.parametrize(
    ("days", "hours", "substantial"),
    [(3, 17.5, False), (4, 0.0, True), (3, 18.0, True), (0, 17.99, False)],
)
def test_substantial_means_more_than_three_days_or_eighteen_hours_R7_R8(days, hours, substantial):
    assert is_substantial(days, hours) is substantial


def test_the_reason_names_each_limit_reached_R7_R8():
    assert substantial_reason(4, 20.0) == (
        "4 days a week (more than 3) and 20 hours a week (18 or more)"
    )
    assert substantial_reason(2, 18.0) == "18 hours a week (18 or more)"
