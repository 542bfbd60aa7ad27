"""Checks on one AP or work-experience placement (R7, R9, R11, R12, R26, R27, R28)."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from .flag import Flag, Severity, raised, when
from .sessions import (
    STANDARD_PART_TIME_DAYS,
    STANDARD_SHORT_WEEKS,
    SUBSTANTIAL_DAYS_ABOVE,
    days_a_week,
    is_substantial,
    substantial_reason,
)

#: R26: "at least half-termly" read as reviews no more than 7 weeks apart.
HALF_TERMLY_DAYS = 49


@dataclass(frozen=True)
class PlacementFacts:
    """What the rules need to know about one placement, read from its row and its provider's."""

    case_ref: str
    provider: str
    school: str
    partnership: str | None
    kind: str
    sessions: str
    hours_per_week: float
    start_date: date
    end_date: date | None = None
    planned_end_date: date | None = None
    max_duration_weeks: int | None = None
    plan_agreed_date: date | None = None
    last_review_date: date | None = None
    next_review_date: date | None = None
    la_informed_date: date | None = None
    #: R12: the provider's LEBC check, the only audit work experience needs.
    provider_lebc_check_date: date | None = None
    #: R27: the commissioning school holds written confirmation of the provider's checks.
    safeguarding_confirmed: bool = False

    @cached_property
    def days_a_week(self) -> int:
        return days_a_week(self.sessions)

    @cached_property
    def is_substantial(self) -> bool:
        return is_substantial(self.days_a_week, self.hours_per_week)

    def is_current(self, on: date) -> bool:
        """Started on or before ``on`` and not ended before it."""
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    def is_current_ap(self, on: date) -> bool:
        return self.kind == "ap" and self.is_current(on)


def _flag(placement: PlacementFacts, rule: str, severity: Severity, message: str) -> Flag:
    return Flag(rule, placement.case_ref, message, severity, placement.partnership)


def substantial_ap(placement: PlacementFacts, on: date) -> Flag | None:
    """R7: more than 3 days a week at one AP is substantial; applied to every pupil as a caution."""
    if not placement.is_current_ap(on) or placement.days_a_week <= SUBSTANTIAL_DAYS_ABOVE:
        return None
    return _flag(
        placement,
        "R7",
        "advisory",
        f"{placement.days_a_week} days a week at {placement.provider}: more than "
        f"{SUBSTANTIAL_DAYS_ABOVE} days at one AP is substantial, so treat it with caution",
    )


def substantial_without_plan(placement: PlacementFacts, on: date) -> Flag | None:
    """R9: a substantial placement is allowed only short term, with an agreed plan and end date."""
    if not placement.is_current(on) or not placement.is_substantial:
        return None
    problems = []
    if placement.plan_agreed_date is None:
        problems.append("no agreed written plan")
    if placement.planned_end_date is None:
        problems.append("no planned end date")
    elif placement.planned_end_date < on:
        problems.append(f"past its planned end date of {when(placement.planned_end_date)}")
    if not problems:
        return None
    reason = substantial_reason(placement.days_a_week, placement.hours_per_week)
    return _flag(
        placement,
        "R9",
        "warning",
        f"Substantial placement at {placement.provider} with {', '.join(problems)}: "
        f"at {reason} it is allowed only short term, with a written plan and an end date",
    )


def review_overdue(placement: PlacementFacts, on: date) -> Flag | None:
    """R11: every placement has a next review date, and it must not have passed."""
    if not placement.is_current(on):
        return None
    due = placement.next_review_date
    if due is None:
        message = f"No review date set for the placement at {placement.provider}"
    elif due < on:
        message = f"Review overdue since {when(due)} at {placement.provider}"
    else:
        return None
    return _flag(placement, "R11", "warning", f"{message}: placements must be reviewed regularly")


def work_experience_without_lebc(placement: PlacementFacts, on: date) -> Flag | None:
    """R12: a work-experience placement needs a passed LEBC check of its provider."""
    if (
        placement.kind != "work_experience"
        or not placement.is_current(on)
        or placement.provider_lebc_check_date is not None
    ):
        return None
    return _flag(
        placement,
        "R12",
        "critical",
        f"Work experience at {placement.provider} without a passed LEBC check: "
        "every work-experience placement needs one",
    )


def incomplete_ap_plan(placement: PlacementFacts, on: date) -> Flag | None:
    """R26: each AP placement has a maximum duration, half-termly reviews, and the LA told."""
    if not placement.is_current_ap(on):
        return None
    problems = []
    if placement.planned_end_date is None and placement.max_duration_weeks is None:
        problems.append("no maximum duration")
    if placement.next_review_date is not None:
        since = placement.last_review_date or placement.start_date
        gap = (placement.next_review_date - since).days
        if gap > HALF_TERMLY_DAYS:
            problems.append(
                f"next review {gap} days after the last (more than {HALF_TERMLY_DAYS}: "
                "not half-termly)"
            )
    if placement.la_informed_date is None:
        problems.append("LA not informed")
    if not problems:
        return None
    return _flag(
        placement,
        "R26",
        "warning",
        f"AP plan at {placement.provider} incomplete: {'; '.join(problems)}",
    )


def no_safeguarding_confirmation(placement: PlacementFacts, on: date) -> Flag | None:
    """R27: the commissioning school holds written confirmation of the provider's staff checks."""
    if not placement.is_current(on) or placement.safeguarding_confirmed:
        return None
    return _flag(
        placement,
        "R27",
        "warning",
        f"No written safeguarding confirmation from {placement.provider} held by "
        f"{placement.school}: the commissioning school must hold one",
    )


def planned_length(placement: PlacementFacts) -> str | None:
    """R28: how the placement runs past 12 weeks, or None when it is planned to end within them."""
    if placement.planned_end_date is None and placement.max_duration_weeks is None:
        return "no planned end"
    if (
        placement.max_duration_weeks is not None
        and placement.max_duration_weeks > STANDARD_SHORT_WEEKS
    ):
        return f"a maximum of {placement.max_duration_weeks} weeks"
    if placement.planned_end_date is not None and (
        placement.planned_end_date - placement.start_date
    ) > timedelta(weeks=STANDARD_SHORT_WEEKS):
        days = (placement.planned_end_date - placement.start_date).days
        return f"{days} days planned"
    return None


def outside_coming_standard(placement: PlacementFacts, on: date) -> Flag | None:
    """R28: outside both the short (at most 12 weeks) and part-time (at most 2 days) standards."""
    if not placement.is_current_ap(on) or placement.days_a_week <= STANDARD_PART_TIME_DAYS:
        return None
    length = planned_length(placement)
    if length is None:
        return None
    return _flag(
        placement,
        "R28",
        "advisory",
        f"Outside the coming DfE AP standard: {placement.days_a_week} days a week at "
        f"{placement.provider} with {length} (standard: at most {STANDARD_PART_TIME_DAYS} "
        f"days a week, or at most {STANDARD_SHORT_WEEKS} weeks)",
    )


PLACEMENT_RULES = (
    substantial_ap,
    substantial_without_plan,
    review_overdue,
    work_experience_without_lebc,
    incomplete_ap_plan,
    no_safeguarding_confirmation,
    outside_coming_standard,
)


def placement_flags(placement: PlacementFacts, on: date) -> list[Flag]:
    """Every placement rule's flag for ``placement`` on ``on``."""
    return raised(*(rule(placement, on) for rule in PLACEMENT_RULES))
