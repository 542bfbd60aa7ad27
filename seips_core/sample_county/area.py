"""An area's fixed cast: its partnerships (R1), schools (R3) and AP providers (R8, R10, R12)."""

from dataclasses import dataclass
from datetime import timedelta
from random import Random

from ..models import Partnership, Provider, School
from .context import Ctx, ProviderInfo, SchoolInfo
from .names import (
    AP_KINDS,
    PLACES,
    REGISTERED_KIND,
    SCHOOL_KINDS,
    WORK_EXPERIENCE_KINDS,
    NamePool,
    full_name,
    initials,
)

ROLL_RANGE = (600, 1900)
REGISTERED_SHARE, WORK_EXPERIENCE_SHARE = 0.12, 0.16


@dataclass
class NamePools:
    """Store-wide pools, so no two schools or providers share a name (Provider.name is unique)."""

    schools: NamePool
    ap: NamePool
    registered: NamePool
    work_experience: NamePool

    @classmethod
    def seeded(cls, rng: Random) -> "NamePools":
        return cls(
            NamePool(rng, PLACES, SCHOOL_KINDS),
            NamePool(rng, PLACES, AP_KINDS),
            NamePool(rng, PLACES, (REGISTERED_KIND,)),
            NamePool(rng, PLACES, WORK_EXPERIENCE_KINDS),
        )


def add_partnerships(ctx: Ctx, codes: list[tuple[str, str]]) -> None:
    for code, name in codes:
        ctx.area.partnership_ids.append(ctx.rows.add(Partnership, code=code, name=name))


def add_schools(ctx: Ctx, names: list[str], urns: list[int], non_members: int) -> None:
    """Schools spread round the partnerships; the last ``non_members`` have left (R3)."""
    rng, area = ctx.rng, ctx.area
    for index, (name, urn) in enumerate(zip(names, urns, strict=True)):
        partnership_id = area.partnership_ids[index % len(area.partnership_ids)]
        roll = round(rng.triangular(*ROLL_RANGE, 1050), -1)
        is_member = index < len(names) - non_members
        school_id = ctx.rows.add(
            School,
            urn=urn,
            name=name,
            partnership_id=partnership_id,
            is_member=is_member,
            number_on_roll=roll,
            local_authority=area.local_authority,
        )
        area.schools.append(SchoolInfo(school_id, partnership_id, roll, is_member))


def add_providers(ctx: Ctx, pools: NamePools, count: int) -> None:
    """AP providers with current safeguarding training (R10); work experience LEBC-checked (R12)."""
    rng, today = ctx.rng, ctx.clock.today
    registered = max(1, round(count * REGISTERED_SHARE))
    work = max(1, round(count * WORK_EXPERIENCE_SHARE))
    kinds = ["registered"] * registered + ["work_experience"] * work
    kinds += ["ap"] * (count - len(kinds))
    pool = {"registered": pools.registered, "work_experience": pools.work_experience}
    for kind in kinds:
        provider_id = ctx.rows.add(
            Provider,
            name=pool.get(kind, pools.ap).take(1)[0],
            is_registered_school=kind == "registered",
            staff_training_date=today - timedelta(days=rng.randint(20, 500)),
            dsl_name=initials(full_name(rng)),
            dsl_training_date=today - timedelta(days=rng.randint(20, 600)),
            lebc_check_date=(
                today - timedelta(days=rng.randint(30, 300)) if kind == "work_experience" else None
            ),
        )
        ctx.area.providers.append(ProviderInfo(provider_id, kind))
