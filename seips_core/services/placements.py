"""Recording AP and work-experience placements, their reviews and endings (issue 6).

A co-ordinator adds or changes a placement, records a review or ends it. Before saving, the
form asks ``preview_placement`` which flags the change *would* raise. Nothing here decides a
flag itself: the placement's flags come from ``rules.placements.placement_flags`` (R7, R9,
R11, R12, R26, R27, R28) and R8 from ``rules.providers.unregistered_school_risk`` on the flag
catalogue's own county-wide count of the provider's substantial pupils
(``queries.flags.provider_facts``, the count ``county_flags`` uses). To count *with* the change,
the change is written into the transaction and the count asked again; a preview then rolls
the transaction back, a save commits it. So the preview, the save and ``seips flags``
afterwards cannot disagree.

The day the flags are evaluated is the day the change takes effect: ``on`` (today), or the
placement's start when it starts later. A placement agreed today to start next month is
judged on next month's count, so a provider cannot be taken over R8's line unnoticed by
recording the placement before it runs.

R8: a change that takes an unregistered provider from below the line to at or over it (the
``r8_threshold`` setting's number of substantial pupils, or one looked-after or EHCP pupil) is
refused unless the co-ordinator confirms it with a reason, kept in
``Placement.r8_confirmation``; who confirmed and when are in the audit trail with it.

Concurrency: a save locks the pupil's row (so it cannot race ``pupils.take_off_roll``, R17),
then the placement it changes, then the provider's row (so two co-ordinators adding a
provider's 3rd and 4th pupils at once are counted one after the other, and the second sees
the line crossed), and checks the version the user saw (``expected_version``): a stale one is
a ``Conflict`` naming who saved first. A new placement the same as one already recorded (the
pupil, provider and start day) is the same ``Conflict``: two screens saving one placement keep
one. Reviews and endings lock the same rows in the same order.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlmodel import Session

from ..auth.local_time import COUNTY_TIME
from ..auth.roles import Actor, Capability, require
from ..auth.scope import Row, in_scope
from ..concurrency import changed_by, locked, retried
from ..db import write_session
from ..errors import Conflict, InvalidValue, Problem, RuleViolation, problems_of, refuse_any
from ..models import Placement, Provider, Pupil, SafeguardingConfirmation, School
from ..models.choices import PLACEMENT_KINDS, SESSIONS
from ..queries import flags as flag_queries
from ..rules.flag import Flag, when
from ..rules.placements import HALF_TERMLY_DAYS, PlacementFacts, placement_flags
from ..rules.providers import ProviderFacts, threshold_source, unregistered_school_risk

#: The longest R8 reason the store keeps (``Placement.r8_confirmation``).
R8_REASON_LENGTH: int = Placement.__table__.c.r8_confirmation.type.length
#: The hours a placement may have a week (the store's CHECK allows 0 to 40; 0 is no placement).
MAX_HOURS = 40
#: The form's field for why a change that takes a provider over R8's line is right.
REASON = "Reason for going over the line"


@dataclass(frozen=True)
class PlacementInput:
    """What the co-ordinator entered on the placement form.

    ``school_id`` is the commissioning school; left empty it is the pupil's school on roll
    (R17, R26: the pupil stays on that school's roll). ``sessions`` are the half-days picked on
    the Mon-Fri AM/PM grid, space-separated ``choices.SESSIONS`` (``"MonAM TuePM"``).
    """

    #: None when no pupil was chosen: said as a problem ("Choose a pupil").
    pupil_id: int | None
    provider_id: int | None = None
    sessions: str = ""
    hours_per_week: float | None = None
    start_date: date | None = None
    school_id: int | None = None
    kind: str = "ap"
    #: R9/R26: a planned end date, or a maximum duration in weeks, or both.
    planned_end_date: date | None = None
    max_duration_weeks: int | None = None
    #: R9: the day the written plan was agreed with the school and those with parental
    #: responsibility.
    plan_agreed_date: date | None = None
    #: R11/R26: the first review, at least half-termly.
    next_review_date: date | None = None
    #: R26: the day the LA was informed.
    la_informed_date: date | None = None


@dataclass(frozen=True)
class PlacementPreview:
    """The flags a change would raise, in the words the form shows before saving.

    ``words`` are the placement's flags as "R7: …" lines, then R8's ("R8: this makes
    Oakfield Skills Centre's 4th substantial pupil across the county …") when the provider
    would be at or over the line, or one pupil short of it. ``r8_before``/``r8_after`` are the
    provider's county-wide counts without and with the change, on ``on``.
    """

    on: date
    flags: tuple[Flag, ...]
    words: tuple[str, ...]
    #: R8: the provider is below the line now and at or over it with the change.
    crosses_r8: bool
    r8_before: ProviderFacts
    r8_after: ProviderFacts
    threshold: int


@dataclass(frozen=True)
class SavedPlacement:
    """The saved placement, its version (for the next change) and what the rules said."""

    placement_id: int
    version: int
    preview: PlacementPreview


@dataclass(frozen=True)
class _Change:
    """A validated change: what was entered, the row it goes into (new or loaded, not yet
    changed) and what it refers to."""

    data: PlacementInput
    row: Placement
    pupil: Pupil
    provider: Provider
    school: School
    partnership: str
    #: The day the change takes effect: ``on``, or the placement's start if later.
    day: date


# --- The public services -----------------------------------------------------------------------


def preview_placement(
    session_or_engine: Session | Engine,
    actor: Actor,
    placement_id: int | None,
    data: PlacementInput,
    *,
    on: date,
) -> PlacementPreview:
    """The flags saving ``data`` (as a new placement, or over ``placement_id``) would raise.

    Nothing is kept: the change is written only so that the flag catalogue's count can see
    it, then rolled back. Given an engine, the preview runs on a write connection of its own
    (on SQLite a write waits its turn instead of failing). Given a session, it runs in a
    savepoint of that session's transaction, rolled back afterwards; on SQLite that session
    should be a write session, as a read transaction cannot always become a write one.
    Invalid input is refused as ``save_placement`` would refuse it.
    """
    require(actor, Capability.EDIT_CASES, doing="record AP placements")
    if isinstance(session_or_engine, Session):
        savepoint = session_or_engine.begin_nested()
        try:
            return _preview_in(session_or_engine, actor, placement_id, data, on)
        finally:
            savepoint.rollback()
    bind = session_or_engine.execution_options(seips_write=True)
    with Session(bind, expire_on_commit=False) as session:
        try:
            return _preview_in(session, actor, placement_id, data, on)
        finally:
            session.rollback()


@retried
def save_placement(
    engine: Engine,
    actor: Actor,
    placement_id: int | None,
    data: PlacementInput,
    *,
    expected_version: int | None,
    r8_reason: str | None = None,
    on: date | None = None,
) -> SavedPlacement:
    """Add a placement (``placement_id`` None) or change one, in one audited transaction.

    ``expected_version`` is the version of the placement the user opened (ignored for a new
    one); a placement changed since is a ``Conflict`` and nothing is written. A change that
    takes its provider over R8's line is refused with ``RuleViolation("R8", …)`` unless
    ``r8_reason`` says why it is right; a reason given is kept on the placement
    (``r8_confirmation``), and the audit trail holds it with who gave it and when. ``on`` is
    today, on the county's clock by default (the flags are judged from today, or from the
    placement's start if later).
    """
    require(actor, Capability.EDIT_CASES, doing="record AP placements")
    reason = _r8_reason(r8_reason)
    with write_session(actor.email, engine) as session:
        existing = (
            _placement_as_seen(session, actor, placement_id, expected_version)
            if placement_id is not None
            else None
        )
        change = _validated(session, actor, existing, data, on or _county_today(), lock=True)
        if existing is None:
            _refuse_twice(session, change)
        preview = _evaluate(session, change, r8_reason=reason)
        if preview.crosses_r8 and reason is None:
            raise RuleViolation("R8", _r8_refusal(preview, change.provider))
        return SavedPlacement(change.row.id, change.row.version, preview)


@retried
def record_review(
    engine: Engine,
    actor: Actor,
    placement_id: int,
    *,
    reviewed_on: date,
    next_review_date: date,
    expected_version: int,
) -> int:
    """R11/R26: record the review held on ``reviewed_on`` and the next one; returns the version.

    R26's "at least half-termly" is the rules' own reading (``rules.placements``): the next
    review at most ``HALF_TERMLY_DAYS`` (49 days, 7 weeks) after this one, so a date further
    off is refused naming R26, as the flag would be raised the moment it was saved.
    """
    require(actor, Capability.EDIT_CASES, doing="record placement reviews")
    with write_session(actor.email, engine) as session:
        row = _placement_as_seen(session, actor, placement_id, expected_version)
        refuse_any(_review_problems(row, reviewed_on, next_review_date))
        row.last_review_date = reviewed_on
        row.next_review_date = next_review_date
        session.flush()
        return row.version


def _review_problems(row: Placement, reviewed_on: date, next_review: date) -> list[Problem]:
    """What is wrong with a review's two days, both said together: the day held (within the
    placement, not before the last review) and the next (after it, at least half-termly, R26)."""
    found = []
    if reviewed_on < row.start_date:
        said = f"{when(reviewed_on)} is before the placement started ({when(row.start_date)})"
        found.append(Problem("Reviewed on", said))
    elif row.end_date is not None and reviewed_on > row.end_date:
        said = f"the placement ended on {when(row.end_date)}, before {when(reviewed_on)}"
        found.append(Problem("Reviewed on", said))
    elif row.last_review_date is not None and reviewed_on < row.last_review_date:
        said = (
            f"{when(reviewed_on)} is before the last review recorded ({when(row.last_review_date)})"
        )
        found.append(Problem("Reviewed on", said))
    gap = (next_review - reviewed_on).days
    if gap <= 0:
        said = "it must come after this review (every placement has a next review date)"
        found.append(Problem("Next review date", said, "R11"))
    elif gap > HALF_TERMLY_DAYS:
        latest = when(reviewed_on + timedelta(days=HALF_TERMLY_DAYS))
        said = (
            f"{when(next_review)} is {gap} days after this review; a placement is reviewed at "
            f"least half-termly, so at most {HALF_TERMLY_DAYS} days (7 weeks) later, by {latest}"
        )
        found.append(Problem("Next review date", said, "R26"))
    return found


@retried
def end_placement(
    engine: Engine,
    actor: Actor,
    placement_id: int,
    *,
    ended_on: date,
    expected_version: int,
) -> int:
    """Record the day a placement actually ended (its last day); returns the new version.

    From the next day it no longer counts towards its provider's substantial pupils (R8) nor
    raises placement flags.
    """
    require(actor, Capability.EDIT_CASES, doing="end AP placements")
    with write_session(actor.email, engine) as session:
        row = _placement_as_seen(session, actor, placement_id, expected_version)
        if row.end_date is not None:
            raise InvalidValue(
                f"Ended on: the placement already ended on {when(row.end_date)}; change that "
                "day by editing the placement's record."
            )
        if ended_on < row.start_date:
            raise InvalidValue(
                f"Ended on: {when(ended_on)} is before the placement started "
                f"({when(row.start_date)})."
            )
        row.end_date = ended_on
        session.flush()
        return row.version


# --- Reading and checking what was entered ------------------------------------------------------


def _placement_as_seen(
    session: Session, actor: Actor, placement_id: int, expected_version: int | None
) -> Placement:
    """The placement, if the actor may change it and it is still the version they saw.

    Its pupil is locked first, then the placement (read afresh): the order of every save.
    """
    row = in_scope(session, actor, Placement, placement_id).row
    locked(session, Pupil, row.pupil_id)
    row = locked(session, Placement, placement_id)
    if row is None or row.version != expected_version:
        who = changed_by(session, Placement, placement_id) or "someone else"
        raise Conflict(
            f"Placement: it was changed by {who} since you opened it: reload to see the "
            "change, then make yours again."
        )
    return row


def _county_today() -> date:
    """Today on the county's clock (UK time), whatever the server's zone."""
    return datetime.now(COUNTY_TIME).date()


def _r8_reason(text: str | None) -> str | None:
    reason = (text or "").strip() or None
    if reason is not None and len(reason) > R8_REASON_LENGTH:
        raise InvalidValue(f"{REASON}: write at most {R8_REASON_LENGTH} characters.")
    return reason


def _field_problems(data: PlacementInput) -> list[Problem]:
    """What is wrong with each field the form sends, every one of them (R7-R9, R11, R12, R26),
    named by its label on the form."""
    found = []
    if data.kind not in PLACEMENT_KINDS:
        kinds = ", ".join(PLACEMENT_KINDS)
        found.append(Problem("Kind", f"'{data.kind}' is not one of {kinds}", "R12"))
    found += pattern_problems(
        data.sessions, data.hours_per_week, data.start_date, data.planned_end_date
    )
    if data.max_duration_weeks is not None and data.max_duration_weeks < 1:
        said = "give a whole number of weeks, 1 or more"
        found.append(Problem("Maximum duration in weeks", said, "R26"))
    review, start = data.next_review_date, data.start_date
    if review is not None and start is not None and review < start:
        said = f"{when(review)} is before the start date"
        found.append(Problem("Next review date", said, "R11"))
    return found


def pattern_problems(
    sessions: str, hours_per_week: float | None, start: date | None, planned_end: date | None
) -> list[Problem]:
    """What is wrong with a placement's pattern and dates, as the placement form and the
    panel's "Agree an AP placement" decision both ask for them: the half-days ticked (at least
    one, each a weekday's AM or PM, once), the hours, the start and the planned end (R7, R9)."""
    found = []
    picked = sessions.split()
    unknown = [s for s in picked if s not in SESSIONS]
    if not picked:
        found.append(Problem("Sessions", "tick the half-days attended on the grid", "R7"))
    elif unknown:
        found.append(Problem("Sessions", f"not a half-day of the grid: {', '.join(unknown)}"))
    elif len(set(picked)) != len(picked):
        found.append(Problem("Sessions", "tick each half-day once"))
    if hours_per_week is None:
        found.append(Problem("Hours a week", "give the placement's hours a week"))
    elif hours_per_week <= 0:
        found.append(Problem("Hours a week", "give more than 0 hours"))
    elif hours_per_week > MAX_HOURS:
        said = f"{hours_per_week:g} is more than the {MAX_HOURS} a placement may have"
        found.append(Problem("Hours a week", said))
    if start is None:
        found.append(Problem("Start date", "say when the placement starts"))
    elif planned_end is not None and planned_end < start:
        found.append(
            Problem("Planned end date", f"{when(planned_end)} is before the start date", "R9")
        )
    return found


def _validated(
    session: Session,
    actor: Actor,
    existing: Placement | None,
    data: PlacementInput,
    on: date,
    *,
    lock: bool,
) -> _Change:
    """Check ``data`` against the store; ``existing`` (or a new row) is left unchanged.

    Every field is checked and every problem said together (``Problems``). ``lock`` takes the
    pupil's and the provider's rows for the transaction (a save). Every id is checked as the
    actor's (``existing`` was, when it was read): the pupil (R2) and the school; the provider
    may be any of the county's register (R8).
    """
    found: list[Problem] = []
    pupil = _chosen(found, session, actor, Pupil, data.pupil_id, "Pupil", lock=lock)
    if data.school_id is not None:
        _chosen(found, session, actor, School, data.school_id, "School")
    if existing is not None and pupil is not None and existing.pupil_id != pupil.id:
        found.append(
            Problem("Pupil", "a placement stays with its pupil; end it and add one for the other")
        )
    provider = _chosen(found, session, actor, Provider, data.provider_id, "Provider", lock=lock)
    found += _field_problems(data)
    school = None
    if pupil is not None:
        found += _on_roll_problems(pupil, existing)
        school = _commissioning_school(found, session, pupil, existing, data)
    refuse_any(found)
    code = in_scope(session, actor, School, school.id).partnership
    row = existing or Placement(pupil_id=pupil.id)
    return _Change(data, row, pupil, provider, school, code, max(on, data.start_date))


def _chosen(
    found: list[Problem],
    session: Session,
    actor: Actor,
    model: type[Row],
    row_id: int | None,
    field: str,
    *,
    lock: bool = False,
) -> Row | None:
    """The row chosen in box ``field``, or None with the problem added to ``found``: nothing
    chosen ("Choose a provider"), or a row gone since the form was drawn."""
    if row_id is None:
        found.append(Problem(field, f"choose a {field.lower()}"))
        return None
    try:
        return in_scope(session, actor, model, row_id, field=field, lock=lock).row
    except InvalidValue as gone:
        found += problems_of(gone)
        return None


def _write(change: _Change, r8_reason: str | None) -> None:
    """What was entered, into the row; the sessions in week order (MonAM … FriPM)."""
    row, data = change.row, change.data
    row.provider_id = change.provider.id
    row.school_id = change.school.id
    row.kind = data.kind
    row.sessions = " ".join(s for s in SESSIONS if s in data.sessions.split())
    row.hours_per_week = data.hours_per_week
    row.start_date = data.start_date
    row.planned_end_date = data.planned_end_date
    row.max_duration_weeks = data.max_duration_weeks
    row.plan_agreed_date = data.plan_agreed_date
    row.next_review_date = data.next_review_date
    row.la_informed_date = data.la_informed_date
    if r8_reason is not None:
        row.r8_confirmation = r8_reason


def _commissioning_school(
    found: list[Problem],
    session: Session,
    pupil: Pupil,
    existing: Placement | None,
    data: PlacementInput,
) -> School | None:
    """R17, R26: the school on whose roll the pupil stays commissions the placement.

    Left empty: the placement's own school when changing one (the pupil may have moved
    since it was agreed), else the school on roll. Another school is a problem in ``found``.
    """
    if pupil.school_id is None:
        found.append(
            Problem(
                "Pupil", f"{pupil.case_ref} is on no school's roll; an AP placement is "
                "commissioned by the school on roll, so allocate a school first", "R17",
            )
        )  # fmt: skip
        return None
    kept = existing.school_id if existing is not None else None
    school_id = data.school_id or kept or pupil.school_id
    if school_id not in (pupil.school_id, kept):
        found.append(
            Problem(
                "School", "the commissioning school is the school on whose roll the pupil "
                "stays (R17), so leave it empty or choose that school", "R26",
            )
        )  # fmt: skip
        return None
    return session.get(School, school_id)


def _refuse_twice(session: Session, change: _Change) -> None:
    """A new placement already recorded (same pupil, provider and start day): ``Conflict``
    naming who recorded it. The pupil's row is locked, so of two screens saving it at once
    the second finds the first's."""
    found = session.scalars(
        select(Placement.id).where(
            Placement.pupil_id == change.pupil.id,
            Placement.provider_id == change.provider.id,
            Placement.start_date == change.data.start_date,
        )
    ).first()
    if found is not None:
        who = changed_by(session, Placement, found)
        by = f" by {who}" if who else ""
        raise Conflict(
            f"Placement: {change.pupil.case_ref}'s placement at {change.provider.name} from "
            f"{when(change.data.start_date)} was already recorded{by}: reload to see it."
        )


def _on_roll_problems(pupil: Pupil, existing: Placement | None) -> list[Problem]:
    """R17: a placement runs only while the pupil is on the school's roll.

    A pupil who came off roll may still have an ended placement corrected, if it ended
    before they left the roll.
    """
    left = pupil.off_roll_date
    ended = existing.end_date if existing is not None else None
    if left is not None and (ended is None or ended >= left):
        return [
            Problem(
                "Pupil", f"{pupil.case_ref} came off roll on {when(left)}; a placement runs "
                "only while the pupil stays on the school's roll", "R17",
            )
        ]  # fmt: skip
    return []


# --- What the change would raise ---------------------------------------------------------------


def _preview_in(
    session: Session, actor: Actor, placement_id: int | None, data: PlacementInput, on: date
) -> PlacementPreview:
    existing = None
    if placement_id is not None:
        existing = in_scope(session, actor, Placement, placement_id).row
    return _evaluate(session, _validated(session, actor, existing, data, on, lock=False))


def _evaluate(
    session: Session, change: _Change, *, r8_reason: str | None = None
) -> PlacementPreview:
    """Write the change (flush) and ask the rules, with R8's count before and after it.

    The row is changed only after the count before: any query in between would flush it.
    """
    threshold = flag_queries.r8_threshold(session)
    before = _provider_count(session, change.provider, change.day)
    _write(change, r8_reason)
    session.add(change.row)
    session.flush()
    after = _provider_count(session, change.provider, change.day)
    r8_before = unregistered_school_risk(before, threshold)
    r8_after = unregistered_school_risk(after, threshold)
    flags = placement_flags(_facts(session, change), change.day)
    if r8_after is not None:
        flags.append(r8_after)
    crosses = r8_before is None and r8_after is not None
    words = [f"{flag.rule}: {flag.message}" for flag in flags if flag.rule != "R8"]
    words += _r8_words(change.provider.name, before, after, threshold, crosses=crosses)
    return PlacementPreview(
        on=change.day,
        flags=tuple(flags),
        words=tuple(words),
        crosses_r8=crosses,
        r8_before=before,
        r8_after=after,
        threshold=threshold,
    )


def _provider_count(session: Session, provider: Provider, on: date) -> ProviderFacts:
    """R8: the provider's county-wide substantial pupils on ``on``, as ``county_flags`` counts.

    The catalogue's query lists only providers with something to flag; one it leaves out
    has no substantial pupil (or is a registered school, which R8 leaves alone).
    """
    for facts in flag_queries.provider_facts(session, on, None):
        if facts.name == provider.name:
            return facts
    return ProviderFacts(name=provider.name, is_registered_school=provider.is_registered_school)


def _facts(session: Session, change: _Change) -> PlacementFacts:
    """The placement as ``county_flags`` reads it (``queries.flags._placements``)."""
    row = change.row
    confirmed = session.scalars(
        select(SafeguardingConfirmation.id).where(
            SafeguardingConfirmation.school_id == row.school_id,
            SafeguardingConfirmation.provider_id == row.provider_id,
            SafeguardingConfirmation.received_date <= change.day,
        )
    ).first()
    return PlacementFacts(
        case_ref=change.pupil.case_ref,
        provider=change.provider.name,
        school=change.school.name,
        partnership=change.partnership,
        kind=row.kind,
        sessions=row.sessions,
        hours_per_week=row.hours_per_week,
        start_date=row.start_date,
        end_date=row.end_date,
        planned_end_date=row.planned_end_date,
        max_duration_weeks=row.max_duration_weeks,
        plan_agreed_date=row.plan_agreed_date,
        last_review_date=row.last_review_date,
        next_review_date=row.next_review_date,
        la_informed_date=row.la_informed_date,
        provider_lebc_check_date=change.provider.lebc_check_date,
        safeguarding_confirmed=confirmed is not None,
    )


def _r8_words(
    provider: str, before: ProviderFacts, after: ProviderFacts, threshold: int, *, crosses: bool
) -> list[str]:
    """R8 in the form's words: what the change makes of the provider's county-wide count.

    Said when the provider would be at or over the line, or one pupil short of it; a change
    that takes it over adds what the save needs (a reason).
    """
    if after.is_registered_school:
        return []
    words = []
    pupils, lac = after.substantial_pupils, after.substantial_lac_or_ehcp_pupils
    line = f"the line is {threshold} ({threshold_source(threshold)})"
    if pupils > before.substantial_pupils and pupils >= threshold - 1:
        where = "at or over" if pupils >= threshold else "one pupil short of"
        words.append(
            f"R8: this makes {provider}'s {_ordinal(pupils)} substantial pupil across the "
            f"county, {where} the line: {line}"
        )
    if lac > before.substantial_lac_or_ehcp_pupils:
        words.append(
            f"R8: this makes {provider}'s {_ordinal(lac)} looked-after or EHCP pupil in "
            "substantial provision: one is enough to put it at risk of being an unregistered "
            "school"
        )
    if crosses:
        words.append(
            f"R8: {provider} would cross the line with this change: confirm it with a reason "
            "to save"
        )
    elif unregistered_school_risk(before, threshold) is not None and words:
        words.append(f"R8: {provider} is already at or over the line without this change")
    return words


def _r8_refusal(preview: PlacementPreview, provider: Provider) -> str:
    """The refusal of an unconfirmed crossing: what the count becomes, and what to do."""
    after = preview.r8_after
    return (
        f"{REASON}: this change takes {provider.name} to {after.substantial_pupils} "
        f"substantial pupil(s) across the county ({after.substantial_lac_or_ehcp_pupils} "
        f"looked-after or EHCP), at or over the line of {preview.threshold} pupils or 1 "
        "looked-after or EHCP pupil, so it may be acting as an unregistered school: confirm "
        "with a reason to save it."
    )


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…"""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{({1: 'st', 2: 'nd', 3: 'rd'}).get(n % 10, 'th')}"
