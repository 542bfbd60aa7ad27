"""The day-count views of AP: providers × weekdays, pupils by days a week at AP, and week by week
over a term (R7, R8).

Only AP placements (kind "ap") count: work experience is not AP (R12). A partnership's view
counts the placements its schools commission (R2: the school decides); the county's counts
them all. Every figure is of distinct pupils, and a half-day counts as a day (``rules.sessions``).

Dates in the past show what was true then: a placement counts on the days between its start
and its end. Its weekly pattern is the one stored now (a placement keeps no history of its
pattern); a changed pattern is recorded as a new placement by the recording form.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..models import Placement, Provider
from ..models.choices import WEEKDAYS
from ..rules.sessions import days_a_week, days_with_sessions, is_substantial
from .flags import school_calendar
from .placements import ap_days_by_pupil
from .scope import placement_current_on, school_in_partnership

__all__ = [
    "ProviderLoad",
    "WeekCount",
    "days_a_week_histogram",
    "weekday_load",
    "weekly_counts",
]

#: Monday to Friday: a school week's last day is 4 days after its Monday.
_TO_FRIDAY = timedelta(days=4)
_WEEK = timedelta(weeks=1)


@dataclass(frozen=True)
class ProviderLoad:
    """How many pupils a provider has each weekday, on a day's patterns."""

    provider: str
    #: Mon..Fri: distinct pupils there for the morning, the afternoon or both.
    by_weekday: tuple[int, ...]
    #: Distinct pupils there on any day of the week.
    pupils: int


@dataclass(frozen=True)
class WeekCount:
    """One school week (from its Monday) of the week-by-week count."""

    monday: date
    #: School days in the week (0 in a holiday week), from the stored term dates.
    school_days: int
    #: Distinct pupils in an AP placement running on any weekday of the week.
    pupils: int
    #: Of whom at least one such placement is substantial (R7, or 18 hours a week or more).
    substantial: int


def _ap_in_scope(partnership: str | None):
    """AP placements commissioned by a school of ``partnership`` (None: the county)."""
    return and_(Placement.kind == "ap", school_in_partnership(Placement.school_id, partnership))


def weekday_load(
    session: Session, viewer: Actor, partnership: str | None, *, on: date
) -> tuple[ProviderLoad, ...]:
    """Providers × Mon..Fri: pupils attending each weekday on the patterns current on ``on``,
    for the providers with at least one such pupil, by name. Feeds the heat map."""
    require_partnership(viewer, partnership)
    rows = session.execute(
        select(Provider.name, Placement.pupil_id, Placement.sessions)
        .join(Provider, Provider.id == Placement.provider_id)
        .where(_ap_in_scope(partnership), placement_current_on(on))
    ).all()
    attending: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for provider, pupil_id, sessions in rows:
        for day in days_with_sessions(sessions):
            attending[provider][day].add(pupil_id)
    return tuple(
        ProviderLoad(
            provider=provider,
            by_weekday=tuple(len(days[day]) for day in WEEKDAYS),
            pupils=len(set().union(*days.values())),
        )
        for provider, days in sorted(attending.items())
    )


def days_a_week_histogram(
    session: Session, viewer: Actor, partnership: str | None, *, on: date
) -> dict[int, int]:
    """Pupils by their total days a week at AP on ``on`` (1..5, every key present).

    The total is the union of the days of all the pupil's current AP placements, as the
    placements list shows it (``PlacementRow.total_ap_days``); a pupil counts once. A pattern
    with no session names no day and is not counted.
    """
    require_partnership(viewer, partnership)
    histogram = dict.fromkeys(range(1, len(WEEKDAYS) + 1), 0)
    for days in ap_days_by_pupil(session, on, partnership).values():
        if days:
            histogram[len(days)] += 1
    return histogram


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_counts(
    session: Session, viewer: Actor, partnership: str | None, *, start: date, end: date
) -> tuple[WeekCount, ...]:
    """For each week whose Monday falls from ``start``'s week up to ``end``: pupils in an AP
    placement running that week (started by its Friday, not ended before its Monday), and of
    whom in substantial provision. Empty when ``end`` is before ``start``."""
    require_partnership(viewer, partnership)
    if end < start:
        return ()
    first = _monday(start)
    mondays = [first + n * _WEEK for n in range((end - first).days // 7 + 1)]
    last_friday = mondays[-1] + _TO_FRIDAY
    rows = session.execute(
        select(
            Placement.pupil_id,
            Placement.sessions,
            Placement.hours_per_week,
            Placement.start_date,
            Placement.end_date,
        ).where(
            _ap_in_scope(partnership),
            Placement.start_date <= last_friday,
            or_(Placement.end_date.is_(None), Placement.end_date >= first),
        )
    ).all()
    calendar = school_calendar(session)
    weeks = []
    for monday in mondays:
        friday = monday + _TO_FRIDAY
        running: dict[int, bool] = {}
        for pupil_id, sessions, hours, started, ended in rows:
            if started <= friday and (ended is None or ended >= monday):
                substantial = is_substantial(days_a_week(sessions), hours)
                running[pupil_id] = running.get(pupil_id, False) or substantial
        weeks.append(
            WeekCount(
                monday=monday,
                school_days=calendar.school_days_in(monday, friday),
                pupils=len(running),
                substantial=sum(running.values()),
            )
        )
    return tuple(weeks)
