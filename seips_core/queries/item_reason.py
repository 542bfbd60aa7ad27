"""Why an agenda item is before the room (issue 12): what the panel decides on, in two parts.

``why`` is one line in the agenda builder's words (``rules.agenda``): the referral's route,
school and date; the Fair Access case's stage and R21 clock; the AP review and its due date;
the Tier 4 review and when it fell due. ``asked`` is what the case says beyond that: the
referral's summary as the school typed it (stored text: the pages show it through ``md``),
the R20 categories of a Fair Access case, the pattern of the placement under review. Either
is "" when the store holds nothing for it (an item about a referral since deleted).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from ..models import (
    AgendaItem,
    Decision,
    FairAccessCase,
    FairAccessCategory,
    Meeting,
    Placement,
    Provider,
    Referral,
    School,
    TierChange,
)
from ..models.choices import FAIR_ACCESS_CATEGORIES
from ..rules.agenda import ap_review_reason, referral_reason, tier4_review_reason
from ..rules.fair_access_stage import CaseDates, allocation_clock, stage_of
from ..rules.flag import when
from ..rules.sessions import days_a_week
from .flags import school_calendar
from .scope import tier_period_on


@dataclass(frozen=True)
class ItemReason:
    #: One line: why the item is on the agenda.
    why: str = ""
    #: What the case asks or says beyond that ("" when nothing is stored).
    asked: str = ""


def item_reason(session: Session, item: AgendaItem, on: date) -> ItemReason:
    """Why ``item`` is on its meeting's agenda, as on ``on`` (the meeting's day)."""
    if item.referral_id is not None:
        return _referral(session, item.referral_id)
    if item.fair_access_case_id is not None:
        return _fair_access(session, item.fair_access_case_id, on)
    if item.placement_id is not None:
        return _placement(session, item.placement_id)
    if item.purpose == "tier4_review":
        return _tier4(session, item, on)
    return ItemReason()


def _referral(session: Session, referral_id: int) -> ItemReason:
    row = session.execute(
        select(Referral.route, School.name, Referral.received_date, Referral.summary)
        .join(School, School.id == Referral.school_id)
        .where(Referral.id == referral_id)
    ).first()
    if row is None:
        return ItemReason()
    route, school, received, summary = row
    asked = f"The school's summary: {summary.strip()}" if summary.strip() else ""
    return ItemReason(referral_reason(route, school, received), asked)


def _fair_access(session: Session, case_id: int, on: date) -> ItemReason:
    """The case's R13 stage and, once accepted, R21's clock; its R20 categories."""
    case = session.get(FairAccessCase, case_id)
    if case is None:
        return ItemReason()
    dates = CaseDates(
        case.referred_date,
        case.eligibility_checked_date,
        case.accepted_date,
        case.decision_date,
        case.school_told_date,
        case.admissions_told_date,
        case.on_roll_date,
    )
    stage = stage_of(dates, on)
    parts = [
        f"Fair Access case for Year {case.year_group}, referred {when(case.referred_date)}",
        f"now: {stage.name} ({when(stage.day)})",
    ]
    clock = allocation_clock(case.accepted_date, case.decision_date, on, school_calendar(session))
    if clock is not None:
        parts.append(clock.summary)
    categories = session.scalars(
        select(FairAccessCategory.category).where(FairAccessCategory.case_id == case_id)
    ).all()
    order = list(FAIR_ACCESS_CATEGORIES)
    named = [FAIR_ACCESS_CATEGORIES[key] for key in sorted(categories, key=order.index)]
    return ItemReason("; ".join(parts), f"R20: {'; '.join(named)}" if named else "")


def _placement(session: Session, placement_id: int) -> ItemReason:
    """The review due, and the placement reviewed: days a week (R7), hours, dates (R9)."""
    row = session.execute(
        select(Placement, Provider.name)
        .join(Provider, Provider.id == Placement.provider_id)
        .where(Placement.id == placement_id)
    ).first()
    if row is None:
        return ItemReason()
    placement, provider = row
    days = days_a_week(placement.sessions)
    pattern = (
        f"{days} day{'' if days == 1 else 's'} a week (R7), "
        f"{placement.hours_per_week:g} hours a week, since {when(placement.start_date)}"
    )
    if placement.planned_end_date:
        pattern += f", planned to end {when(placement.planned_end_date)}"
    return ItemReason(ap_review_reason(provider, placement.next_review_date), pattern)


def _tier4(session: Session, item: AgendaItem, on: date) -> ItemReason:
    """Since when the pupil is at Tier 4, and the last panel decision before this meeting."""
    since = session.scalar(
        select(TierChange.from_date).where(
            TierChange.pupil_id == item.pupil_id, TierChange.tier == 4, tier_period_on(on)
        )
    )
    last = session.scalar(
        select(func.max(Meeting.meeting_date))
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .join(Decision, Decision.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.pupil_id == item.pupil_id, Meeting.meeting_date < on)
    )
    return ItemReason(tier4_review_reason(since, last))
