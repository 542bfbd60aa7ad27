"""A small store for the tier statistics tests: ``QueryStore`` plus term dates, exclusions,
city-address periods and pupils who left, each added with harmless defaults."""

from datetime import date
from types import SimpleNamespace

from query_store import QueryStore

from seips_core.auth.roles import Actor, Role
from seips_core.config import CITY_LA
from seips_core.models import Exclusion, Pupil, School, TermDate, TierChange

ADMIN = Actor("admin@shire.example", "Test Admin", Role.COUNTY_ADMIN)

#: Academic year 2025-26 as six half terms, and the summer of 2024-25 stored as one whole term.
TERM_ROWS = (
    (2024, "Summer term", date(2025, 4, 22), date(2025, 7, 22)),
    (2025, "Autumn 1", date(2025, 9, 3), date(2025, 10, 24)),
    (2025, "Autumn 2", date(2025, 11, 3), date(2025, 12, 19)),
    (2025, "Spring 1", date(2026, 1, 5), date(2026, 2, 13)),
    (2025, "Spring 2", date(2026, 2, 23), date(2026, 3, 27)),
    (2025, "Summer 1", date(2026, 4, 13), date(2026, 5, 22)),
    (2025, "Summer 2", date(2026, 6, 1), date(2026, 7, 22)),
)


def chair(*partnerships: str) -> Actor:
    """A chair working for ``partnerships``."""
    return Actor("chair@shire.example", "Test Chair", Role.CHAIR, frozenset(partnerships))


class TierStore(QueryStore):
    """``QueryStore`` with the rows the tier statistics read."""

    def county(self) -> SimpleNamespace:
        """Term dates, partnerships NORTH and SOUTH, and their schools ``n1`` ("NORTH School 1",
        roll 1200), ``n2`` ("NORTH School 2", roll 600) and ``s1`` ("SOUTH School 3", roll 800)."""
        self.term_dates()
        north, south = self.partnership("NORTH"), self.partnership("SOUTH")
        return SimpleNamespace(
            n1=self.school(north, roll=1200),
            n2=self.school(north, roll=600),
            s1=self.school(south, roll=800),
        )

    def history(self, *periods: tuple[School, int, date, date | None]) -> Pupil:
        """A new pupil with ``(school, tier, from_date, to_date)`` periods (R6), on the roll of the
        first period's school."""
        pupil = self.pupil(periods[0][0])
        for school, tier, from_date, to_date in periods:
            self.move(pupil, school, tier, from_date, to_date)
        return pupil

    def term_dates(self) -> None:
        for year, name, start, end in TERM_ROWS:
            self._add(TermDate(academic_year_start=year, name=name, start_date=start, end_date=end))

    def city(self, period: TierChange) -> TierChange:
        """R5: ``period`` is a city-address pupil's: the City's label follows from the tier."""
        self.session.get(Pupil, period.pupil_id).home_la = CITY_LA
        self.session.flush()
        return period

    def left(self, pupil: Pupil, day: date) -> Pupil:
        """R17: ``pupil`` went off roll on ``day``, enrolled at a school outside the store."""
        pupil.off_roll_date = day
        pupil.off_roll_reason = "enrolled_elsewhere"
        pupil.school_id = None
        self.session.flush()
        return pupil

    def exclusion(
        self, pupil: Pupil, school: School, start: date, days: int | None = None
    ) -> Exclusion:
        """A suspension of ``days`` school days, or a permanent exclusion when ``days`` is None."""
        return self._add(
            Exclusion(
                pupil_id=pupil.id,
                school_id=school.id,
                kind="permanent" if days is None else "suspension",
                start_date=start,
                school_days=days,
            )
        )
