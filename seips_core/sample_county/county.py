"""Orchestration: reference data, then one area at a time, written in one transaction."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from random import Random
from typing import Literal

from sqlalchemy import Engine

from ..auth.demo import make_demo_store
from ..config import COUNTY_LA
from ..progress import Progress, counted, one_step, silent
from ..school_days import academic_year_start, financial_year_start
from .area import NamePools, add_partnerships, add_providers, add_schools
from .calendar import half_terms, school_calendar
from .context import Area, Clock, Ctx
from .fair_access import FairAccess
from .load import (
    is_empty,
    realign_id_sequences,
    record_origin,
    refresh_statistics,
    write_tables,
)
from .meetings import Agenda, build_schedule
from .names import CITY_LA, OTHER_LAS, PARTNERSHIPS, authority_names
from .placements import Placements
from .plan import PLANS, Plan
from .planted import Planter
from .pupils import StoryTeller
from .reference import add_funding_rates, add_settings, add_term_dates
from .rows import Rows

#: Areas after the first vary in size by up to this share either way.
AREA_SPREAD = 0.3
URN_RANGE = range(100_000, 160_000)


def generate_sample(
    engine: Engine,
    *,
    seed: int = 2026,
    scale: Literal["county", "national"] = "county",
    today: date | None = None,
    progress: Progress = silent,
) -> dict[str, int]:
    """Fill an empty, migrated store, a demo store with one account per role; returns row counts.

    The same ``seed`` and ``today`` give the same rows; every date hangs from ``today`` so the
    sample always looks current. Raises ``ValueError`` if the store already holds data.
    ``progress`` hears of each area made and written (one for the county, ~150 for the
    national scale), then of the demo accounts and the query planner's statistics.
    """
    return _generate(
        engine, PLANS[scale], seed=seed, today=today or date.today(), progress=progress
    )


def _generate(
    engine: Engine, plan: Plan, *, seed: int, today: date, progress: Progress = silent
) -> dict[str, int]:
    """Build and write a sample of ``plan``'s size, all or nothing."""
    year = academic_year_start(today)
    years = range(year - 2, year + 2)  # three years of history and next year's published dates
    clock = Clock(today, school_calendar(years), history_start=half_terms(year - 2)[0][1])
    rng = Random(f"{seed}:{today.isoformat()}")
    pools = NamePools.seeded(rng)
    urns = iter(rng.sample(URN_RANGE, len(URN_RANGE)))
    authorities = authority_names(plan.areas)
    counts: Counter[str] = Counter()
    rows = Rows()
    with engine.execution_options(seips_write=True).begin() as connection:
        if not is_empty(connection):
            raise ValueError("The store already holds data: the sample fills an empty store only.")
        add_funding_rates(rows, rng, range(year - 2, financial_year_start(today) + 1))
        add_term_dates(rows, years)
        add_settings(rows)
        areas = list(enumerate(authorities))
        for index, local_authority in counted(progress, "making areas", areas):
            area_rng = Random(f"{seed}:{today.isoformat()}:{index}")
            area = Area(index, local_authority, _home_las(authorities, index))
            ctx = Ctx(area_rng, clock, rows, area)
            _build_area(ctx, _area_plan(plan, index, area_rng), pools, urns)
            write_tables(connection, rows.drain(), counts)
        realign_id_sequences(connection)
        with one_step(progress, "making demo accounts"):
            counts.update(make_demo_store(connection))
        record_origin(connection, counts)
    with one_step(progress, "refreshing query statistics"):
        refresh_statistics(engine)
    return dict(sorted(counts.items()))


def _home_las(authorities: list[str], index: int) -> tuple[tuple[str, float], ...]:
    """R4: most pupils live in the area's own LA; the county shares a border with the City."""
    if index == 0:
        return ((COUNTY_LA, 0.9), (CITY_LA, 0.08), (OTHER_LAS[0], 0.012), (OTHER_LAS[1], 0.008))
    before, after = authorities[index - 1], authorities[(index + 1) % len(authorities)]
    return ((authorities[index], 0.92), (before, 0.05), (after, 0.03))


def _area_plan(plan: Plan, index: int, rng: Random) -> Plan:
    """The first area exactly as planned; later ones larger or smaller, as authorities are."""
    if index == 0:
        return plan
    factor = rng.uniform(1 - AREA_SPREAD, 1 + AREA_SPREAD)
    return replace(
        plan,
        schools_per_area=max(2 * plan.partnerships_per_area, round(plan.schools_per_area * factor)),
        pupils_per_area=round(plan.pupils_per_area * factor),
        fair_access_per_area=round(plan.fair_access_per_area * factor),
        plant=False,
    )


def _partnership_codes(plan: Plan, index: int, local_authority: str) -> list[tuple[str, str]]:
    chosen = PARTNERSHIPS[: plan.partnerships_per_area]
    if index == 0:
        return list(chosen)
    return [(f"{index:03d}-{code}", f"{name} ({local_authority})") for code, name in chosen]


def _build_area(ctx: Ctx, plan: Plan, pools: NamePools, urns: Iterator[int]) -> None:
    """One area: its cast, its diary, its pupils' stories, then the deliberate cases.

    Agenda items and safeguarding confirmations are written last, once every story has said
    which meetings and which school-provider pairs it needs.
    """
    area = ctx.area
    add_partnerships(ctx, _partnership_codes(plan, area.index, area.local_authority))
    add_schools(
        ctx,
        pools.schools.take(plan.schools_per_area),
        [next(urns) for _ in range(plan.schools_per_area)],
        plan.non_members_per_area,
    )
    add_providers(ctx, pools, plan.providers_per_area)
    schedule = build_schedule(ctx)
    agenda = Agenda(schedule)
    teller = StoryTeller(ctx, schedule, agenda)
    placements = Placements(ctx, agenda)
    for _ in range(plan.pupils_per_area):
        placements.for_story(teller.tell())
    fair_access = FairAccess(teller)
    fair_access.arrivals(plan.fair_access_per_area)
    if plan.plant:
        Planter(teller, placements, fair_access, pools).plant()
    placements.write_confirmations()
    agenda.write(ctx)
