"""The figures a chair wants on arrival (home page), counted in one round trip."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func, select
from sqlmodel import Session

from ..models import FairAccessCase, Placement, Referral, TierChange
from .scope import (
    in_partnership,
    placement_current_on,
    referral_open_on,
    school_in_partnership,
    tier_period_on,
)


@dataclass(frozen=True)
class HomeFigures:
    """The home page's headline numbers for one partnership (or the county) on a date."""

    open_referrals: int
    pupils_at_tier4: int
    #: R21: accepted under Fair Access, no school allocated yet.
    fair_access_waiting: int
    placements_running: int


def home_figures(session: Session, on: date, partnership: str | None = None) -> HomeFigures:
    """Count each headline figure in SQL for ``partnership`` (a code; None = whole county)."""
    open_referrals = select(func.count(Referral.id)).where(
        referral_open_on(on), school_in_partnership(Referral.school_id, partnership)
    )
    # R6: from the tier history, by the school responsible during the period (R2).
    tier4 = select(func.count(distinct(TierChange.pupil_id))).where(
        TierChange.tier == 4,
        tier_period_on(on),
        school_in_partnership(TierChange.school_id, partnership),
    )
    fair_access_waiting = select(func.count(FairAccessCase.id)).where(
        FairAccessCase.accepted_date <= on,
        FairAccessCase.allocated_school_id.is_(None),
        in_partnership(FairAccessCase.partnership_id, partnership),
    )
    placements = select(func.count(Placement.id)).where(
        placement_current_on(on), school_in_partnership(Placement.school_id, partnership)
    )
    row = session.execute(
        select(
            open_referrals.scalar_subquery(),
            tier4.scalar_subquery(),
            fair_access_waiting.scalar_subquery(),
            placements.scalar_subquery(),
        )
    ).one()
    return HomeFigures(*row)
