"""Everything the room needs to decide one agenda item, for the projector and the recording
screen (issue 4): who, where, why it is on the agenda (issue 12), the tier history, earlier
decisions, exclusions with the R25 totals, current AP placements with days a week, and every
flag the rules raise on the case.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from ..auth.roles import Actor
from ..auth.scope import item_in_scope
from ..derived import psp_label_sql
from ..models import (
    AgendaItem,
    Decision,
    Exclusion,
    FairAccessCase,
    Meeting,
    Placement,
    Provider,
    Pupil,
    School,
    TierChange,
    User,
)
from ..models.choices import DECISION_OUTCOMES
from ..rules.agenda import PURPOSE_LABELS
from ..rules.exclusions import SUSPENSION_LIMIT_DAYS
from ..rules.flag import Flag
from ..rules.sessions import days_a_week
from ..school_days import academic_year_start
from .decisions import current_decision, current_decision_ids, replaced_decision
from .flags import county_flags
from .item_reason import ItemReason, item_reason
from .pupils import pupil_labels
from .scope import placement_current_on


@dataclass(frozen=True)
class TierPeriod:
    """R6: one period at one tier; ``to_date`` None while it runs."""

    from_date: date
    to_date: date | None
    tier: int
    psp_label: str | None


@dataclass(frozen=True)
class PastDecision:
    """A decision on the pupil at an earlier item (the standing one, after any amendment)."""

    meeting_date: date
    outcome_label: str
    rationale: str


@dataclass(frozen=True)
class ExclusionRow:
    kind: str
    start_date: date
    school_days: int | None
    school: str


@dataclass(frozen=True)
class PlacementRow:
    """A current AP placement; days a week count a half-day as a day (R7)."""

    provider: str
    sessions: str
    days_a_week: int
    hours_per_week: float
    start_date: date
    planned_end_date: date | None


@dataclass(frozen=True)
class ItemDecision:
    """The item's standing decision, with its version for the next save (optimistic locking)."""

    id: int
    version: int
    outcome: str
    outcome_label: str
    rationale: str
    enforceable: bool
    #: Who saved it: their display name (their email if they have no account).
    decided_by: str
    decided_at: datetime
    #: True when it amends a decision of signed-off minutes.
    is_amendment: bool


@dataclass(frozen=True)
class ItemView:
    item_id: int
    meeting_id: int
    position: int
    items: int
    #: "item 4 of 11"
    progress: str
    previous_item_id: int | None
    next_item_id: int | None
    purpose: str
    purpose_label: str
    case_ref: str
    #: Initials; the full name only when asked for and the viewer may see names.
    label: str
    school: str | None
    year_group: int
    ehcp: bool
    home_la: str
    #: Why the item is on the agenda and what the case asks (``item_reason``).
    reason: ItemReason
    tier_history: tuple[TierPeriod, ...]
    previous_decisions: tuple[PastDecision, ...]
    exclusions: tuple[ExclusionRow, ...]
    #: R25: suspension days this academic year, of at most ``SUSPENSION_LIMIT_DAYS``.
    suspension_days_this_year: int
    suspension_limit: int
    permanent_exclusions_this_year: int
    placements: tuple[PlacementRow, ...]
    flags: tuple[Flag, ...]
    decision: ItemDecision | None
    #: The Fair Access case an allocation here would place (the item's, else the pupil's open
    #: case); None when the pupil has none (R13).
    fair_access_case_id: int | None = None


def case_flags(session: Session, case_ref: str, on: date, partnership: str | None) -> list[Flag]:
    """Every flag the rules raise on ``case_ref`` on ``on``, as on every other page: the same
    rules over the case's own rows (``county_flags(case_ref=…)``), not the partnership's."""
    return county_flags(session, on, partnership, case_ref=case_ref)


def agenda_item_view(
    session: Session, viewer: Actor, item_id: int, *, on: date, full_names: bool = False
) -> ItemView:
    """Item ``item_id`` of a meeting of the viewer's partnerships, as the room sees it on ``on``.

    The item's pupil is checked too (``item_in_scope``): an item of the viewer's meeting about
    another partnership's child is refused, not shown."""
    item, meeting, code = item_in_scope(session, viewer, item_id)
    pupil = session.get(Pupil, item.pupil_id)
    order = list(
        session.scalars(
            select(AgendaItem.id)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )
    index = order.index(item_id)
    exclusions = _exclusions(session, pupil.id)
    year_start = date(academic_year_start(on), 9, 1)
    this_year = [row for row in exclusions if year_start <= row.start_date <= on]
    label = pupil_labels(
        session, [pupil.case_ref], full_names=full_names and viewer.may("see_names")
    )
    return ItemView(
        item_id=item_id,
        meeting_id=meeting.id,
        position=index + 1,
        items=len(order),
        progress=f"item {index + 1} of {len(order)}",
        previous_item_id=order[index - 1] if index > 0 else None,
        next_item_id=order[index + 1] if index + 1 < len(order) else None,
        purpose=item.purpose,
        purpose_label=PURPOSE_LABELS[item.purpose],
        case_ref=pupil.case_ref,
        label=label.get(pupil.case_ref, ""),
        school=session.get(School, pupil.school_id).name if pupil.school_id else None,
        year_group=pupil.year_group,
        ehcp=pupil.ehcp,
        home_la=pupil.home_la,
        reason=item_reason(session, item, on),
        tier_history=_tiers(session, pupil.id),
        previous_decisions=_past_decisions(session, pupil.id, item_id),
        exclusions=exclusions,
        suspension_days_this_year=sum(
            row.school_days or 0 for row in this_year if row.kind == "suspension"
        ),
        suspension_limit=SUSPENSION_LIMIT_DAYS,
        permanent_exclusions_this_year=sum(row.kind == "permanent" for row in this_year),
        placements=_placements(session, pupil.id, on),
        flags=tuple(case_flags(session, pupil.case_ref, on, code)),
        decision=_decision(session, current_decision(session, item_id)),
        fair_access_case_id=item.fair_access_case_id or _open_case(session, pupil.id),
    )


def _open_case(session: Session, pupil_id: int) -> int | None:
    """The pupil's Fair Access case not yet closed by the child being on roll (R13)."""
    return session.scalars(
        select(FairAccessCase.id).where(
            FairAccessCase.pupil_id == pupil_id, FairAccessCase.on_roll_date.is_(None)
        )
    ).first()


def _tiers(session: Session, pupil_id: int) -> tuple[TierPeriod, ...]:
    rows = session.execute(
        select(
            TierChange.from_date,
            TierChange.to_date,
            TierChange.tier,
            psp_label_sql(TierChange.tier, Pupil.home_la),
        )
        .join(Pupil, Pupil.id == TierChange.pupil_id)
        .where(TierChange.pupil_id == pupil_id)
        .order_by(TierChange.from_date)
    )
    return tuple(TierPeriod(*row) for row in rows)


def _past_decisions(session: Session, pupil_id: int, item_id: int) -> tuple[PastDecision, ...]:
    standing = current_decision_ids()
    rows = session.execute(
        select(Meeting.meeting_date, Decision.outcome, Decision.rationale)
        .select_from(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(standing, standing.c.agenda_item_id == AgendaItem.id)
        .join(Decision, Decision.id == standing.c.id)
        .where(AgendaItem.pupil_id == pupil_id, AgendaItem.id != item_id)
        .order_by(Meeting.meeting_date.desc())
    )
    return tuple(PastDecision(day, DECISION_OUTCOMES[outcome], why) for day, outcome, why in rows)


def _exclusions(session: Session, pupil_id: int) -> tuple[ExclusionRow, ...]:
    rows = session.execute(
        select(Exclusion.kind, Exclusion.start_date, Exclusion.school_days, School.name)
        .join(School, School.id == Exclusion.school_id)
        .where(Exclusion.pupil_id == pupil_id)
        .order_by(Exclusion.start_date.desc())
    )
    return tuple(ExclusionRow(*row) for row in rows)


def _placements(session: Session, pupil_id: int, on: date) -> tuple[PlacementRow, ...]:
    rows = session.execute(
        select(
            Provider.name,
            Placement.sessions,
            Placement.hours_per_week,
            Placement.start_date,
            Placement.planned_end_date,
        )
        .join(Provider, Provider.id == Placement.provider_id)
        .where(Placement.pupil_id == pupil_id, Placement.kind == "ap", placement_current_on(on))
        .order_by(Placement.start_date)
    )
    return tuple(
        PlacementRow(provider, sessions, days_a_week(sessions), hours, start, planned_end)
        for provider, sessions, hours, start, planned_end in rows
    )


def _decision(session: Session, row: Decision | None) -> ItemDecision | None:
    if row is None:
        return None
    is_amendment = replaced_decision(session, row) is not None
    return ItemDecision(
        id=row.id,
        version=row.version,
        outcome=row.outcome,
        outcome_label=DECISION_OUTCOMES[row.outcome],
        rationale=row.rationale,
        enforceable=row.enforceable,
        decided_by=session.scalars(
            select(User.display_name).where(User.email == row.decided_by)
        ).first()
        or row.decided_by,
        decided_at=row.decided_at,
        is_amendment=is_amendment,
    )
