"""Recording the panel's decision on an agenda item, with the rules checked before saving.

The same rule functions that raise flags afterwards (``rules.meetings``) are asked first, so a
managed move without all three agreements is refused (R16) and a Fair Access allocation at a
meeting where a member school was not notified is saved as unenforceable, with the warning
(R13a). A decision saved while too few member schools are ticked present is saved with a
quorum warning (``rules.quorum``). Two co-ordinators saving the same item: the second is
refused with who saved first and when, never a silent overwrite. The first decision saved on a
planned meeting opens it.

Concurrency: a save locks the item's meeting, then the item, then (for a placement) the pupil
and the provider, in the order every other writer takes them, before it reads the decision
standing; the database keeps one standing decision per item and one amendment per decision
(``models.meetings.Decision``), and a writer it still refuses runs again (``retried``).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, or_, select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, Role, require, require_role
from ..auth.scope import in_scope, item_in_scope
from ..concurrency import changed_by, locked, retried, who_at
from ..config import COUNTY_LA
from ..db import write_session
from ..errors import Conflict, InvalidValue, Problem, RuleViolation, refuse_any
from ..models import (
    AgendaItem,
    Decision,
    FairAccessCase,
    Meeting,
    Partnership,
    Placement,
    Provider,
    Pupil,
    SafeguardingConfirmation,
    School,
    TierChange,
)
from ..models.choices import DECISION_OUTCOMES
from ..models.meetings import next_decision_version
from ..queries.decisions import current_decision
from ..queries.flags import county_flags
from ..queries.meetings import meeting_facts, meeting_quorum
from ..rules.flag import when
from ..rules.meetings import (
    DecisionFacts,
    managed_move_without_agreement,
    unenforceable_allocation,
)
from ..rules.placements import PlacementFacts, placement_flags
from .meetings import open_when_it_starts
from .placements import pattern_problems

#: R15: an EHCP pupil's case goes to the annual review; the panel may only route or defer it.
EHCP_OUTCOMES = frozenset({"route_ehcp_annual_review", "defer"})
#: The outcomes that name a school: the one allocated (R13) or receiving the move (R16).
NEEDS_SCHOOL = frozenset({"allocate_fair_access", "agree_managed_move"})


@dataclass(frozen=True)
class DecisionInput:
    """What the co-ordinator typed: the outcome, why, and the fields that outcome needs."""

    outcome: str
    rationale: str
    school_id: int | None = None
    #: R13: the days the allocated school and School Admissions were told.
    school_told_date: date | None = None
    admissions_told_date: date | None = None
    #: R16: a managed move needs all three.
    parents_agree: bool | None = None
    home_school_agrees: bool | None = None
    receiving_school_agrees: bool | None = None
    #: R7-R9: the AP placement agreed: where, which half-days (space-separated
    #: ``choices.SESSIONS``), hours a week, from when, and until when it is planned to run.
    provider_id: int | None = None
    sessions: str = ""
    hours_per_week: float | None = None
    start_date: date | None = None
    planned_end_date: date | None = None
    #: R23: for a Fair Access allocation, the schools the dashboard suggested, best first; kept
    #: beside the decision (the panel decides, the suggestion is recorded).
    suggestion: str | None = None


@dataclass(frozen=True)
class RecordedDecision:
    """The saved decision, its version (for the next edit) and what the rules warned."""

    decision_id: int
    version: int
    enforceable: bool
    warnings: tuple[str, ...]


@retried
def record_decision(
    engine: Engine,
    by: Actor,
    item_id: int,
    decision: DecisionInput,
    *,
    expected_version: int | None,
    now: datetime | None = None,
) -> RecordedDecision:
    """Save ``decision`` on agenda item ``item_id`` in one audited transaction.

    ``expected_version`` is the version of the item's decision the user saw (None when they
    saw none): if someone saved since, ``Conflict`` names them and nothing is written.
    """
    require(by, Capability.EDIT_CASES, doing="record a panel decision")
    with write_session(by.email, engine) as session:
        item, meeting, code = _item_in_scope(session, by, item_id, decision)
        if meeting.status == "closed":
            raise InvalidValue(
                "Meeting: its minutes are signed off, so its decisions can no longer change "
                "(a chair may amend one)."
            )
        saved = _as_seen(session, item_id, expected_version)
        row = saved or Decision(agenda_item_id=item_id)
        recorded = _save(session, by, item, meeting, code, decision, row, now)
        open_when_it_starts(session, meeting)
        return recorded


@retried
def amend_decision(
    engine: Engine,
    by: Actor,
    item_id: int,
    decision: DecisionInput,
    *,
    expected_version: int | None,
    now: datetime | None = None,
) -> RecordedDecision:
    """A chair's change to a decision of a signed-off meeting: a new, audited row.

    The signed minutes keep the decision they recorded; the amendment points at it
    (``amends_decision_id``) and becomes the item's current decision. ``expected_version`` is
    the version of the decision the chair amends, as they saw it: the amendment carries the
    next version, so a chair who opened it before another's amendment is refused.
    """
    require_role(by, Role.CHAIR, Role.COUNTY_ADMIN, doing="amend a decision of signed-off minutes")
    with write_session(by.email, engine) as session:
        item, meeting, code = _item_in_scope(session, by, item_id, decision)
        if meeting.status != "closed":
            raise InvalidValue(
                "Meeting: its minutes are not signed off yet, so record the decision itself."
            )
        saved = _as_seen(session, item_id, expected_version)
        row = Decision(
            agenda_item_id=item_id,
            amends_decision_id=saved.id if saved else None,
            version=next_decision_version(saved),
        )
        return _save(session, by, item, meeting, code, decision, row, now)


def _item_in_scope(
    session: Session, by: Actor, item_id: int, decision: DecisionInput
) -> tuple[AgendaItem, Meeting, str]:
    """The item, its meeting and partnership code, and the school and provider the decision
    names: each refused outside the actor's partnerships (the provider only if there is none:
    providers are a county-wide register, R8). The meeting, then the item, are locked for the
    change (the order of every writer of a meeting)."""
    item, meeting, code = item_in_scope(session, by, item_id)
    meeting = locked(session, Meeting, meeting.id)
    item = locked(session, AgendaItem, item_id)
    if item is None:
        raise Conflict(f"Agenda item: {_removed(session, item_id)}")
    if decision.school_id is not None:
        in_scope(session, by, School, decision.school_id)
    if decision.provider_id is not None:
        in_scope(session, by, Provider, decision.provider_id, field="AP provider")
    return item, meeting, code


def _as_seen(session: Session, item_id: int, expected_version: int | None) -> Decision | None:
    """The item's current decision, if it is still the one the user saw; else ``Conflict``."""
    saved = current_decision(session, item_id)
    if (None if saved is None else saved.version) != expected_version:
        raise Conflict(_changed_by(session, saved))
    return saved


def _save(
    session: Session,
    by: Actor,
    item: AgendaItem,
    meeting: Meeting,
    code: str,
    decision: DecisionInput,
    row: Decision,
    now: datetime | None,
) -> RecordedDecision:
    """Check ``decision`` against the rules, write it into ``row`` and apply it to the case.

    The pupil is locked (as ``services.placements`` and ``services.pupils`` lock it), so the
    case it changes is not changed under it.
    """
    pupil = locked(session, Pupil, item.pupil_id)
    facts = DecisionFacts(
        case_ref=pupil.case_ref,
        outcome=decision.outcome,
        meeting=meeting_facts(session, meeting),
        parents_agree=decision.parents_agree,
        home_school_agrees=decision.home_school_agrees,
        receiving_school_agrees=decision.receiving_school_agrees,
    )
    _refuse_what_the_rules_forbid(session, decision, facts, pupil, meeting)
    warnings = _warnings(decision, facts, pupil)
    enforceable = unenforceable_allocation(facts) is None
    # An amendment is a new row (``id`` None): it leaves what the signed decision did alone.
    warnings += _take_back_tier4(session, row.outcome if row.id else None, decision, pupil, meeting)
    row.outcome = decision.outcome
    row.rationale = decision.rationale.strip()
    row.school_id = decision.school_id if decision.outcome in NEEDS_SCHOOL else None
    row.enforceable = enforceable
    row.parents_agree = decision.parents_agree
    row.home_school_agrees = decision.home_school_agrees
    row.receiving_school_agrees = decision.receiving_school_agrees
    row.suggestion = (
        decision.suggestion.strip() or None
        if decision.suggestion and decision.outcome == "allocate_fair_access"
        else None
    )
    row.decided_by = by.email
    row.decided_at = now or datetime.now(UTC)
    session.add(row)
    _apply(session, decision, pupil, meeting)
    warnings += _place(session, row, decision, pupil)
    # Said, never refused (``rules.quorum``): the chair judges whether the room may decide.
    without_quorum = meeting_quorum(session, by, meeting.id).warning()
    warnings += (without_quorum,) if without_quorum else ()
    session.flush()
    return RecordedDecision(row.id, row.version, enforceable, warnings)


def _changed_by(session: Session, saved: Decision | None) -> str:
    """ "Changed by Jo Smith at 10:42 — reload to see their decision", from the audit trail."""
    if saved is None:
        return "The decision you opened has gone: reload to see the item as it is now."
    who = changed_by(session, Decision, saved.id) or who_at(
        session, saved.decided_by, saved.decided_at
    )
    return f"Changed by {who}: reload to see their decision."


def _removed(session: Session, item_id: int) -> str:
    """Why an item read a moment ago is no longer there: who took it off the agenda."""
    who = changed_by(session, AgendaItem, item_id)
    return f"taken off the agenda by {who or 'someone else'}: reload to see the agenda."


#: R16's agreements, by the label of their tick box on the form.
AGREEMENTS = {
    "Parents agree": "parents_agree",
    "Home school agrees": "home_school_agrees",
    "Receiving school agrees": "receiving_school_agrees",
}


def _refuse_what_the_rules_forbid(
    session: Session, decision: DecisionInput, facts: DecisionFacts, pupil: Pupil, meeting: Meeting
) -> None:
    """Every problem of the decision said together (``Problems``), each naming its field."""
    if decision.outcome not in DECISION_OUTCOMES:
        raise InvalidValue(
            f"Outcome: '{decision.outcome}' is not one of {', '.join(DECISION_OUTCOMES)}."
        )
    found = []
    if not decision.rationale.strip():
        found.append(
            Problem("Rationale", "say why the panel decided this; every decision records it")
        )
    if pupil.ehcp and decision.outcome not in EHCP_OUTCOMES:
        found.append(
            Problem(
                "Outcome", "an EHCP pupil's case goes to the EHCP annual review, not the normal "
                "panel: route it to the annual review (or defer)", "R15",
            )
        )  # fmt: skip
    if decision.outcome == "route_ehcp_annual_review" and not pupil.ehcp:
        found.append(
            Problem("Outcome", "only a pupil with an EHCP is routed to the annual review", "R15")
        )
    if decision.outcome in NEEDS_SCHOOL:
        found += _school_problems(session, decision, pupil, meeting)
    if decision.outcome == "agree_ap_placement":
        found += _placement_problems(session, decision, pupil)
    refused = managed_move_without_agreement(facts)
    if refused is not None:
        first = next(
            label for label, name in AGREEMENTS.items() if getattr(decision, name) is not True
        )
        found.append(Problem(first, refused.message, "R16"))
    refuse_any(found)


def _school_label(outcome: str) -> str:
    """The school box's label on the form: the school allocated (R13) or receiving (R16)."""
    return "School allocated" if outcome == "allocate_fair_access" else "Receiving school"


def _school_problems(
    session: Session, decision: DecisionInput, pupil: Pupil, meeting: Meeting
) -> list[Problem]:
    """The school an allocation or a managed move names, and (R13) the days people were told."""
    field = _school_label(decision.outcome)
    school = session.get(School, decision.school_id) if decision.school_id else None
    found = []
    if school is None:
        found.append(Problem(field, "choose a school"))
    elif decision.outcome == "agree_managed_move" and school.id == pupil.school_id:
        found.append(Problem(field, "choose a school other than the pupil's own", "R16"))
    if decision.outcome != "allocate_fair_access":
        return found
    if school is not None and school.partnership_id != meeting.partnership_id:
        found.append(Problem(field, f"{school.name} is not a school of this partnership", "R13"))
    if _open_fair_access_case(session, pupil) is None:
        found.append(Problem(None, "the pupil has no open Fair Access case to allocate", "R13"))
    for label, told in (
        ("Day the school was told", decision.school_told_date),
        ("Day School Admissions were told", decision.admissions_told_date),
    ):
        if told is not None and told < meeting.meeting_date:
            found.append(Problem(label, f"{when(told)} is before the meeting", "R13"))
    return found


def _warnings(decision: DecisionInput, facts: DecisionFacts, pupil: Pupil) -> tuple[str, ...]:
    """What the room should hear before (and after) saving; none of these refuses the save."""
    warnings = []
    unenforceable = unenforceable_allocation(facts)
    if unenforceable is not None:
        warnings.append(f"R13a: {unenforceable.message}. Saved as unenforceable.")
    if decision.outcome == "allocate_fair_access" and not (
        decision.school_told_date and decision.admissions_told_date
    ):
        warnings.append(
            "R13: tell the school and School Admissions as soon as the decision is taken, "
            "and record the days."
        )
    if decision.outcome == "programme_manage_tier4" and pupil.home_la != COUNTY_LA:
        warnings.append(
            f"R4: the pupil lives in {pupil.home_la}: at Tier 4 the school and partnership must "
            "refer to the home LA."
        )
    return tuple(warnings)


def _open_fair_access_case(session: Session, pupil: Pupil) -> FairAccessCase | None:
    return session.scalars(
        select(FairAccessCase).where(
            FairAccessCase.pupil_id == pupil.id, FairAccessCase.on_roll_date.is_(None)
        )
    ).first()


def _apply(session: Session, decision: DecisionInput, pupil: Pupil, meeting: Meeting) -> None:
    """What the decision changes in the case, in the same transaction (R13, R5/R6)."""
    if decision.outcome == "allocate_fair_access":
        case = _open_fair_access_case(session, pupil)
        case.allocated_school_id = decision.school_id
        case.decision_date = meeting.meeting_date
        case.school_told_date = decision.school_told_date
        case.admissions_told_date = decision.admissions_told_date
    elif decision.outcome == "programme_manage_tier4":
        current = session.scalars(
            select(TierChange).where(TierChange.pupil_id == pupil.id, TierChange.to_date.is_(None))
        ).first()
        if current is not None and current.tier == 4:
            return
        if current is not None and current.from_date >= meeting.meeting_date:
            current.tier = 4  # a tier set on the meeting day itself is that day's decision
            return
        if current is not None:
            current.to_date = meeting.meeting_date
        school_id = pupil.school_id or (current.school_id if current else None)
        if school_id is None:
            raise RuleViolation(
                "R2", "the pupil is on no school's roll: the partnership of the school on roll "
                "programme manages at Tier 4, so allocate a school first."
            )  # fmt: skip
        session.add(
            TierChange(
                pupil_id=pupil.id, school_id=school_id, tier=4, from_date=meeting.meeting_date
            )
        )


def _take_back_tier4(
    session: Session, previous: str | None, decision: DecisionInput, pupil: Pupil, meeting: Meeting
) -> tuple[str, ...]:
    """Undo the Tier 4 period a re-saved ``programme_manage_tier4`` decision started (R5/R6),
    when the same item's decision becomes another outcome before sign-off.

    ``_apply`` closed the open period on the meeting day and started Tier 4 that day, so the
    tier history is put back by deleting that Tier 4 row and reopening the period that ended
    on the meeting day. Nothing links the decision to the row (unlike ``placement_id``), so the
    row is recognised by its shape: open, Tier 4, from the meeting day, never edited since
    (version 1). A pupil already at Tier 4 before the meeting was left as it was and stays so.
    Anything else (a tier set on the meeting day and changed to 4 in place, whose earlier tier
    is not known here; a period edited or superseded since) is left alone with an R6 warning
    to put the history right by hand. Known limit: a Tier 4 row from the meeting day that was
    there before the decision (e.g. imported) is taken for the decision's own.
    """
    if previous != "programme_manage_tier4" or decision.outcome == previous:
        return ()
    day = meeting.meeting_date
    periods = session.scalars(
        select(TierChange).where(
            TierChange.pupil_id == pupil.id,
            or_(TierChange.to_date.is_(None), TierChange.to_date == day),
        )
    ).all()
    started = [period for period in periods if period.to_date is None and period.tier == 4]
    ended = [period for period in periods if period.to_date == day]
    tier4 = started[0] if len(started) == 1 else None
    if tier4 is not None and tier4.from_date < day:
        return ()  # already at Tier 4 before the meeting: the decision started nothing
    if tier4 is not None and tier4.from_date == day and tier4.version == 1 and len(ended) <= 1:
        session.delete(tier4)
        session.flush()  # the Tier 4 row goes before the period it replaced reopens
        for period in ended:
            period.to_date = None
        return ()
    return (
        f"R6: Tier 4 from the meeting day ({day:%d/%m/%Y}) could not be taken back "
        "automatically, as the tier history was changed on or since that day: check the "
        "pupil's tier history.",
    )


def _placement_problems(session: Session, decision: DecisionInput, pupil: Pupil) -> list[Problem]:
    """The fields an agreed AP placement needs; the rules' cautions come after saving."""
    found = []
    # Locked, as a placement save locks it: R8 counts the provider's pupils one save at a time.
    if decision.provider_id is None or locked(session, Provider, decision.provider_id) is None:
        found.append(Problem("AP provider", "choose a provider"))
    found += pattern_problems(
        decision.sessions, decision.hours_per_week, decision.start_date, decision.planned_end_date
    )
    if pupil.school_id is None:
        found.append(
            Problem(
                None, "an AP placement is commissioned by the school on roll, and the pupil is "
                "on no school's roll: allocate a school first", "R17",
            )
        )  # fmt: skip
    return found


def _place(
    session: Session, row: Decision, decision: DecisionInput, pupil: Pupil
) -> tuple[str, ...]:
    """Create (or, on a re-save, correct) the placement an ``agree_ap_placement`` decision
    agreed, and return the R7/R8/R9/R27/R28 cautions it raises. A decision changed to another
    outcome before sign-off takes back the placement it had created."""
    placement = session.get(Placement, row.placement_id) if row.placement_id else None
    if decision.outcome != "agree_ap_placement":
        if placement is not None:
            row.placement_id = None
            session.flush()
            session.delete(placement)
        return ()
    placement = placement or Placement(pupil_id=pupil.id, kind="ap")
    placement.provider_id = decision.provider_id
    placement.school_id = pupil.school_id
    placement.sessions = " ".join(decision.sessions.split())
    placement.hours_per_week = decision.hours_per_week
    placement.start_date = decision.start_date
    placement.planned_end_date = decision.planned_end_date
    session.add(placement)
    session.flush()
    row.placement_id = placement.id
    school = session.get(School, placement.school_id)
    code = session.get(Partnership, school.partnership_id).code
    cautions = _placement_cautions(session, placement, pupil, school, code)
    return tuple(f"{flag.rule}: {flag.message}" for flag in cautions) + _illegal_school_risk(
        session, placement, code
    )


def _illegal_school_risk(session: Session, placement: Placement, code: str) -> tuple[str, ...]:
    """R8: the placement's provider, counted across the county with the placement just written,
    now gives substantial provision to the threshold of pupils (or to a LAC/EHCP pupil).

    The count is the flags query's (``county_flags``, which asks ``unregistered_school_risk``
    with the ``r8_threshold`` setting), on the placement's first day, kept to the provider.
    ``code`` is the commissioning school's partnership, whose view includes every provider its
    schools use; the provider's count is county-wide either way. A provider at risk is named
    even when this placement is part-time: the school commissioning it should know.
    """
    provider = session.get(Provider, placement.provider_id)
    return tuple(
        f"R8: {flag.subject}: {flag.message}"
        for flag in county_flags(session, placement.start_date, code)
        if flag.rule == "R8" and flag.subject == provider.name
    )


def _placement_cautions(
    session: Session, placement: Placement, pupil: Pupil, school: School, code: str
):
    """The flags the rules raise on the new placement from its first day (R7, R9, R27, R28)."""
    provider = session.get(Provider, placement.provider_id)
    confirmed = session.scalars(
        select(SafeguardingConfirmation.id).where(
            SafeguardingConfirmation.school_id == placement.school_id,
            SafeguardingConfirmation.provider_id == placement.provider_id,
        )
    ).first()
    facts = PlacementFacts(
        case_ref=pupil.case_ref,
        provider=provider.name,
        school=school.name,
        partnership=code,
        kind=placement.kind,
        sessions=placement.sessions,
        hours_per_week=placement.hours_per_week,
        start_date=placement.start_date,
        planned_end_date=placement.planned_end_date,
        safeguarding_confirmed=confirmed is not None,
    )
    return placement_flags(facts, placement.start_date)
