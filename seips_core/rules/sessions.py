"""The arithmetic of a weekly session pattern, shared by the AP rules and the AP pages.

A placement's ``sessions`` is a space-separated list of half-days from ``choices.SESSIONS``
(``"MonAM MonPM WedAM"``). Co-ordinators count a day at a provider when the pupil is there for
any part of it: a half-day counts as a day, the cautious reading R7 asks for.
"""

from seips_core.models.choices import WEEKDAYS

#: R7: more than this many days a week at one provider is substantial (Ofsted's view).
SUBSTANTIAL_DAYS_ABOVE = 3
#: R8: the hours guide councils use for "full-time" provision.
FULL_TIME_HOURS = 18.0
#: R28: the coming standard's part-time placements are at most 2 days (4 sessions) a week.
STANDARD_PART_TIME_DAYS = 2
#: R28: the coming standard's short intensive placements last at most 12 weeks.
STANDARD_SHORT_WEEKS = 12


def days_with_sessions(sessions: str) -> tuple[str, ...]:
    """The weekdays (``"Mon"``…``"Fri"``) with at least one session, in week order."""
    attended = set(sessions.split())
    return tuple(day for day in WEEKDAYS if f"{day}AM" in attended or f"{day}PM" in attended)


def days_a_week(sessions: str) -> int:
    """Days a week at the provider, a half-day counting as a day (R7)."""
    return len(days_with_sessions(sessions))


def is_substantial(days: int, hours_per_week: float) -> bool:
    """R7 or R8's hours guide: more than 3 days a week, or 18 hours a week or more."""
    return days > SUBSTANTIAL_DAYS_ABOVE or hours_per_week >= FULL_TIME_HOURS


def substantial_reason(days: int, hours_per_week: float) -> str:
    """Why a placement counts as substantial, in the words a chair reads (R7, R8)."""
    reasons = []
    if days > SUBSTANTIAL_DAYS_ABOVE:
        reasons.append(f"{days} days a week (more than {SUBSTANTIAL_DAYS_ABOVE})")
    if hours_per_week >= FULL_TIME_HOURS:
        reasons.append(f"{hours_per_week:g} hours a week ({FULL_TIME_HOURS:g} or more)")
    return " and ".join(reasons)
