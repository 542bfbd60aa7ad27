"""Tier counts per school on a date, for the chairs' statistics (issue 7; R1–R3, R5, R6).

Counts only, never pupils: the statistics pages show figures. The counting is
``queries.schools.tiers_by_school_on``, the one tier-at-a-date query the school profile uses
too; this module adds the roll, the rate per 1,000 on roll (``rules.per_thousand``), the
City's PSP labels beside the tiers (R5) and the totals.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, require, require_partnership
from ..auth.scope import in_scope
from ..errors import InvalidValue
from ..models import Partnership, School
from ..models.choices import PSP_LABEL_FOR_TIER, TIERS
from ..rules.per_thousand import per_thousand, per_thousand_each
from .schools import tiers_by_school_on
from .scope import in_partnership

__all__ = [
    "SchoolTierCounts",
    "TierCountsView",
    "TierFigures",
    "check_scope",
    "sum_figures",
    "tier_counts",
]


@dataclass(frozen=True)
class TierFigures:
    """Pupils at each tier against a roll: one school's, or the sum of several."""

    number_on_roll: int
    #: R6: pupils at Tier 1, 2, 3 and 4 on the date, from the tier history.
    pupils_by_tier: tuple[int, ...]
    #: R5: of ``pupils_by_tier``, the city-address pupils (their period has the City's label).
    city_by_tier: tuple[int, ...]

    @property
    def pupils(self) -> int:
        """Pupils at any tier."""
        return sum(self.pupils_by_tier)

    @property
    def per_thousand_by_tier(self) -> tuple[float | None, ...]:
        """Each tier per 1,000 on roll; None when the roll is 0 (``rules.per_thousand``)."""
        return per_thousand_each(self.pupils_by_tier, self.number_on_roll)

    @property
    def per_thousand(self) -> float | None:
        """Pupils at any tier per 1,000 on roll; None when the roll is 0."""
        return per_thousand(self.pupils, self.number_on_roll)

    @property
    def psp_labels(self) -> dict[int, tuple[str, int]]:
        """R5: tier → (the City's label, city-address pupils at it), for Tiers 2–4."""
        return {
            tier: (label, self.city_by_tier[tier - 1]) for tier, label in PSP_LABEL_FOR_TIER.items()
        }


@dataclass(frozen=True)
class SchoolTierCounts(TierFigures):
    """One school's row: its figures and who it is."""

    school_id: int
    school: str
    partnership: str
    #: R3: a non-member's Tier 4 pupils are charged at full cost recovery (R14).
    is_member: bool


@dataclass(frozen=True)
class TierCountsView:
    """Tier counts per school of a partnership (or the county) on a day, with totals."""

    on: date
    #: The partnership code; None for the county.
    partnership: str | None
    #: By partnership, then school name.
    schools: tuple[SchoolTierCounts, ...]
    totals: TierFigures


def check_scope(
    session: Session, viewer: Actor, partnership: str | None, school_id: int | None
) -> None:
    """Refuse what the viewer may not see (R1) and a school outside the partnership asked for.

    Everyone may read statistics; a partnership's figures only for its own people, the
    county's only for a viewer who sees all (``require_partnership``).
    """
    require(viewer, Capability.READ_STATISTICS, doing="read the statistics")
    require_partnership(viewer, partnership)
    if school_id is None:
        return
    if partnership not in (None, in_scope(session, viewer, School, school_id).partnership):
        raise InvalidValue(
            f"School: there is no school with id {school_id} in partnership {partnership}."
        )


def tier_counts(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    on: date,
    school_id: int | None = None,
) -> TierCountsView:
    """Every school of ``partnership`` (None: the county, for a viewer who sees all), or the
    one school ``school_id``, with its pupils at each tier on ``on`` (R6), counted in SQL.

    R6: a change counts on its own day, a period ends the day before its ``to_date``, and a
    pupil counts at the school the period names (R2), even after leaving it. The roll is the
    school's number on roll as stored now (the store keeps no roll history), so a rate for a
    past day uses today's roll. Schools with no pupil at any tier are listed with zeros.
    """
    check_scope(session, viewer, partnership, school_id)
    tiers = tiers_by_school_on(on, partnership, school_id).subquery()
    query = (
        select(
            School.id,
            School.name,
            Partnership.code,
            School.is_member,
            School.number_on_roll,
            *(func.coalesce(tiers.c[f"tier{tier}"], 0) for tier in TIERS),
            *(func.coalesce(tiers.c[f"city{tier}"], 0) for tier in TIERS),
        )
        .join(Partnership, School.partnership_id == Partnership.id)
        .outerjoin(tiers, tiers.c.school_id == School.id)
        .where(in_partnership(School.partnership_id, partnership))
        .order_by(Partnership.code, School.name, School.id)
    )
    if school_id is not None:
        query = query.where(School.id == school_id)
    rows = tuple(
        SchoolTierCounts(
            number_on_roll=roll,
            pupils_by_tier=tuple(counts[: len(TIERS)]),
            city_by_tier=tuple(counts[len(TIERS) :]),
            school_id=key,
            school=name,
            partnership=code,
            is_member=is_member,
        )
        for key, name, code, is_member, roll, *counts in session.execute(query)
    )
    return TierCountsView(on=on, partnership=partnership, schools=rows, totals=sum_figures(rows))


def sum_figures(rows: tuple[TierFigures, ...]) -> TierFigures:
    """The totals of ``rows``: rolls and counts added, the rates worked out afresh from them."""
    return TierFigures(
        number_on_roll=sum(row.number_on_roll for row in rows),
        pupils_by_tier=tuple(sum(row.pupils_by_tier[i] for row in rows) for i in range(len(TIERS))),
        city_by_tier=tuple(sum(row.city_by_tier[i] for row in rows) for i in range(len(TIERS))),
    )
