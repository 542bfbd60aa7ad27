"""Where a Fair Access case stands, and its clocks (R13, R20, R21): pure functions of dates.

The case list shows, for each child, the furthest step of R13 reached, whether the child can
pass the co-ordinator's R20 eligibility check, R21's twenty school days from acceptance to
allocation, R13's week from the decision to being on roll, and how long the child has been out
of education. Everything here is worked out "as on" a day: a date after that day counts as not
reached yet, so the list reads the same when looked back at. The flags themselves stay in
``rules.fair_access``; these functions give the figures behind them and the words beside them.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from seips_core.school_days import SchoolCalendar

from .fair_access import ALLOCATE_WITHIN_SCHOOL_DAYS, ALLOCATION_WARNING_FROM, ON_ROLL_WITHIN_DAYS
from .flag import graded, when

#: R13's steps in order, as the case list names them.
REFERRED = "Referred by Admissions"
ELIGIBILITY_CHECKED = "Eligibility checked"
ACCEPTED = "Accepted"
ALLOCATED = "Allocated"
SCHOOL_TOLD = "School told"
ADMISSIONS_TOLD = "Admissions told"
ON_ROLL = "On roll"
STAGES = (
    REFERRED,
    ELIGIBILITY_CHECKED,
    ACCEPTED,
    ALLOCATED,
    SCHOOL_TOLD,
    ADMISSIONS_TOLD,
    ON_ROLL,
)

#: R13: what the co-ordinator does when a child is not on roll a week after the decision.
FOLLOW_UP = "tell Admissions and follow up"

ClockStatus = Literal["ok", "near", "past"]
#: Most urgent first, for the list's order.
_STATUS_RANK: dict[str, int] = {"past": 0, "near": 1, "ok": 2}


@dataclass(frozen=True)
class CaseDates:
    """The dates R13 records on a Fair Access case (None: not recorded)."""

    referred_date: date
    eligibility_checked_date: date | None = None
    accepted_date: date | None = None
    decision_date: date | None = None
    school_told_date: date | None = None
    admissions_told_date: date | None = None
    on_roll_date: date | None = None

    def in_stage_order(self) -> tuple[date | None, ...]:
        """The dates in the order of ``STAGES``."""
        return (
            self.referred_date,
            self.eligibility_checked_date,
            self.accepted_date,
            self.decision_date,
            self.school_told_date,
            self.admissions_told_date,
            self.on_roll_date,
        )


def reached(day: date | None, on: date) -> date | None:
    """``day`` if it is recorded and not after ``on``; else None (not reached as on ``on``)."""
    return day if day is not None and day <= on else None


@dataclass(frozen=True)
class StageStep:
    """One step of R13 with the day it was reached (None: not reached by the day asked)."""

    name: str
    day: date | None


@dataclass(frozen=True)
class Stage:
    """The furthest step of R13 a case has reached, with every step's date."""

    name: str
    day: date
    steps: tuple[StageStep, ...]
    #: Steps before the current one with no date: reached without being recorded (e.g. a
    #: case accepted with no eligibility check on file, which R20's check then questions).
    skipped: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        """R13: the co-ordinator is responsible for the child until they are on roll."""
        return self.name != ON_ROLL


def stage_of(dates: CaseDates, on: date) -> Stage:
    """The case's stage as on ``on``: the last step of ``STAGES`` whose date has come.

    The school and Admissions are both told at the decision (R13); whichever comes later in
    ``STAGES`` is the stage, and ``steps`` shows which of them is still missing. A case referred
    after ``on`` is not on the list at all; asked anyway, it stands at "Referred by Admissions".
    """
    steps = tuple(
        StageStep(name, reached(day, on))
        for name, day in zip(STAGES, dates.in_stage_order(), strict=True)
    )
    last = max((index for index, step in enumerate(steps) if step.day is not None), default=0)
    current = steps[last]
    return Stage(
        name=current.name,
        day=current.day or dates.referred_date,
        steps=steps,
        skipped=tuple(step.name for step in steps[:last] if step.day is None),
    )


class Eligibility(NamedTuple):
    """R20: can the case pass the co-ordinator's check, and why (or why not)."""

    ok: bool
    reason: str


def eligibility(unplaced: bool, categories: Collection[str]) -> Eligibility:
    """R20: eligible only if unplaced **and** in at least one Fair Access category."""
    problems = []
    if not unplaced:
        problems.append("not unplaced")
    if not categories:
        problems.append("no category recorded")
    if problems:
        return Eligibility(False, f"R20: cannot pass the check: {' and '.join(problems)}")
    count = len(categories)
    return Eligibility(
        True, f"R20: unplaced and in {count} {'category' if count == 1 else 'categories'}"
    )


@dataclass(frozen=True)
class AllocationClock:
    """R21: school days from acceptance to allocation (the decision), or to the day asked."""

    accepted: date
    school_days: int
    status: ClockStatus
    #: False once a school is allocated: the count then stops at the decision.
    running: bool
    #: The 20th school day after acceptance ("allocate by"); None beyond the stored terms.
    allocate_by: date | None
    limit: int = ALLOCATE_WITHIN_SCHOOL_DAYS

    @property
    def share_used(self) -> float:
        return self.school_days / self.limit

    @property
    def summary(self) -> str:
        """The clock in words, with its rule: what a chair reads beside the case."""
        if not self.running:
            if self.status == "past":
                return (
                    f"R21: allocated after {self.school_days} school days, past the limit of "
                    f"{self.limit}"
                )
            return f"R21: allocated after {self.school_days} of {self.limit} school days"
        if self.status == "past":
            due = f" (due {when(self.allocate_by)})" if self.allocate_by else ""
            return (
                f"R21: {self.school_days} school days since acceptance, past the limit of "
                f"{self.limit}{due}"
            )
        due = (
            f"allocate by {when(self.allocate_by)}"
            if self.allocate_by
            else "the term dates do not reach the 20th school day yet"
        )
        return f"R21: {self.school_days} of {self.limit} school days used; {due}"


def clock_status(used: int, warning_from: int, limit: int) -> ClockStatus:
    """ "past" over the limit, "near" from ``warning_from``, else "ok" (as the flags grade)."""
    grade = graded(used, warning_from, limit)
    if grade is None:
        return "ok"
    return "past" if grade[0] == "critical" else "near"


def allocation_clock(
    accepted_date: date | None, decision_date: date | None, on: date, calendar: SchoolCalendar
) -> AllocationClock | None:
    """R21's clock as on ``on``; None while the case is not accepted.

    The day of acceptance is day 0 (``SchoolCalendar.school_days_since``); the clock stops at
    the decision that allocates a school. "near" from 15 school days, "past" after 20.
    """
    accepted = reached(accepted_date, on)
    if accepted is None:
        return None
    decided = reached(decision_date, on)
    used = calendar.school_days_since(accepted, decided or on)
    return AllocationClock(
        accepted=accepted,
        school_days=used,
        status=clock_status(used, ALLOCATION_WARNING_FROM, ALLOCATE_WITHIN_SCHOOL_DAYS),
        running=decided is None,
        allocate_by=calendar.add_school_days(accepted, ALLOCATE_WITHIN_SCHOOL_DAYS),
    )


@dataclass(frozen=True)
class OnRollClock:
    """R13: calendar days from the decision to the child being on roll, or to the day asked."""

    decided: date
    days: int
    status: ClockStatus
    #: False once the child is on roll.
    running: bool
    #: R13: "tell Admissions and follow up" when over a week and still not on roll.
    action: str | None
    limit: int = ON_ROLL_WITHIN_DAYS

    @property
    def share_used(self) -> float:
        return self.days / self.limit

    @property
    def summary(self) -> str:
        """The clock in words, with its rule."""
        if not self.running:
            return (
                f"R13: on roll {self.days} days after the decision (expected within {self.limit})"
            )
        if self.action:
            return (
                f"R13: not on roll {self.days} days after the decision (limit {self.limit}): "
                f"{self.action}"
            )
        return f"R13: {self.days} days since the decision (on roll expected within {self.limit})"


def on_roll_clock(
    decision_date: date | None, on_roll_date: date | None, on: date
) -> OnRollClock | None:
    """R13's week as on ``on``; None until the decision is taken.

    Over the limit means more than 7 days: on roll 7 days after the decision is in time.
    """
    decided = reached(decision_date, on)
    if decided is None:
        return None
    on_roll = reached(on_roll_date, on)
    days = max(((on_roll or on) - decided).days, 0)
    over = days > ON_ROLL_WITHIN_DAYS
    return OnRollClock(
        decided=decided,
        days=days,
        status="past" if over else "ok",
        running=on_roll is None,
        action=FOLLOW_UP if over and on_roll is None else None,
    )


def days_out_of_education(referred_date: date, on_roll_date: date | None, on: date) -> int:
    """Calendar days from the referral to the child being on roll, or to ``on`` while not."""
    return max(((reached(on_roll_date, on) or on) - referred_date).days, 0)


def case_order(
    stage: Stage,
    allocation: AllocationClock | None,
    on_roll: OnRollClock | None,
    days_out: int,
) -> tuple:
    """Sort key of the case list: open cases first, the most urgent running clock first.

    Among open cases: any running clock past its limit (R21 or R13) before any near it, before
    the rest; then the larger share of its limit used; then the longer out of education. Cases
    closed (on roll) follow, most recently on roll first.
    """
    if not stage.is_open:
        return (1, -stage.day.toordinal())
    running = [clock for clock in (allocation, on_roll) if clock is not None and clock.running]
    rank = min((_STATUS_RANK[clock.status] for clock in running), default=len(_STATUS_RANK))
    share = max((clock.share_used for clock in running), default=0.0)
    return (0, rank, -share, -days_out)
