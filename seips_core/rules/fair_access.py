"""Checks on open Fair Access cases and schools' refusals (R13, R20, R21, R22).

A case is open until the child is on roll: the co-ordinator is responsible for the child until
then (R13), so the case checks below look only at open cases.
"""

from dataclasses import dataclass
from datetime import date

from seips_core.school_days import SchoolCalendar

from .flag import Flag, Severity, graded, raised, when

#: R13: the child should be on roll within a week of the decision.
ON_ROLL_WITHIN_DAYS = 7
#: R21: a place must be allocated within 20 school days of acceptance.
ALLOCATE_WITHIN_SCHOOL_DAYS = 20
#: R21: "near" the limit, shown as a warning from this many school days.
ALLOCATION_WARNING_FROM = 15


@dataclass(frozen=True)
class FairAccessFacts:
    """One Fair Access case, with the number of R20 categories recorded for it."""

    case_ref: str
    partnership: str | None
    referred_date: date
    unplaced: bool = True
    categories: int = 0
    accepted_date: date | None = None
    allocated: bool = False
    decision_date: date | None = None
    school_told_date: date | None = None
    admissions_told_date: date | None = None
    on_roll_date: date | None = None

    def is_open(self, on: date) -> bool:
        """Referred by ``on`` and the child not yet on roll (R13)."""
        return self.referred_date <= on and (self.on_roll_date is None or self.on_roll_date > on)

    def is_accepted(self, on: date) -> bool:
        return self.is_open(on) and self.accepted_date is not None and self.accepted_date <= on


def _flag(case: FairAccessFacts, rule: str, severity: Severity, message: str) -> Flag:
    return Flag(rule, case.case_ref, message, severity, case.partnership)


def decision_not_followed_up(case: FairAccessFacts, on: date) -> Flag | None:
    """R13: school and Admissions told at the decision; on roll within a week, else follow up."""
    if not case.is_open(on) or case.decision_date is None or case.decision_date > on:
        return None
    problems = []
    if case.school_told_date is None:
        problems.append("the chosen school has not been told")
    if case.admissions_told_date is None:
        problems.append("Admissions has not been told")
    waited = (on - case.decision_date).days
    if waited > ON_ROLL_WITHIN_DAYS:
        problems.append(
            f"not on roll {waited} days after the decision of {when(case.decision_date)} "
            f"(limit {ON_ROLL_WITHIN_DAYS}): tell Admissions and follow up"
        )
    if not problems:
        return None
    return _flag(
        case, "R13", "warning", f"Fair Access decision not followed up: {'; '.join(problems)}"
    )


def accepted_without_eligibility(case: FairAccessFacts, on: date) -> Flag | None:
    """R20: an accepted case must be unplaced and in at least one Fair Access category."""
    if not case.is_accepted(on):
        return None
    problems = []
    if not case.unplaced:
        problems.append("the child is not recorded as unplaced")
    if case.categories == 0:
        problems.append("no Fair Access category recorded")
    if not problems:
        return None
    return _flag(
        case,
        "R20",
        "critical",
        f"Accepted under Fair Access without eligibility: {' and '.join(problems)} "
        "(a child must be unplaced and in at least one category)",
    )


def allocation_overdue(case: FairAccessFacts, on: date, calendar: SchoolCalendar) -> Flag | None:
    """R21: a place allocated within 20 school days of acceptance; warned from 15."""
    if not case.is_accepted(on) or case.allocated:
        return None
    used = calendar.school_days_since(case.accepted_date, on)
    grade = graded(used, ALLOCATION_WARNING_FROM, ALLOCATE_WITHIN_SCHOOL_DAYS)
    if grade is None:
        return None
    severity, state = grade
    return _flag(
        case,
        "R21",
        severity,
        f"No school allocated {used} school days after acceptance on {when(case.accepted_date)}: "
        f"{state} the limit of {ALLOCATE_WITHIN_SCHOOL_DAYS} school days",
    )


def fair_access_flags(case: FairAccessFacts, on: date, calendar: SchoolCalendar) -> list[Flag]:
    """Every Fair Access case rule's flag for ``case`` on ``on``."""
    return raised(
        decision_not_followed_up(case, on),
        accepted_without_eligibility(case, on),
        allocation_overdue(case, on, calendar),
    )


@dataclass(frozen=True)
class RefusalFacts:
    """A school's Fair Access refusals and delays logged this academic year (R22)."""

    school: str
    partnership: str | None
    refusals: int = 0
    delays: int = 0


def refusals_logged(school: RefusalFacts) -> Flag | None:
    """R22: every school must admit when allocated; refusals and delays are shown, not hidden."""
    logged = []
    if school.refusals:
        logged.append(f"{school.refusals} refusal(s)")
    if school.delays:
        logged.append(f"{school.delays} delay(s)")
    if not logged:
        return None
    return Flag(
        "R22",
        school.school,
        f"Fair Access {' and '.join(logged)} logged this academic year: "
        "every school must admit when allocated, even if full",
        "warning",
        school.partnership,
    )
