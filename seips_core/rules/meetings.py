"""Checks on panel meetings and their decisions (R13a, R16)."""

from dataclasses import dataclass
from datetime import date

from .flag import Flag, raised, when

_KIND_LABELS = {"panel": "panel", "inclusion_forum": "Inclusion Forum"}


def meeting_label(partnership: str, kind: str, meeting_date: date) -> str:
    """How a meeting is named on screen and in flags: ``NWL panel 20 Nov 2025``."""
    return f"{partnership} {_KIND_LABELS.get(kind, kind)} {when(meeting_date)}"


@dataclass(frozen=True)
class MeetingFacts:
    """A meeting and, for each member school of its partnership, the day it was notified.

    ``notifications`` holds ``(school name, notified date)``; the date is None where the school
    had no invitation or one that was never sent.
    """

    label: str
    partnership: str | None
    meeting_date: date
    notifications: tuple[tuple[str, date | None], ...] = ()

    @property
    def unnotified_schools(self) -> tuple[str, ...]:
        """R13a: member schools not notified by the meeting day."""
        return tuple(
            sorted(
                school
                for school, notified in self.notifications
                if notified is None or notified > self.meeting_date
            )
        )


def meeting_not_fully_notified(meeting: MeetingFacts, on: date) -> Flag | None:
    """R13a: a coming meeting must notify every member school, or its allocations will not bind."""
    missing = meeting.unnotified_schools
    if meeting.meeting_date < on or not missing:
        return None
    return Flag(
        "R13a",
        meeting.label,
        f"{len(missing)} member school(s) not notified ({', '.join(missing)}): every school of "
        "the partnership must be notified, or a Fair Access allocation there is unenforceable",
        "warning",
        meeting.partnership,
    )


@dataclass(frozen=True)
class DecisionFacts:
    """A panel decision about one pupil, with the meeting it was taken at."""

    case_ref: str
    outcome: str
    meeting: MeetingFacts
    parents_agree: bool | None = None
    home_school_agrees: bool | None = None
    receiving_school_agrees: bool | None = None


def unenforceable_allocation(decision: DecisionFacts) -> Flag | None:
    """R13a: a Fair Access allocation binds only if every member school was notified."""
    missing = decision.meeting.unnotified_schools
    if decision.outcome != "allocate_fair_access" or not missing:
        return None
    return Flag(
        "R13a",
        decision.case_ref,
        f"Fair Access allocation at {decision.meeting.label} is unenforceable: "
        f"{len(missing)} member school(s) not notified ({', '.join(missing)}); "
        "every school of the partnership must be notified of the meeting",
        "critical",
        decision.meeting.partnership,
    )


def managed_move_without_agreement(decision: DecisionFacts) -> Flag | None:
    """R16: a managed move needs the parents and both schools to agree."""
    if decision.outcome != "agree_managed_move":
        return None
    agreements = {
        "the parents": decision.parents_agree,
        "the home school": decision.home_school_agrees,
        "the receiving school": decision.receiving_school_agrees,
    }
    missing = [who for who, agreed in agreements.items() if agreed is not True]
    if not missing:
        return None
    return Flag(
        "R16",
        decision.case_ref,
        f"Managed move agreed at {decision.meeting.label} without {', '.join(missing)} "
        "agreeing: it needs all three (parents and both schools)",
        "critical",
        decision.meeting.partnership,
    )


def decision_flags(decision: DecisionFacts) -> list[Flag]:
    """Every decision rule's flag for ``decision``."""
    return raised(unenforceable_allocation(decision), managed_move_without_agreement(decision))
