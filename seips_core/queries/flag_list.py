"""The flags the pages list and count, with how each flagged pupil may be named."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from ..rules.flag import SEVERITY_ORDER, Flag
from .flags import county_flags, flag_counts
from .pupils import pupil_labels


@dataclass(frozen=True)
class RuleCount:
    """How many flags one rule raised, with the most severe of them (for its badge)."""

    rule: str
    count: int
    severity: str


@dataclass(frozen=True)
class FlagList:
    """Every flag on a date (most severe first), their count by rule, pupils' labels by case ref.

    Immutable, so that one answer can be shared by every page and session that asks.
    """

    flags: tuple[Flag, ...]
    by_rule: tuple[RuleCount, ...]
    #: Initials, or full names when the list was asked for with them (``pupil_labels``).
    pupils: dict[str, str]


def rule_counts(flags: list[Flag]) -> tuple[RuleCount, ...]:
    """Flags per rule in R-number order, each with its most severe flag."""
    severities: dict[str, set[str]] = defaultdict(set)
    for flag in flags:
        severities[flag.rule].add(flag.severity)
    return tuple(
        RuleCount(rule, count, min(severities[rule], key=SEVERITY_ORDER.__getitem__))
        for rule, count in flag_counts(flags).items()
    )


def flag_list(
    session: Session, on: date, partnership: str | None = None, *, full_names: bool = False
) -> FlagList:
    """``county_flags`` with their count by rule and the pupils they name: by initials, or by
    full name only when ``full_names`` is asked for (a co-ordinator not projecting)."""
    flags = county_flags(session, on, partnership)
    return FlagList(
        flags=tuple(flags),
        by_rule=rule_counts(flags),
        pupils=pupil_labels(session, {flag.subject for flag in flags}, full_names=full_names),
    )
