"""A small AP store for the read-side tests: named providers, pupils (LAC or EHCP when asked),
placements with a weekly pattern, schools' safeguarding confirmations and term dates.

Each test writes exactly the rows a figure should (and should not) count, in one
``write_session``, then compares the query's answer with what it wrote. The sample county's
day and seed are here too, with plain-SQL helpers that read the store without the code under
test.
"""

from datetime import date, timedelta

from query_store import QueryStore
from sqlalchemy import Engine, text

from seips_core.auth.roles import Actor, Role
from seips_core.models import (
    Placement,
    Provider,
    Pupil,
    SafeguardingConfirmation,
    School,
    TermDate,
)

#: The day the crafted-store tests look from: a Wednesday of the second autumn half term.
ON = date(2025, 11, 12)
DAY = timedelta(days=1)
#: Autumn 2025, with half term from 27 to 31 October.
TERMS = (
    ("Autumn 1", date(2025, 9, 3), date(2025, 10, 24)),
    ("Autumn 2", date(2025, 11, 3), date(2025, 12, 19)),
)

#: As the page tests' store (tests/pages/conftest.py): seed 7 on Wednesday 4 March 2026.
SAMPLE_DAY = date(2026, 3, 4)
SAMPLE_SEED = 7

ADMIN = Actor("admin@shire.example", "Test Admin", Role.COUNTY_ADMIN)


def actor(role: Role, *partnerships: str) -> Actor:
    """A user of ``role`` working for ``partnerships``."""
    return Actor(f"{role.value}@shire.example", f"Test {role.label}", role, frozenset(partnerships))


class ApStore(QueryStore):
    """``QueryStore`` with providers, placements, confirmations and terms as the AP rules read
    them. Placements default to within every rule: plan agreed, planned end 8 weeks on, a
    review due, the LA informed."""

    def provider(
        self,
        name: str,
        *,
        registered: bool = False,
        staff_trained: date | None = ON - 30 * DAY,
        dsl_trained: date | None = ON - 30 * DAY,
        lebc: date | None = None,
    ) -> Provider:
        return self._add(
            Provider(
                name=name,
                is_registered_school=registered,
                staff_training_date=staff_trained,
                dsl_name="D. S. Lead",
                dsl_training_date=dsl_trained,
                lebc_check_date=lebc,
            )
        )

    def child(self, school: School, *, lac_status: str = "none", ehcp: bool = False) -> Pupil:
        """A pupil on ``school``'s roll, looked after or with an EHCP when asked (R8)."""
        pupil = self.pupil(school)
        pupil.lac_status = lac_status
        pupil.lac_la = "Other County" if lac_status == "other_la" else None
        pupil.ehcp = ehcp
        self.session.flush()
        return pupil

    def place(
        self,
        pupil: Pupil,
        provider: Provider,
        sessions: str,
        *,
        school: School | None = None,
        hours: float | None = None,
        start: date = ON - 14 * DAY,
        end: date | None = None,
        kind: str = "ap",
        **dates: object,
    ) -> Placement:
        """A placement of ``pupil`` commissioned by their school (or ``school``); 2.5 hours a
        session unless ``hours`` says otherwise."""
        values: dict[str, object] = {
            "planned_end_date": start + timedelta(weeks=8),
            "plan_agreed_date": start - 7 * DAY,
            "last_review_date": None,
            "next_review_date": start + timedelta(weeks=6),
            "la_informed_date": start - 7 * DAY,
        } | dates
        return self._add(
            Placement(
                pupil_id=pupil.id,
                provider_id=provider.id,
                school_id=(school.id if school else pupil.school_id),
                kind=kind,
                sessions=sessions,
                hours_per_week=2.5 * len(sessions.split()) if hours is None else hours,
                start_date=start,
                end_date=end,
                **values,
            )
        )

    def confirm(
        self, school: School, provider: Provider, received: date = ON - 60 * DAY
    ) -> SafeguardingConfirmation:
        """R27: ``school`` holds ``provider``'s written confirmation from ``received``."""
        return self._add(
            SafeguardingConfirmation(
                school_id=school.id, provider_id=provider.id, received_date=received
            )
        )

    def terms(self) -> None:
        """The autumn terms of ``TERMS``."""
        for name, first, last in TERMS:
            self._add(
                TermDate(academic_year_start=2025, name=name, start_date=first, end_date=last)
            )


def plain(engine: Engine, sql: str, **params) -> list[tuple]:
    """Rows of hand-written SQL, read without the code under test."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def as_date(value: date | str) -> date:
    """A date as either engine returns it to plain SQL (SQLite: ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def school_days_from(engine: Engine, first: date, last: date) -> int:
    """Weekdays from ``first`` to ``last`` (both included) inside a stored term, one by one."""
    terms = [
        (as_date(start), as_date(end))
        for start, end in plain(engine, "SELECT start_date, end_date FROM termdate")
    ]
    day, count = first, 0
    while day <= last:
        if day.weekday() < 5 and any(start <= day <= end for start, end in terms):
            count += 1
        day += DAY
    return count
