"""Per school of a partnership: roll, membership, pupils at each tier, open referrals."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, distinct, func, select
from sqlmodel import Session

from ..models import Partnership, Referral, School, TierChange
from ..models.choices import TIERS
from .scope import in_partnership, referral_open_on, school_in_partnership, tier_period_on


@dataclass(frozen=True)
class SchoolFigures:
    """One school's row of the chair's schools table, as on a date."""

    school: str
    partnership: str
    #: R3: non-members' pupils are served with full cost recovery (R14).
    is_member: bool
    number_on_roll: int
    #: R6: pupils at Tier 1, 2, 3 and 4 on the date, from the tier history.
    pupils_by_tier: tuple[int, ...]
    open_referrals: int


def school_figures(
    session: Session, on: date, partnership: str | None = None
) -> tuple[SchoolFigures, ...]:
    """Every school of ``partnership`` (None = the county), grouped and counted in SQL."""
    tier_columns = [
        func.count(distinct(case((TierChange.tier == tier, TierChange.pupil_id)))).label(
            f"tier{tier}"
        )
        for tier in TIERS
    ]
    tiers = (
        select(TierChange.school_id, *tier_columns)
        .where(tier_period_on(on), school_in_partnership(TierChange.school_id, partnership))
        .group_by(TierChange.school_id)
        .subquery()
    )
    referrals = (
        select(Referral.school_id, func.count(Referral.id).label("open_referrals"))
        .where(referral_open_on(on), school_in_partnership(Referral.school_id, partnership))
        .group_by(Referral.school_id)
        .subquery()
    )
    rows = session.execute(
        select(
            School.name,
            Partnership.code,
            School.is_member,
            School.number_on_roll,
            *(func.coalesce(tiers.c[f"tier{tier}"], 0) for tier in TIERS),
            func.coalesce(referrals.c.open_referrals, 0),
        )
        .join(Partnership, School.partnership_id == Partnership.id)
        .outerjoin(tiers, tiers.c.school_id == School.id)
        .outerjoin(referrals, referrals.c.school_id == School.id)
        .where(in_partnership(School.partnership_id, partnership))
        .order_by(Partnership.code, School.name)
    )
    return tuple(
        SchoolFigures(
            school=name,
            partnership=code,
            is_member=is_member,
            number_on_roll=roll,
            pupils_by_tier=tuple(tier_counts),
            open_referrals=open_referrals,
        )
        for name, code, is_member, roll, *tier_counts, open_referrals in rows
    )
