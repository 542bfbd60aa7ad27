"""A small Fair Access store for the fairness tests: partnerships, schools with rolls, children
and their cases, refusals and exclusions, each added with harmless defaults.

The tests put in exactly the allocations a figure should (and should not) count, then compare
the query's answer with what they put in.
"""

from datetime import date

from query_store import QueryStore

from seips_core.auth.roles import Actor, Role
from seips_core.models import (
    Exclusion,
    FairAccessCase,
    FairAccessRefusal,
    Partnership,
    Pupil,
    School,
)

#: The day the tests look from: the autumn term of academic year 2025/26.
ON = date(2025, 11, 20)
YEAR_START = date(2025, 9, 1)

ADMIN = Actor("admin@shire.example", "Test Admin", Role.COUNTY_ADMIN)


def actor(role: Role, *partnerships: str) -> Actor:
    """A user of ``role`` working for ``partnerships``."""
    return Actor(f"{role.value}@shire.example", f"Test {role.label}", role, frozenset(partnerships))


class FairnessStore(QueryStore):
    """``QueryStore`` with named schools, children in a year group, cases, refusals, exclusions."""

    def school(  # type: ignore[override]
        self, partnership: Partnership, name: str, *, roll: int, member: bool = True
    ) -> School:
        """A school called ``name``: the tests name the schools they rank."""
        school = super().school(partnership, member=member, roll=roll)
        school.name = name
        self.session.flush()
        return school

    def pupil(
        self,
        school: School | None = None,
        *,
        year_group: int = 9,
        lac_status: str = "none",
        ehcp: bool = False,
        off_roll: date | None = None,
    ) -> Pupil:
        number = next(self._numbers)
        return self._add(
            Pupil(
                case_ref=f"F-{number:04d}",
                first_name="Testfirst",
                last_name=f"Testlast{number}",
                date_of_birth=date(2011, 1, 1),
                year_group=year_group,
                school_id=school.id if school else None,
                home_la="Shire County",
                lac_status=lac_status,
                lac_la="Other County" if lac_status == "other_la" else None,
                ehcp=ehcp,
                off_roll_date=off_roll,
                off_roll_reason="enrolled_elsewhere" if off_roll else None,
            )
        )

    def case(
        self,
        partnership: Partnership,
        *,
        year_group: int = 9,
        allocated: School | None = None,
        decided: date | None = None,
        on_roll: date | None = None,
        pupil: Pupil | None = None,
    ) -> FairAccessCase:
        """A Fair Access case, allocated to ``allocated`` on ``decided`` when given."""
        child = pupil or self.pupil(year_group=year_group)
        return self._add(
            FairAccessCase(
                pupil_id=child.id,
                partnership_id=partnership.id,
                year_group=year_group,
                referred_date=date(2025, 6, 1),
                accepted_date=date(2025, 6, 5),
                allocated_school_id=allocated.id if allocated else None,
                decision_date=decided,
                on_roll_date=on_roll,
            )
        )

    def allocations(
        self, partnership: Partnership, school: School, decided: date, times: int, **case: object
    ) -> None:
        for _ in range(times):
            self.case(partnership, allocated=school, decided=decided, **case)

    def refusal(
        self, case: FairAccessCase, school: School, logged: date, kind: str = "refusal"
    ) -> FairAccessRefusal:
        return self._add(
            FairAccessRefusal(case_id=case.id, school_id=school.id, kind=kind, logged_date=logged)
        )

    def exclusion(
        self, pupil_id: int, school: School, start: date, kind: str = "permanent"
    ) -> Exclusion:
        return self._add(
            Exclusion(
                pupil_id=pupil_id,
                school_id=school.id,
                kind=kind,
                start_date=start,
                school_days=None if kind == "permanent" else 3,
            )
        )
