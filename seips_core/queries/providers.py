"""The provider register: every AP and work-experience provider, its safeguarding and checks, and
its county-wide count of pupils in substantial provision against R8's threshold (R8, R10, R12,
R27).

Providers are shared across partnerships, so the register is county-wide by nature: every
signed-in user reads it, and it shows counts, never pupils. The R8 count is the one
``county_flags`` raises R8 on: distinct pupils with a current placement there that is
substantial (R7, more than 3 days, or 18 hours a week or more), across every school and
partnership, work experience included as the flag counts it. The status is decided by the same
rule function as the flag (``unregistered_school_risk``), and the flags shown are
``county_flags``' own.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, not_, or_, select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, require
from ..models import Placement, Provider, Pupil, SafeguardingConfirmation
from ..rules.flag import Flag
from ..rules.providers import (
    ProviderFacts,
    threshold_source,
    unregistered_school_risk,
)
from .flags import is_substantial_column, providers_flags, r8_threshold
from .placements import confirmation_held
from .scope import placement_current_on

__all__ = [
    "AT_OR_OVER",
    "BELOW",
    "ONE_AWAY",
    "PROVIDER_RULES",
    "REGISTERED",
    "ProviderRow",
    "provider_choices",
    "provider_register",
    "r8_threshold",
]

#: The flags the register shows beside a provider.
PROVIDER_RULES = frozenset({"R8", "R10"})

#: R8 status words, most urgent first (the register's order).
AT_OR_OVER = "at or over"
ONE_AWAY = "one away"
BELOW = "below"
#: A registered school is not at risk of being an unregistered one: R8 does not apply.
REGISTERED = "registered school"
_STATUS_ORDER = {AT_OR_OVER: 0, ONE_AWAY: 1, BELOW: 2, REGISTERED: 3}


@dataclass(frozen=True)
class ProviderRow:
    """One provider as the register shows it on a day: dates, checks and counts, no names of
    pupils."""

    provider_id: int
    name: str
    is_registered_school: bool
    #: R10: the latest safeguarding training of its staff; None: no record.
    staff_training_date: date | None
    dsl_name: str | None
    #: R10: the DSL's latest training with the county trainers.
    dsl_training_date: date | None
    #: R12: the LEBC check work experience needs.
    lebc_check_date: date | None
    #: R27: schools' written confirmations of its staff checks received by the day.
    confirmations: int
    #: Schools with a current placement there (they commission it, R27).
    commissioning_schools: int
    #: Of those, how many hold no written confirmation (R27).
    commissioning_schools_unconfirmed: int
    #: Distinct pupils with any current placement there, county-wide.
    current_pupils: int
    #: R8: distinct pupils in current substantial provision there, county-wide.
    substantial_pupils: int
    #: R8: of whom looked after or with an EHCP (one is enough to cross).
    substantial_lac_or_ehcp: int
    #: LAC or EHCP pupils there whose provision is not (yet) substantial: making any of their
    #: placements there substantial would cross R8's line on its own.
    lac_or_ehcp_not_substantial: int
    #: R8's threshold (the ``r8_threshold`` setting) and where it comes from.
    threshold: int
    threshold_source: str
    #: ``county_flags``' R8 and R10 flags on the provider.
    flags: tuple[Flag, ...]

    @property
    def substantial_others(self) -> int:
        """R8: pupils in substantial provision who are neither looked after nor EHCP."""
        return self.substantial_pupils - self.substantial_lac_or_ehcp

    @property
    def facts(self) -> ProviderFacts:
        """What R8 and R10 read of the provider, as ``county_flags`` builds them."""
        return ProviderFacts(
            name=self.name,
            is_registered_school=self.is_registered_school,
            staff_training_date=self.staff_training_date,
            dsl_training_date=self.dsl_training_date,
            substantial_pupils=self.substantial_pupils,
            substantial_lac_or_ehcp_pupils=self.substantial_lac_or_ehcp,
        )

    @property
    def status(self) -> str:
        """``AT_OR_OVER``, ``ONE_AWAY``, ``BELOW`` or ``REGISTERED`` (see ``r8_status``)."""
        return r8_status(self.facts, self.threshold)

    @property
    def all_commissioners_confirmed(self) -> bool:
        """R27: every school with a current placement there holds a written confirmation."""
        return self.commissioning_schools_unconfirmed == 0


def provider_choices(session: Session) -> tuple[tuple[int, str], ...]:
    """Every provider as (id, name), by name: the recording form's choice of provider.

    Providers are shared across partnerships (R8), so every partnership chooses from them all.
    """
    return tuple(
        (provider_id, name)
        for provider_id, name in session.execute(
            select(Provider.id, Provider.name).order_by(Provider.name)
        )
    )


def r8_status(facts: ProviderFacts, threshold: int) -> str:
    """Where a provider stands against R8's line.

    "at or over": R8 is raised (``unregistered_school_risk``: the threshold reached, or any
    LAC/EHCP pupil in substantial provision). "one away": one more pupil in substantial
    provision, of any kind, would reach the threshold. "below" otherwise. Any single LAC/EHCP
    pupil in substantial provision crosses the line on their own, so *every* unregistered
    provider below it is one LAC/EHCP pupil away: that cannot single a provider out, and the
    register shows instead how many LAC/EHCP pupils are there part-time
    (``lac_or_ehcp_not_substantial``), whose placement made substantial would cross. A
    registered school is outside R8 altogether.
    """
    if facts.is_registered_school:
        return REGISTERED
    if unregistered_school_risk(facts, threshold) is not None:
        return AT_OR_OVER
    if facts.substantial_pupils + 1 >= threshold:
        return ONE_AWAY
    return BELOW


def _counts(session: Session, on: date) -> dict[int, tuple[int, int, int, int]]:
    """Per provider with a current placement: (pupils, substantial pupils, of whom LAC/EHCP,
    LAC/EHCP pupils in no substantial placement there), county-wide, counted in SQL.

    A pupil counts once per provider, as substantial when any of their current placements
    there is (as ``county_flags`` counts R8).
    """

    def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.max(case((condition, 1), else_=0))

    per_pupil = (
        select(
            Placement.provider_id,
            Placement.pupil_id,
            flag(is_substantial_column()).label("substantial"),
            flag(or_(Pupil.lac_status != "none", Pupil.ehcp)).label("lac_or_ehcp"),
        )
        .join(Pupil, Pupil.id == Placement.pupil_id)
        .where(placement_current_on(on))
        .group_by(Placement.provider_id, Placement.pupil_id)
        .subquery()
    )

    def pupils_where(*conditions: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((and_(*conditions), 1), else_=0))

    substantial, lac = per_pupil.c.substantial == 1, per_pupil.c.lac_or_ehcp == 1
    rows = session.execute(
        select(
            per_pupil.c.provider_id,
            func.count(),
            pupils_where(substantial),
            pupils_where(substantial, lac),
            pupils_where(not_(substantial), lac),
        ).group_by(per_pupil.c.provider_id)
    ).all()
    return {provider_id: tuple(int(n) for n in figures) for provider_id, *figures in rows}


def _confirmations(session: Session, on: date) -> dict[int, tuple[int, int, int]]:
    """Per provider: (confirmations received by ``on``, commissioning schools of its current
    placements, of which without a confirmation) (R27)."""
    received = dict(
        session.execute(
            select(SafeguardingConfirmation.provider_id, func.count())
            .where(SafeguardingConfirmation.received_date <= on)
            .group_by(SafeguardingConfirmation.provider_id)
        ).all()
    )
    confirmed = confirmation_held(on)
    commissioning = {
        provider_id: (schools, unconfirmed)
        for provider_id, schools, unconfirmed in session.execute(
            select(
                Placement.provider_id,
                func.count(func.distinct(Placement.school_id)),
                func.count(func.distinct(case((not_(confirmed), Placement.school_id)))),
            )
            .where(placement_current_on(on))
            .group_by(Placement.provider_id)
        ).all()
    }
    return {
        provider_id: (received.get(provider_id, 0), *commissioning.get(provider_id, (0, 0)))
        for provider_id in received.keys() | commissioning.keys()
    }


def provider_register(session: Session, viewer: Actor, *, on: date) -> tuple[ProviderRow, ...]:
    """Every provider on ``on``: those at or over R8's line first, then one away, then below,
    registered schools last; by name within each.

    County-wide for every signed-in user: the counts name no pupil, and R8's count must be
    seen across partnerships, which no single co-ordinator otherwise can.
    """
    require(viewer, Capability.READ_STATISTICS, doing="read the provider register")
    threshold = r8_threshold(session)
    source = threshold_source(threshold)
    counts = _counts(session, on)
    confirmations = _confirmations(session, on)
    flags: dict[str, list[Flag]] = defaultdict(list)
    for flag in providers_flags(session, on):
        flags[flag.subject].append(flag)
    rows = []
    for provider in session.scalars(select(Provider).order_by(Provider.name)):
        pupils, substantial, lac_ehcp, lac_ehcp_part_time = counts.get(provider.id, (0, 0, 0, 0))
        received, schools, unconfirmed = confirmations.get(provider.id, (0, 0, 0))
        rows.append(
            ProviderRow(
                provider_id=provider.id,
                name=provider.name,
                is_registered_school=provider.is_registered_school,
                staff_training_date=provider.staff_training_date,
                dsl_name=provider.dsl_name,
                dsl_training_date=provider.dsl_training_date,
                lebc_check_date=provider.lebc_check_date,
                confirmations=received,
                commissioning_schools=schools,
                commissioning_schools_unconfirmed=unconfirmed,
                current_pupils=pupils,
                substantial_pupils=substantial,
                substantial_lac_or_ehcp=lac_ehcp,
                lac_or_ehcp_not_substantial=lac_ehcp_part_time,
                threshold=threshold,
                threshold_source=source,
                flags=tuple(flags.get(provider.name, ())),
            )
        )
    return tuple(sorted(rows, key=lambda row: _STATUS_ORDER[row.status]))
