"""The flags the pages list and count, with how each flagged pupil may be named."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from ..rules.flag import SEVERITY_ORDER, Flag, flag_order
from .flags import county_flags, flag_counts, partnership_flags, unassigned_flags
from .providers import PROVIDER_RULES
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


def refreshed(
    session: Session, previous: FlagList, changed: Iterable[str], on: date, full_names: bool
) -> FlagList:
    """The county's ``flag_list`` from ``previous`` (the county's, on the same day, with the
    same names) after writes in the partnerships ``changed`` only (the county-wide facts
    unchanged): their flags and the flags of no partnership worked out again, every other
    partnership's and the providers' (R8, R10, counted once county-wide) kept (issue 13).

    Each flag names its partnership; the providers' and the flags of no partnership name none,
    and are told apart by their rules.
    """
    changed = set(changed)

    def kept(flag: Flag) -> bool:
        if flag.partnership is None:
            return flag.rule in PROVIDER_RULES
        return flag.partnership not in changed

    old = [flag for flag in previous.flags if kept(flag)]
    new = unassigned_flags(session, on)
    for code in sorted(changed):
        new += partnership_flags(session, on, code)
    # A pupil renamed moved every partnership that shows them: their flags are all new.
    pupils = {f.subject: previous.pupils[f.subject] for f in old if f.subject in previous.pupils}
    pupils.update(pupil_labels(session, {flag.subject for flag in new}, full_names=full_names))
    flags = sorted(old + new, key=flag_order)
    return FlagList(flags=tuple(flags), by_rule=rule_counts(flags), pupils=pupils)
