"""A tiny store builder for the query tests: each call adds one row and returns it with its id.

The query tests put in exactly the rows a figure should (and should not) count, then compare
the query's answer with what they put in.
"""

from datetime import date, timedelta
from itertools import count
from typing import TypeVar

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from seips_core.db import get_engine
from seips_core.migrate import upgrade
from seips_core.models import (
    FairAccessCase,
    Partnership,
    Placement,
    Provider,
    Pupil,
    Referral,
    School,
    TierChange,
)
from seips_core.sample_county import generate_sample

Row = TypeVar("Row")

#: The date the query tests ask about, and one day, to place rows either side of it.
ON = date(2026, 3, 2)
DAY = timedelta(days=1)


def module_sample(
    request: pytest.FixtureRequest, tmp_path_factory, *, today: date, seed: int = 2026
) -> Engine:
    """The sample county as on ``today``, for a module-scoped fixture parametrised on the engine
    ("sqlite" or "postgresql"): built once per engine for the module's tests, which only read."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'seips.db'}"
    else:
        url = request.getfixturevalue("module_postgres_url")
    upgrade(url)
    engine = get_engine(url)
    generate_sample(engine, seed=seed, today=today)
    return engine


class QueryStore:
    """Adds rows to ``session`` with harmless defaults for whatever a test does not care about."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._numbers = count(1)

    def _add(self, row: Row) -> Row:
        self.session.add(row)
        self.session.flush()
        return row

    def partnership(self, code: str) -> Partnership:
        return self._add(Partnership(code=code, name=f"{code} Partnership"))

    def school(self, partnership: Partnership, *, member: bool = True, roll: int = 900) -> School:
        number = next(self._numbers)
        return self._add(
            School(
                urn=100000 + number,
                name=f"{partnership.code} School {number}",
                partnership_id=partnership.id,
                is_member=member,
                number_on_roll=roll,
                local_authority="Shire County",
            )
        )

    def pupil(self, school: School) -> Pupil:
        number = next(self._numbers)
        return self._add(
            Pupil(
                case_ref=f"T-{number:04d}",
                first_name="Testfirst",
                last_name=f"Testlast{number}",
                date_of_birth=date(2012, 1, 1),
                year_group=9,
                school_id=school.id,
                home_la="Shire County",
            )
        )

    def tier(
        self, school: School, tier: int, from_date: date, to_date: date | None = None
    ) -> TierChange:
        """A pupil of ``school`` at ``tier`` for the period given."""
        pupil = self.pupil(school)
        return self.move(pupil, school, tier, from_date, to_date)

    def move(
        self, pupil: Pupil, school: School, tier: int, from_date: date, to_date: date | None = None
    ) -> TierChange:
        """Another period of ``pupil``'s tier history, at ``school``."""
        return self._add(
            TierChange(
                pupil_id=pupil.id,
                school_id=school.id,
                tier=tier,
                from_date=from_date,
                to_date=to_date,
            )
        )

    def referral(self, school: School, received: date, closed: date | None = None) -> Referral:
        pupil = self.pupil(school)
        return self._add(
            Referral(
                pupil_id=pupil.id,
                school_id=school.id,
                route="panel",
                received_date=received,
                closed_date=closed,
            )
        )

    def fair_access(
        self,
        partnership: Partnership,
        school: School,
        accepted: date | None,
        allocated: School | None = None,
    ) -> FairAccessCase:
        pupil = self.pupil(school)
        return self._add(
            FairAccessCase(
                pupil_id=pupil.id,
                partnership_id=partnership.id,
                year_group=9,
                referred_date=date(2025, 9, 1),
                accepted_date=accepted,
                allocated_school_id=allocated.id if allocated else None,
            )
        )

    def placement(self, school: School, start: date, end: date | None = None) -> Placement:
        pupil = self.pupil(school)
        provider = self._add(Provider(name=f"Provider {next(self._numbers)}"))
        return self._add(
            Placement(
                pupil_id=pupil.id,
                provider_id=provider.id,
                school_id=school.id,
                sessions="MonAM MonPM",
                hours_per_week=5,
                start_date=start,
                end_date=end,
            )
        )
