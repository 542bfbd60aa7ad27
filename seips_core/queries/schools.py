"""Per school: the pupils at each tier on a date (R6), and the schools a school filter offers."""

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..derived import psp_label_sql
from ..models import Pupil, School, TierChange
from ..models.choices import TIERS
from .scope import in_partnership, school_in_partnership, tier_period_on


def _pupils_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """Distinct pupils of a group whose period meets ``condition`` (one pupil counts once)."""
    return func.count(distinct(case((condition, TierChange.pupil_id))))


def tiers_by_school_on(
    on: date, partnership: str | None = None, school_id: int | None = None, *, city: bool = True
) -> Select:
    """R6: per school (``school_id``), the pupils at each tier on ``on`` (``tier1``…``tier4``)
    and, of them, R5's city-address pupils, whose tier has a City PSP label (``city1``…
    ``city4``, from the pupil's home LA, ``derived.psp_label_sql``; Tier 1 has no label, so
    ``city1`` is 0).

    The one tier-at-a-date count: the statistics (``queries.tiers``, ``queries.trends``) and
    the school profile (``queries.school_profile``) share it, so "Tier 4 on a date" means the
    same on every page. The school is the period's (the school responsible then, R2), so a
    pupil who has since left still counts where the period says. ``school_id`` narrows it to
    one school; without ``city`` the ``city`` columns and the join to the pupils they need are
    left out (quicker on a national store).
    """
    tier_columns = [_pupils_where(TierChange.tier == tier).label(f"tier{tier}") for tier in TIERS]
    label = psp_label_sql(TierChange.tier, Pupil.home_la)
    city_columns = [
        _pupils_where(and_(TierChange.tier == tier, label.is_not(None))).label(f"city{tier}")
        for tier in TIERS
        if city
    ]
    query = (
        select(TierChange.school_id, *tier_columns, *city_columns)
        .where(tier_period_on(on), school_in_partnership(TierChange.school_id, partnership))
        .group_by(TierChange.school_id)
    )
    if city:
        query = query.join(Pupil, Pupil.id == TierChange.pupil_id)
    return query if school_id is None else query.where(TierChange.school_id == school_id)


def school_choices(
    session: Session, viewer: Actor, partnership: str | None
) -> tuple[tuple[int, str], ...]:
    """(id, name) of the schools of ``partnership`` (None: the county, for a viewer who sees
    all), by name: what a school filter offers."""
    require_partnership(viewer, partnership)
    return tuple(
        session.execute(
            select(School.id, School.name)
            .where(in_partnership(School.partnership_id, partnership))
            .order_by(School.name)
        ).all()
    )
