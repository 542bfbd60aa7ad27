"""Checks on suspensions and permanent exclusions (R25)."""

from dataclasses import dataclass
from datetime import date

from seips_core.school_days import SchoolCalendar

from .flag import Flag, graded, when

#: R25: suspensions total at most 45 school days in an academic year, across schools.
SUSPENSION_LIMIT_DAYS = 45
#: R25: warned from this many days, so the panel can act before the limit.
SUSPENSION_WARNING_FROM = 40
#: R25: governors consider a permanent exclusion within 15 school days.
GOVERNORS_REVIEW_WITHIN = 15


@dataclass(frozen=True)
class SuspensionTotal:
    """A pupil's suspension days this academic year, summed across schools."""

    case_ref: str
    partnership: str | None
    school_days: int


def suspension_days_limit(pupil: SuspensionTotal) -> Flag | None:
    """R25: over 45 suspension days a year is critical; 40 or more a warning."""
    grade = graded(pupil.school_days, SUSPENSION_WARNING_FROM, SUSPENSION_LIMIT_DAYS)
    if grade is None:
        return None
    severity, state = grade
    return Flag(
        "R25",
        pupil.case_ref,
        f"{pupil.school_days} school days of suspension this academic year: {state} the limit "
        f"of {SUSPENSION_LIMIT_DAYS}",
        severity,
        pupil.partnership,
    )


@dataclass(frozen=True)
class PermanentExclusionFacts:
    """A permanent exclusion; ``partnership`` is the excluding school's (R2)."""

    case_ref: str
    partnership: str | None
    start_date: date
    governors_review_date: date | None = None


def governors_review_late(
    exclusion: PermanentExclusionFacts, on: date, calendar: SchoolCalendar
) -> Flag | None:
    """R25: governors consider a permanent exclusion within 15 school days of its start."""
    review = exclusion.governors_review_date
    start = exclusion.start_date
    if review is None:
        waited = calendar.school_days_since(start, on)
        if waited <= GOVERNORS_REVIEW_WITHIN:
            return None
        what = f"No governors' review {waited} school days after the permanent exclusion"
    else:
        waited = calendar.school_days_since(start, review)
        if waited <= GOVERNORS_REVIEW_WITHIN:
            return None
        what = f"Governors' review on {when(review)}, {waited} school days after the exclusion"
    return Flag(
        "R25",
        exclusion.case_ref,
        f"{what} of {when(start)}: governors must consider it within "
        f"{GOVERNORS_REVIEW_WITHIN} school days",
        "warning",
        exclusion.partnership,
    )
