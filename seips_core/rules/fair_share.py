"""Each school's fair share of Fair Access allocations, in proportion to its roll (R13b, R23).

Pure arithmetic on plain numbers: the queries count allocations and read rolls, this module
says what is fair. A school's fair share of ``n`` allocations is ``n × its roll / the total
roll of the member schools`` (R13b). The arithmetic is exact (fractions), so "at its share"
does not depend on rounding; the results are given as floats for display.

Per year group (R23) the same proportion applies to that year group's allocations. The roll
used is the school's whole number on roll: the store holds no roll per year group, and its
``Pupil`` rows are only the children known to a partnership (a few per school), not the roll,
so counting them per year group would not measure a school's capacity.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Standing = Literal["over", "under", "fair"]

#: Allocations come whole: a school within one allocation of its share (the whole number
#: either side of it, or the share itself when whole) has had as fair a spread as whole
#: children allow. One more than that is "over", one fewer "under" (R13b).
FAIR_BAND = 1


@dataclass(frozen=True)
class FairShare:
    """One school's allocations against its fair share over a period (R13b)."""

    school_id: int
    roll: int
    allocations: int
    fair_share: float
    #: Allocations minus the fair share: above zero the school took more than its share.
    difference: float
    #: Allocations ÷ fair share; None when the fair share is 0 (no allocations, or roll 0).
    ratio: float | None
    standing: Standing


def standing_of(allocations: int, share: Fraction) -> Standing:
    """R13b: "over" or "under" when a whole allocation or more away from the share."""
    difference = allocations - share
    if difference >= FAIR_BAND:
        return "over"
    if difference <= -FAIR_BAND:
        return "under"
    return "fair"


def fair_shares(rolls: Mapping[int, int], allocations: Mapping[int, int]) -> tuple[FairShare, ...]:
    """Each school of ``rolls`` (school id → number on roll: the member schools, R13b) with
    its allocations (school id → count) against its fair share, in the order of ``rolls``.

    A school with roll 0 has a fair share of 0, so any allocation to it is "over"; a period
    with no allocations gives every school a share of 0 and nobody over or under; no schools
    give no rows. An allocation to a school not in ``rolls`` is refused (``ValueError``):
    the caller decides which schools share, rather than a count going silently missing.
    """
    strangers = sorted(set(allocations) - set(rolls))
    if strangers:
        raise ValueError(f"R13b: allocations to schools that do not share them: {strangers}")
    if any(roll < 0 for roll in rolls.values()):
        raise ValueError("R13b: a number on roll cannot be negative")
    total = sum(allocations.values())
    total_roll = sum(rolls.values())
    rows = []
    for school_id, roll in rolls.items():
        given = allocations.get(school_id, 0)
        share = Fraction(total * roll, total_roll) if total_roll else Fraction(0)
        rows.append(
            FairShare(
                school_id=school_id,
                roll=roll,
                allocations=given,
                fair_share=float(share),
                difference=float(given - share),
                ratio=float(given / share) if share else None,
                standing=standing_of(given, share),
            )
        )
    return tuple(rows)


def fair_shares_by_year_group(
    rolls: Mapping[int, int], allocations: Iterable[tuple[int, int]]
) -> dict[int, tuple[FairShare, ...]]:
    """R23: fair shares per year group, from one ``(school id, year group)`` per allocation.

    Every year group with an allocation gets each school's share of that year group's
    allocations, in proportion to the school's whole roll (see the module's docstring). A
    year group absent here had no allocations: ``fair_shares(rolls, {})`` describes it.
    """
    by_year: dict[int, Counter[int]] = {}
    for school_id, year_group in allocations:
        by_year.setdefault(year_group, Counter())[school_id] += 1
    return {
        year_group: fair_shares(rolls, counts) for year_group, counts in sorted(by_year.items())
    }
