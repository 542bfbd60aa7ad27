"""School days: weekdays inside the term dates (R21, R25), and the year boundaries."""

from datetime import date

import pytest

from seips_core.school_days import (
    SchoolCalendar,
    academic_year_label,
    academic_year_start,
    financial_year_start,
)

# Autumn 2025 with its October half term (27–31 Oct) and the Christmas holiday after 19 Dec.
AUTUMN_2025 = SchoolCalendar.from_terms(
    [
        (date(2025, 9, 3), date(2025, 10, 24)),
        (date(2025, 11, 3), date(2025, 12, 19)),
        (date(2026, 1, 5), date(2026, 2, 13)),
    ]
)


def test_weekends_and_holidays_are_not_school_days():
    assert AUTUMN_2025.is_school_day(date(2025, 10, 24))  # last Friday of the half term
    assert not AUTUMN_2025.is_school_day(date(2025, 10, 25))  # Saturday
    assert not AUTUMN_2025.is_school_day(date(2025, 10, 29))  # half-term Wednesday
    assert not AUTUMN_2025.is_school_day(date(2025, 9, 2))  # before term starts


def test_september_from_the_first_day_of_term_has_twenty_school_days():
    assert AUTUMN_2025.school_days_in(date(2025, 9, 1), date(2025, 9, 30)) == 20


def test_the_clock_skips_the_half_term_holiday():
    # Accepted Monday 20 Oct: 4 days that week, none in half term, 2 after it.
    assert AUTUMN_2025.school_days_since(date(2025, 10, 20), date(2025, 11, 4)) == 6


def test_the_day_a_clock_starts_is_day_zero():
    assert AUTUMN_2025.school_days_since(date(2025, 9, 8), date(2025, 9, 8)) == 0
    assert AUTUMN_2025.school_days_since(date(2025, 9, 8), date(2025, 9, 9)) == 1


def test_a_range_ending_before_it_starts_has_no_school_days():
    assert AUTUMN_2025.school_days_in(date(2025, 9, 10), date(2025, 9, 9)) == 0


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2025, 10, 23), 3, date(2025, 11, 4)),  # across half term
        (date(2025, 12, 18), 2, date(2026, 1, 5)),  # across Christmas
        (date(2025, 10, 25), 1, date(2025, 11, 3)),  # from a holiday Saturday
    ],
)
def test_adding_school_days_crosses_holidays(start, count, expected):
    assert AUTUMN_2025.add_school_days(start, count) == expected


def test_twenty_school_days_from_acceptance_lands_after_half_term():
    # R21: accepted Mon 13 Oct 2025 → 9 days before half term, 11 after: Mon 17 Nov.
    assert AUTUMN_2025.add_school_days(date(2025, 10, 13), 20) == date(2025, 11, 17)


def test_adding_beyond_the_known_terms_says_unknown():
    assert AUTUMN_2025.add_school_days(date(2026, 2, 10), 30) is None


@pytest.mark.parametrize(
    ("day", "academic", "financial"),
    [
        (date(2025, 8, 31), 2024, 2025),
        (date(2025, 9, 1), 2025, 2025),
        (date(2026, 3, 31), 2025, 2025),
        (date(2026, 4, 1), 2025, 2026),
    ],
)
def test_academic_years_start_in_september_and_financial_years_in_april(day, academic, financial):
    assert academic_year_start(day) == academic
    assert financial_year_start(day) == financial


def test_academic_years_are_labelled_as_schools_write_them():
    assert academic_year_label(2025) == "2025-26"
    assert academic_year_label(2099) == "2099-00"
