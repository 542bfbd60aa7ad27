"""A small store for the charges tests: ``QueryStore`` plus pupils with the funding facts a charge
reads (pupil premium, home LA, off roll), permanent exclusions, Fair Access returns and rates.

The rates are chosen so a day costs a whole number of pounds (APC £15, pupil premium £2,
specialist placement £60 a day in 2025/26), so the tests' expected figures are days × pounds,
worked out independently of the code's pro rata.
"""

from datetime import date
from decimal import Decimal

from query_store import QueryStore

from seips_core.auth.roles import Actor, Role
from seips_core.models import Exclusion, FairAccessCase, FundingRate, Partnership, Pupil, School

ADMIN = Actor("admin@shire.example", "Test Admin", Role.COUNTY_ADMIN)

#: 2025/26 has 365 days: £5,475 a year is £15 a day, £730 is £2, £21,900 is £60.
APC_A_DAY, PP_A_DAY, FULL_COST_A_DAY = 15, 2, 60
RATES_2025 = {
    "average_pupil_cost": Decimal(APC_A_DAY * 365),
    "pupil_premium": Decimal(PP_A_DAY * 365),
    "specialist_placement": Decimal(FULL_COST_A_DAY * 365),
}


def actor(role: Role, *partnerships: str) -> Actor:
    """A user of ``role`` working for ``partnerships``."""
    return Actor(f"{role.value}@shire.example", f"Test {role.label}", role, frozenset(partnerships))


class ChargesStore(QueryStore):
    """``QueryStore`` with pupils' funding facts, exclusions, Fair Access returns and rates."""

    def child(
        self,
        school: School,
        *,
        pupil_premium: bool = False,
        home_la: str = "Shire County",
        off_roll: date | None = None,
    ) -> Pupil:
        """A pupil on ``school``'s roll, named so the tests can tell initials from names."""
        pupil = self.pupil(school)
        pupil.first_name, pupil.last_name = "Jane", f"Doe{pupil.id}"
        pupil.pupil_premium = pupil_premium
        pupil.home_la = home_la
        pupil.off_roll_date = off_roll
        pupil.off_roll_reason = "enrolled_elsewhere" if off_roll else None
        self.session.flush()
        return pupil

    def excluded(self, pupil: Pupil, school: School, start: date) -> Exclusion:
        """R25: a permanent exclusion of ``pupil`` by ``school`` from ``start``."""
        return self._add(
            Exclusion(pupil_id=pupil.id, school_id=school.id, kind="permanent", start_date=start)
        )

    def back_on_roll(
        self, pupil: Pupil, partnership: Partnership, school: School, on_roll: date
    ) -> FairAccessCase:
        """R13: a Fair Access case putting ``pupil`` on ``school``'s roll on ``on_roll``."""
        return self._add(
            FairAccessCase(
                pupil_id=pupil.id,
                partnership_id=partnership.id,
                year_group=9,
                referred_date=date(2025, 4, 1),
                accepted_date=date(2025, 4, 2),
                allocated_school_id=school.id,
                decision_date=on_roll,
                on_roll_date=on_roll,
            )
        )

    def rates(self, year: int, amounts: dict[str, Decimal]) -> None:
        for kind, amount in amounts.items():
            self._add(FundingRate(kind=kind, financial_year_start=year, amount=amount))
