"""The flags the pages list and count, with how each flagged pupil may be named."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from ..rules.flag import SEVERITY_ORDER, Flag, flag_order
from .flags import (
    Unassigned,
    case_flags,
    county_flags,
    flag_counts,
    providers_flags,
    unassigned_flags,
)
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
    return _listed(session, county_flags(session, on, partnership), full_names)


def _listed(session: Session, flags: list[Flag], full_names: bool) -> FlagList:
    return FlagList(
        flags=tuple(flags),
        by_rule=rule_counts(flags),
        pupils=pupil_labels(session, {flag.subject for flag in flags}, full_names=full_names),
    )


def case_flag_list(
    session: Session, on: date, partnership: str | Unassigned, *, full_names: bool = False
) -> FlagList:
    """One part of the county's ``flag_list``: a partnership's flags but those on providers,
    or (``Unassigned.ROWS``) the flags of no partnership. Each part rests on its own rows
    only, so it can be cached on its partnership's marker (issue 13)."""
    if partnership is Unassigned.ROWS:
        flags = unassigned_flags(session, on)
    else:
        flags = case_flags(session, on, partnership)
    return _listed(session, sorted(flags, key=flag_order), full_names)


def provider_flag_list(session: Session, on: date) -> FlagList:
    """The county's flags on providers (R8, R10), counted once: the part of the county's
    ``flag_list`` resting on county-wide facts alone. Providers name no pupil."""
    flags = providers_flags(session, on, None)
    return FlagList(
        flags=tuple(sorted(flags, key=flag_order)), by_rule=rule_counts(flags), pupils={}
    )


def combined(parts: Iterable[FlagList]) -> FlagList:
    """The flag list of the parts together (partnerships', no partnership's, providers'):
    what ``flag_list`` gives for the whole county, when no flag is in two parts."""
    parts = list(parts)
    flags = sorted((flag for part in parts for flag in part.flags), key=flag_order)
    pupils: dict[str, str] = {}
    for part in parts:
        pupils.update(part.pupils)
    return FlagList(flags=tuple(flags), by_rule=rule_counts(flags), pupils=pupils)
