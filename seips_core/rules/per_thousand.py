"""Pupils per 1,000 on roll: so a small school and a large one compare fairly (issue 7, R5, R6).

Pure arithmetic; the counts come from the tier history (R6) and the roll from ``School``.
"""

from collections.abc import Iterable

#: The base of the rate: pupils per this many on roll.
PER = 1000


def per_thousand(count: int, number_on_roll: int) -> float | None:
    """``count`` pupils per 1,000 on a roll of ``number_on_roll``.

    A roll of 0 gives None, not 0 and not an error: a school with nobody on roll (closing,
    or its roll not yet entered) has no meaningful rate, and showing 0 would read as "no
    pupils at this tier" when pupils may well be counted there (a period says where a pupil
    who has left counts, R6). Negative figures are refused: they can only be a data error.
    """
    if count < 0:
        raise ValueError(f"count: {count} is negative")
    if number_on_roll < 0:
        raise ValueError(f"number on roll: {number_on_roll} is negative")
    if number_on_roll == 0:
        return None
    return count * PER / number_on_roll


def per_thousand_each(counts: Iterable[int], number_on_roll: int) -> tuple[float | None, ...]:
    """``per_thousand`` of each count (e.g. Tier 1…4) on the same roll."""
    return tuple(per_thousand(count, number_on_roll) for count in counts)
