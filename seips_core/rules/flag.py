"""What a rule check returns, and the short rule titles the screens show beside a flag."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Severity = Literal["critical", "warning", "advisory"]

#: Most urgent first: the order flags are listed in.
SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "advisory": 2}


@dataclass(frozen=True)
class Flag:
    """One thing a panel should look at, with the rule that raised it.

    ``subject`` is what a chair recognises (a case reference, provider, school or meeting);
    ``partnership`` is the partnership code responsible for it, or None for county-wide
    subjects such as providers, which every partnership may use (R8).
    """

    rule: str
    subject: str
    message: str
    severity: Severity
    partnership: str | None

    def __str__(self) -> str:
        return f"{self.rule} {self.subject}: {self.message}"


#: One short title per rule of docs/rules.md, for badges and filters ("R7: More than 3 days…").
RULE_TITLES: dict[str, str] = {
    "R1": "Partnerships",
    "R2": "Responsible partnership (school on roll)",
    "R3": "Non-member school: full cost recovery",
    "R4": "Tier 4 pupil from another LA",
    "R5": "Tiers",
    "R6": "Tier history",
    "R7": "More than 3 days a week at one AP",
    "R8": "AP at risk of being an unregistered school",
    "R9": "Substantial AP without a short-term plan",
    "R10": "AP safeguarding training",
    "R11": "Placement review overdue",
    "R12": "Work experience without LEBC check",
    "R13": "Fair Access steps",
    "R13a": "Unenforceable Fair Access allocation",
    "R13b": "Fair spread of allocations",
    "R14": "Charges",
    "R15": "SEND funding and EHCP route",
    "R16": "Managed move without all agreements",
    "R17": "Off roll without a lawful reason",
    "R18": "Looked-after child's placing LA",
    "R19": "Referral route",
    "R20": "Fair Access eligibility",
    "R21": "Twenty school days to allocate",
    "R22": "Fair Access refusal or delay",
    "R23": "Fairness by year group",
    "R24": "Annual report to the Schools Adjudicator",
    "R25": "Exclusion limits",
    "R26": "AP placement plan",
    "R27": "Safeguarding confirmation",
    "R28": "Outside the coming AP standard",
}

_RULE_ID = re.compile(r"R(\d+)([a-z]*)")


def rule_order(rule: str) -> tuple[int, str]:
    """Sort key putting rule ids in R-number order: R3 < R10 < R13 < R13a < R15."""
    match = _RULE_ID.fullmatch(rule)
    if match is None:
        raise ValueError(f"not a rule id: {rule!r}")
    return int(match.group(1)), match.group(2)


def flag_order(flag: Flag) -> tuple[int, tuple[int, str], str, str]:
    """Sort key: most severe first, then by rule, then by subject."""
    return SEVERITY_ORDER[flag.severity], rule_order(flag.rule), flag.subject, flag.message


def when(day: date) -> str:
    """A date as flags print it: ``5 Nov 2025``."""
    return f"{day.day} {day:%b %Y}"


def raised(*candidates: Flag | None) -> list[Flag]:
    """The flags among rule results, dropping the checks that passed (None)."""
    return [flag for flag in candidates if flag is not None]


def graded(value: int, warning_from: int, limit: int) -> tuple[Severity, str] | None:
    """A count against a limit: critical "past" it, a warning "near" it from ``warning_from``."""
    if value > limit:
        return "critical", "past"
    if value >= warning_from:
        return "warning", "near"
    return None
