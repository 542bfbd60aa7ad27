"""What the agenda builder suggests for a meeting, each with its reason (issue 4; R4, R15).

Four sources, all of the meeting's partnership: open referrals to the panel, Fair Access or a
managed move; Fair Access cases with no school allocated; AP placements whose review falls
before the next meeting; Tier 4 pupils not decided at a panel for half a term. A case already
on this meeting's agenda, or decided at an earlier one (other than deferred), is not suggested
again. EHCP pupils come back routed to their annual review (R15) so the builder can say why
they may not be added; a pupil living outside the county at or going to Tier 4 is marked R4.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlmodel import Session

from ..auth.roles import Actor
from ..config import COUNTY_LA
from ..models import (
    AgendaItem,
    Decision,
    FairAccessCase,
    Meeting,
    Placement,
    Provider,
    Pupil,
    Referral,
    School,
    TierChange,
)
from ..rules.agenda import (
    EHCP_REASON,
    PURPOSE_LABELS,
    CandidateFacts,
    ap_review_reason,
    fair_access_reason,
    marks,
    referral_reason,
    review_horizon,
    routed_to,
    tier4_review_due,
    tier4_review_reason,
)
from .decisions import current_decision_ids
from .meetings import meeting_in_scope
from .pupils import pupil_labels
from .scope import placement_current_on, referral_open_on, tier_period_on

#: R19 routes that bring a referral to the panel (the Inclusion Forum has its own meetings).
PANEL_ROUTES = ("panel", "fair_access", "managed_move")


@dataclass(frozen=True)
class Suggestion:
    """A case the builder offers, with why; ``add_agenda_item`` takes it as it is."""

    key: str
    purpose: str
    purpose_label: str
    pupil_id: int
    case_ref: str
    #: Initials, or the name where the caller asked for names (``full_names``).
    label: str
    school: str | None
    reason: str
    marks: tuple[str, ...] = ()
    #: "ehcp_annual_review" (R15): not a panel item, shown with the reason only.
    routed_to: str | None = None
    referral_id: int | None = None
    fair_access_case_id: int | None = None
    placement_id: int | None = None


@dataclass(frozen=True)
class _Found:
    purpose: str
    pupil_id: int
    reason: str
    source_id: int | None = None
    going_to_tier4: bool = False


def suggest_agenda(
    session: Session, viewer: Actor, meeting_id: int, *, on: date, full_names: bool = False
) -> list[Suggestion]:
    """Every case the meeting could take, grouped by source, oldest first within each; each
    pupil by initials, or by name with ``full_names`` (as the agenda beside it: issue 15)."""
    meeting, _code = meeting_in_scope(session, viewer, meeting_id)
    found = (
        _referrals(session, meeting, on)
        + _fair_access_cases(session, meeting)
        + _ap_reviews(session, meeting, on)
        + _tier4_reviews(session, meeting, on)
    )
    pupils = {
        row.id: row
        for row in session.execute(
            select(Pupil.id, Pupil.case_ref, Pupil.ehcp, Pupil.home_la, School.name.label("school"))
            .outerjoin(School, School.id == Pupil.school_id)
            .where(Pupil.id.in_({f.pupil_id for f in found}))
        )
    }
    at_tier4 = set(
        session.scalars(
            select(TierChange.pupil_id).where(
                TierChange.tier == 4,
                tier_period_on(on),
                TierChange.pupil_id.in_({f.pupil_id for f in found}),
            )
        )
    )
    labels = pupil_labels(session, [p.case_ref for p in pupils.values()], full_names=full_names)
    return [_suggestion(f, pupils[f.pupil_id], f.pupil_id in at_tier4, labels) for f in found]


def _suggestion(found: _Found, pupil, at_tier4: bool, labels: dict[str, str]) -> Suggestion:
    facts = CandidateFacts(
        purpose=found.purpose,
        ehcp=pupil.ehcp,
        home_la=pupil.home_la,
        at_or_going_to_tier4=at_tier4 or found.going_to_tier4,
    )
    route = routed_to(facts)
    source = {
        "referral": "referral_id",
        "fair_access": "fair_access_case_id",
        "ap_review": "placement_id",
    }.get(found.purpose)
    return Suggestion(
        key=f"{found.purpose}-{found.source_id or found.pupil_id}",
        purpose=found.purpose,
        purpose_label=PURPOSE_LABELS[found.purpose],
        pupil_id=found.pupil_id,
        case_ref=pupil.case_ref,
        label=labels.get(pupil.case_ref, ""),
        school=pupil.school,
        reason=EHCP_REASON if route else found.reason,
        marks=marks(facts, COUNTY_LA),
        routed_to=route,
        **({source: found.source_id} if source else {}),
    )


def _taken(meeting: Meeting, column) -> Select:
    """``column`` values (a referral, case or placement id) on this meeting's agenda, or
    decided at another meeting with an outcome other than deferring."""
    standing = current_decision_ids()
    return (
        select(column)
        .outerjoin(standing, standing.c.agenda_item_id == AgendaItem.id)
        .outerjoin(Decision, Decision.id == standing.c.id)
        .where(
            column.is_not(None),
            or_(
                AgendaItem.meeting_id == meeting.id,
                and_(Decision.id.is_not(None), Decision.outcome != "defer"),
            ),
        )
    )


def _referrals(session: Session, meeting: Meeting, on: date) -> list[_Found]:
    rows = session.execute(
        select(Referral.id, Referral.pupil_id, Referral.route, Referral.received_date, School.name)
        .join(School, School.id == Referral.school_id)
        .where(
            School.partnership_id == meeting.partnership_id,
            Referral.route.in_(PANEL_ROUTES),
            referral_open_on(on),
            Referral.id.not_in(_taken(meeting, AgendaItem.referral_id)),
        )
        .order_by(Referral.received_date, Referral.id)
    )
    return [
        _Found("referral", pupil_id, referral_reason(route, school, received), id_,
               going_to_tier4=route == "panel")
        for id_, pupil_id, route, received, school in rows
    ]  # fmt: skip


def _fair_access_cases(session: Session, meeting: Meeting) -> list[_Found]:
    rows = session.execute(
        select(FairAccessCase.id, FairAccessCase.pupil_id, FairAccessCase.referred_date)
        .where(
            FairAccessCase.partnership_id == meeting.partnership_id,
            FairAccessCase.allocated_school_id.is_(None),
            FairAccessCase.on_roll_date.is_(None),
            FairAccessCase.id.not_in(_taken(meeting, AgendaItem.fair_access_case_id)),
        )
        .order_by(FairAccessCase.referred_date, FairAccessCase.id)
    )
    return [
        _Found("fair_access", pupil_id, fair_access_reason(referred), id_)
        for id_, pupil_id, referred in rows
    ]


def _next_meeting(session: Session, meeting: Meeting) -> date | None:
    return session.scalar(
        select(func.min(Meeting.meeting_date)).where(
            Meeting.partnership_id == meeting.partnership_id,
            Meeting.kind == meeting.kind,
            Meeting.meeting_date > meeting.meeting_date,
        )
    )


def _ap_reviews(session: Session, meeting: Meeting, on: date) -> list[_Found]:
    """R11/R26: current AP placements whose review falls before the next meeting."""
    horizon = review_horizon(meeting.meeting_date, _next_meeting(session, meeting))
    on_this_agenda = select(AgendaItem.placement_id).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.placement_id.is_not(None)
    )
    rows = session.execute(
        select(Placement.id, Placement.pupil_id, Placement.next_review_date, Provider.name)
        .join(Provider, Provider.id == Placement.provider_id)
        .join(School, School.id == Placement.school_id)
        .where(
            School.partnership_id == meeting.partnership_id,
            Placement.kind == "ap",
            placement_current_on(on),
            Placement.next_review_date <= horizon,
            Placement.id.not_in(on_this_agenda),
        )
        .order_by(Placement.next_review_date, Placement.id)
    )
    return [
        _Found("ap_review", pupil_id, ap_review_reason(provider, due), id_)
        for id_, pupil_id, due, provider in rows
    ]


def _tier4_reviews(session: Session, meeting: Meeting, on: date) -> list[_Found]:
    """Tier 4 pupils of the partnership's schools whose last panel decision is half a term old."""
    last_decided = (
        select(AgendaItem.pupil_id, func.max(Meeting.meeting_date).label("day"))
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Decision, Decision.agenda_item_id == AgendaItem.id)
        .where(Meeting.meeting_date < meeting.meeting_date)
        .group_by(AgendaItem.pupil_id)
        .subquery()
    )
    on_this_agenda = select(AgendaItem.pupil_id).where(AgendaItem.meeting_id == meeting.id)
    rows = session.execute(
        select(TierChange.pupil_id, TierChange.from_date, last_decided.c.day)
        .join(School, School.id == TierChange.school_id)
        .outerjoin(last_decided, last_decided.c.pupil_id == TierChange.pupil_id)
        .where(
            School.partnership_id == meeting.partnership_id,
            TierChange.tier == 4,
            tier_period_on(on),
            TierChange.pupil_id.not_in(on_this_agenda),
        )
        .order_by(TierChange.from_date, TierChange.pupil_id)
    )
    return [
        _Found("tier4_review", pupil_id, tier4_review_reason(since, last))
        for pupil_id, since, last in rows
        if tier4_review_due(last, meeting.meeting_date)
    ]
