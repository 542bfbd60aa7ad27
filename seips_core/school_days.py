"""School days: weekdays inside the term dates, which are data (R21, R25, placement day-counts).

Pure functions over plain dates; the term dates come from the store's ``TermDate`` rows.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


def academic_year_start(day: date) -> int:
    """The calendar year an academic year starts in (September to August)."""
    return day.year if day.month >= 9 else day.year - 1


def financial_year_start(day: date) -> int:
    """The calendar year a financial year starts in (April to March), as rates are keyed (R14)."""
    return day.year if day.month >= 4 else day.year - 1


def academic_year_label(start_year: int) -> str:
    """``2025`` → ``"2025-26"``, as schools write it."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class SchoolCalendar:
    """The school days of the terms given as ``(first day, last day)`` pairs, inclusive."""

    terms: tuple[tuple[date, date], ...]
    _days: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        days: set[date] = set()
        for first, last in self.terms:
            day = first
            while day <= last:
                if day.weekday() < 5:
                    days.add(day)
                day += timedelta(days=1)
        object.__setattr__(self, "_days", tuple(sorted(days)))

    @classmethod
    def from_terms(cls, terms: Iterable[tuple[date, date]]) -> "SchoolCalendar":
        return cls(tuple(sorted(terms)))

    def is_school_day(self, day: date) -> bool:
        index = bisect_left(self._days, day)
        return index < len(self._days) and self._days[index] == day

    def school_days_in(self, first: date, last: date) -> int:
        """School days from ``first`` to ``last``, both included (0 if ``last < first``)."""
        if last < first:
            return 0
        return bisect_right(self._days, last) - bisect_left(self._days, first)

    def school_days_since(self, start: date, today: date) -> int:
        """School days that have passed after ``start`` up to and including ``today``.

        The day a clock starts is day 0: a case accepted on a Monday has used 1 school day by
        the Tuesday (R21's 20-school-day limit).
        """
        return self.school_days_in(start + timedelta(days=1), today)

    def add_school_days(self, start: date, count: int) -> date | None:
        """The date ``count`` school days after ``start``; None beyond the known terms."""
        index = bisect_right(self._days, start) + count - 1
        if count <= 0:
            return start
        return self._days[index] if index < len(self._days) else None
