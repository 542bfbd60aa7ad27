"""What every part of an area's story needs to hand: the area, its clock and its rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from ..school_days import SchoolCalendar, academic_year_start
from .rows import Rows


@dataclass(frozen=True)
class SchoolInfo:
    """A school as the stories need it (R2: the school decides the partnership)."""

    id: int
    partnership_id: int
    roll: int
    is_member: bool


@dataclass(frozen=True)
class ProviderInfo:
    """A provider as the placements need it; ``kind`` is "ap", "registered" or "work_experience"."""

    id: int
    kind: str


@dataclass
class Area:
    """One local authority's partnerships, schools and providers."""

    index: int
    local_authority: str
    #: R4: the home LAs of its pupils with their weights, its own first.
    home_las: tuple[tuple[str, float], ...]
    partnership_ids: list[int] = field(default_factory=list)
    schools: list[SchoolInfo] = field(default_factory=list)
    providers: list[ProviderInfo] = field(default_factory=list)

    def members_of(self, partnership_id: int) -> list[SchoolInfo]:
        return [s for s in self.schools if s.partnership_id == partnership_id and s.is_member]


@dataclass
class Clock:
    """``today`` and the school days around it, which every date of the sample hangs from."""

    today: date
    calendar: SchoolCalendar
    history_start: date

    @property
    def academic_year(self) -> int:
        return academic_year_start(self.today)

    def school_day_on_or_after(self, day: date) -> date:
        """The first school day from ``day`` (``day`` itself when it is one)."""
        found = self.calendar.add_school_days(day - timedelta(days=1), 1)
        return found if found is not None else day

    def school_days_before_today(self, count: int) -> date:
        """The school day ``count`` school days before today (R21, R25 clocks)."""
        day = self.today
        while self.calendar.school_days_since(day, self.today) < count:
            day -= timedelta(days=1)
        while not self.calendar.is_school_day(day):
            day -= timedelta(days=1)
        return day


@dataclass
class Ctx:
    """The shared state of one area's generation."""

    rng: Random
    clock: Clock
    rows: Rows
    area: Area

    def between(self, first: date, last: date) -> date:
        """A random day from ``first`` to ``last`` inclusive (``first`` if the range is empty)."""
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, span)) if span > 0 else first

    def weekday_between(self, first: date, last: date) -> date:
        """A random weekday in the range, moved forward off a weekend."""
        day = self.between(first, last)
        return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() > 4 else day
