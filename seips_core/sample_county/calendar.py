"""English-style term dates: six half terms a year around the usual holidays (R21, R25).

The sample's school days come from these, as a real county's come from its published dates.
"""

from datetime import date, timedelta

from ..school_days import SchoolCalendar

HALF_TERMS = ("Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2")


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


MONDAY, WEDNESDAY, FRIDAY = 0, 2, 4


def half_terms(year: int) -> list[tuple[str, date, date]]:
    """The six half terms of the academic year starting in September of ``year``."""
    october_break = _weekday_on_or_before(date(year, 10, 31), MONDAY)
    christmas_end = _weekday_on_or_before(date(year, 12, 20), FRIDAY)
    february_break = _weekday_on_or_after(date(year + 1, 2, 12), MONDAY)
    easter = _easter(year + 1)
    may_break = _weekday_on_or_before(date(year + 1, 5, 31), MONDAY)
    starts = (
        _weekday_on_or_after(date(year, 9, 2), WEDNESDAY),
        october_break + timedelta(days=7),
        _weekday_on_or_after(date(year + 1, 1, 3), MONDAY),
        february_break + timedelta(days=7),
        easter + timedelta(days=8),
        may_break + timedelta(days=7),
    )
    ends = (
        october_break - timedelta(days=3),
        christmas_end,
        february_break - timedelta(days=3),
        easter - timedelta(days=9),
        may_break - timedelta(days=3),
        _weekday_on_or_before(date(year + 1, 7, 22), FRIDAY),
    )
    return list(zip(HALF_TERMS, starts, ends, strict=True))


def school_calendar(years: range) -> SchoolCalendar:
    """The school days of ``years``, as the rules will read them back from ``TermDate`` rows."""
    return SchoolCalendar.from_terms(
        (start, end) for year in years for _name, start, end in half_terms(year)
    )
