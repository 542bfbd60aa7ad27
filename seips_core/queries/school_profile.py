"""One school across time, for a chair about to talk to its head teacher (issue 15).

Who the school is (R3's membership, its roll, type and trust); then, term by term over the last
terms, its pupils at each tier (R6, counted at the school responsible, R2), its referrals (R19),
the Fair Access allocations it received and the refusals and delays it logged (R13, R22), and
its suspensions and permanent exclusions (R25); the Fair Access cases and AP placements behind
those figures (R7, R8, R13); and what it pays this financial year (R14).

Every figure comes from the query that counts it elsewhere: the tier trend
(``trends.tier_trend``), the exclusions per term (``trends.exclusions_per_term``), the charges
(``charges.charges``, narrowed to the school), the R13 clock (``rules.fair_access_stage``),
R8's flags (``flags.providers_flags``) and R7's days (``rules.sessions``). Each read is of this
school's rows alone (a handful of statements, none per row), so a national store costs what a
small one does.

Pupils are named by case reference and initials only, and listed only for a viewer who works
the cases (as the Trends page lists the pupils near R25's limit); charges only for a viewer who
may export them (as the Charges page).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, func, or_, select, true
from sqlmodel import Session

from ..auth.roles import Actor, Capability, require
from ..auth.scope import in_scope
from ..models import (
    Exclusion,
    FairAccessCase,
    FairAccessRefusal,
    Partnership,
    Placement,
    Provider,
    Pupil,
    Referral,
    School,
)
from ..rules.fair_access_stage import OnRollClock, on_roll_clock
from ..rules.sessions import days_a_week, is_substantial
from ..school_days import financial_year_start
from .charges import SchoolCharges, charges
from .flags import providers_flags, school_calendar
from .pupils import pupil_labels
from .schools import tiers_by_school_on
from .scope import referral_open_on
from .trends import (
    Term,
    TermExclusions,
    exclusions_per_term,
    term_index,
    tier_trend,
)

__all__ = [
    "PROFILE_TERMS",
    "FairAccessAllocation",
    "FairAccessRefusalRow",
    "ProfilePlacement",
    "SchoolHeader",
    "SchoolProfile",
    "TermFigures",
    "school_profile",
]

#: Terms shown: two school years, enough to see a trend without a long page.
PROFILE_TERMS = 6


@dataclass(frozen=True)
class SchoolHeader:
    """Who the school is, as the store holds it now."""

    school_id: int
    name: str
    urn: int
    partnership: str
    partnership_name: str
    #: R3: a non-member pays full cost recovery (R14) and shares no allocations (R13b).
    is_member: bool
    number_on_roll: int
    local_authority: str
    establishment_type: str | None
    trust: str | None


@dataclass(frozen=True)
class TermFigures:
    """The school's figures for one term."""

    term: Term
    #: R6: pupils at Tier 1, 2, 3 and 4 on the term's first day, at this school (R2).
    pupils_by_tier: tuple[int, ...]
    #: R19: referrals received in the term, to the panel and by the other routes.
    panel_referrals: int
    other_referrals: int
    #: R13: Fair Access cases allocated to the school by a decision taken in the term.
    allocations: int
    #: R22: refusals and delays the school logged in the term.
    refusals: int
    delays: int
    #: R25: suspensions and permanent exclusions by the school, begun in the term.
    exclusions: TermExclusions


@dataclass(frozen=True)
class FairAccessAllocation:
    """A Fair Access case allocated to the school in the period (R13)."""

    case_ref: str
    initials: str
    year_group: int
    #: R13: decision to on roll (or to the day asked) and whether it is late.
    clock: OnRollClock


@dataclass(frozen=True)
class FairAccessRefusalRow:
    """R22: one refusal or delay the school logged in the period."""

    case_ref: str
    initials: str
    #: "refusal" or "delay".
    kind: str
    logged_date: date


@dataclass(frozen=True)
class ProfilePlacement:
    """An AP or work-experience placement the school commissioned, running in the period."""

    case_ref: str
    initials: str
    provider: str
    #: "ap" or "work_experience" (R12).
    kind: str
    #: R7: days a week there, a half-day counting as a day.
    days_a_week: int
    hours_per_week: float
    start_date: date
    #: The recorded end; None while it runs.
    end_date: date | None
    #: School days from the start to the end, or to the day asked.
    school_days: int
    #: R7 (more than 3 days) or R8's hours guide (18 hours a week or more).
    substantial: bool
    #: R8: the provider is at or over the line of an unregistered school on the day asked.
    provider_at_r8: bool

    @property
    def running(self) -> bool:
        return self.end_date is None


@dataclass(frozen=True)
class SchoolProfile:
    """One school on ``on`` and over the terms before it."""

    header: SchoolHeader
    on: date
    #: The terms counted, oldest first; the period runs from the first one's first day to ``on``.
    terms: tuple[TermFigures, ...]
    #: R6: pupils at Tier 1, 2, 3 and 4 on ``on``.
    tiers_on: tuple[int, ...]
    open_referrals: int
    #: Whether the lists below name pupils (case reference and initials) for this viewer;
    #: False: they are empty and the counts beside them say how many.
    lists_pupils: bool
    allocations: tuple[FairAccessAllocation, ...]
    refusals: tuple[FairAccessRefusalRow, ...]
    placements: tuple[ProfilePlacement, ...]
    #: Placements running on ``on``, of them substantial, and at a provider over R8's line.
    placements_running: int
    placements_substantial: int
    placements_at_r8: int
    #: R14: this financial year's charges so far; None for a viewer who may not see charges,
    #: or a school with no pupil in the programme this year (``charges_year`` says which).
    charges: SchoolCharges | None
    #: "2025/26", or None for a viewer who may not see charges.
    charges_year: str | None

    @property
    def first_day(self) -> date:
        """The first day of the period the lists cover."""
        return self.terms[0].term.first_day if self.terms else self.on


def _header(session: Session, school_id: int) -> SchoolHeader:
    row = session.execute(
        select(
            School.id,
            School.name,
            School.urn,
            Partnership.code,
            Partnership.name,
            School.is_member,
            School.number_on_roll,
            School.local_authority,
            School.establishment_type,
            School.trust,
        )
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(School.id == school_id)
    ).one()
    return SchoolHeader(*row)


def _per_term(
    session: Session,
    terms: tuple[Term, ...],
    day: ColumnElement[date],
    *counted: ColumnElement[bool],
    where: tuple[ColumnElement[bool], ...],
) -> dict[int, tuple[int, ...]]:
    """Term index → how many of the rows meeting ``where`` meet each of ``counted``, each row
    in the term of its ``day`` (``trends.term_index``), in one grouped statement.

    The term is worked out in a subquery and grouped on from outside it, as
    ``trends.exclusions_per_term`` does (PostgreSQL would not match the CASE in GROUP BY).
    """
    each = select(
        term_index(day, terms).label("term"),
        *(case((condition, 1), else_=0).label(f"n{i}") for i, condition in enumerate(counted)),
    )
    rows_of = each.where(*where).subquery()
    term, *ones = rows_of.c
    rows = session.execute(select(term, *(func.sum(one) for one in ones)).group_by(term))
    return {index: tuple(int(value) for value in values) for index, *values in rows}


def _in_period(day: ColumnElement[date], first: date, on: date) -> ColumnElement[bool]:
    return day.between(first, on)


def _term_figures(
    session: Session, school_id: int, terms: tuple[Term, ...], tiers: tuple, on: date
) -> tuple[TermFigures, ...]:
    """Each term's figures: four grouped statements over this school's rows of the period."""
    if not terms:
        return ()
    first = terms[0].first_day
    referrals = _per_term(
        session, terms, Referral.received_date,
        Referral.route == "panel",
        Referral.route != "panel",
        where=(Referral.school_id == school_id, _in_period(Referral.received_date, first, on)),
    )  # fmt: skip
    allocations = _per_term(
        session, terms, FairAccessCase.decision_date,
        true(),
        where=(
            FairAccessCase.allocated_school_id == school_id,
            _in_period(FairAccessCase.decision_date, first, on),
        ),
    )  # fmt: skip
    refusals = _per_term(
        session, terms, FairAccessRefusal.logged_date,
        FairAccessRefusal.kind == "refusal",
        FairAccessRefusal.kind == "delay",
        where=(
            FairAccessRefusal.school_id == school_id,
            _in_period(FairAccessRefusal.logged_date, first, on),
        ),
    )  # fmt: skip
    exclusions = exclusions_per_term(
        session, terms, Exclusion.school_id == school_id,
        _in_period(Exclusion.start_date, first, on),
    )  # fmt: skip
    none = TermExclusions(0, 0, 0)
    return tuple(
        TermFigures(
            term=term,
            pupils_by_tier=tiers[index],
            panel_referrals=referrals.get(index, (0, 0))[0],
            other_referrals=referrals.get(index, (0, 0))[1],
            allocations=allocations.get(index, (0,))[0],
            refusals=refusals.get(index, (0, 0))[0],
            delays=refusals.get(index, (0, 0))[1],
            exclusions=exclusions.get((school_id, index), none),
        )
        for index, term in enumerate(terms)
    )


def _tiers_on(session: Session, school_id: int, on: date) -> tuple[tuple[int, ...], int]:
    """R6: pupils at each tier on ``on`` (``schools.tiers_by_school_on``), and the open
    referrals then."""
    found = session.execute(tiers_by_school_on(on, school_id=school_id, city=False)).first()
    open_referrals = session.scalar(
        select(func.count(Referral.id)).where(Referral.school_id == school_id, referral_open_on(on))
    )
    return (tuple(found[1:]) if found else (0, 0, 0, 0)), open_referrals


def _allocations(
    session: Session, school_id: int, first: date, on: date
) -> list[tuple[str, int, OnRollClock]]:
    rows = session.execute(
        select(
            Pupil.case_ref,
            FairAccessCase.year_group,
            FairAccessCase.decision_date,
            FairAccessCase.on_roll_date,
        )
        .join(Pupil, Pupil.id == FairAccessCase.pupil_id)
        .where(
            FairAccessCase.allocated_school_id == school_id,
            _in_period(FairAccessCase.decision_date, first, on),
        )
        .order_by(FairAccessCase.decision_date.desc(), Pupil.case_ref)
    ).all()
    return [
        (case_ref, year, on_roll_clock(decided, on_roll, on))
        for case_ref, year, decided, on_roll in rows
    ]


def _refusals(
    session: Session, school_id: int, first: date, on: date
) -> list[tuple[str, str, date]]:
    return [
        tuple(row)
        for row in session.execute(
            select(Pupil.case_ref, FairAccessRefusal.kind, FairAccessRefusal.logged_date)
            .join(FairAccessCase, FairAccessCase.id == FairAccessRefusal.case_id)
            .join(Pupil, Pupil.id == FairAccessCase.pupil_id)
            .where(
                FairAccessRefusal.school_id == school_id,
                _in_period(FairAccessRefusal.logged_date, first, on),
            )
            .order_by(FairAccessRefusal.logged_date.desc(), Pupil.case_ref)
        )
    ]


def _placements(session: Session, school_id: int, code: str, first: date, on: date) -> list:
    """The school's placements running at some time from ``first`` to ``on``, running ones
    first, then the latest ended; R8 from the flag catalogue's providers for the partnership."""
    rows = session.execute(
        select(
            Pupil.case_ref,
            Provider.name,
            Placement.kind,
            Placement.sessions,
            Placement.hours_per_week,
            Placement.start_date,
            Placement.end_date,
        )
        .join(Pupil, Pupil.id == Placement.pupil_id)
        .join(Provider, Provider.id == Placement.provider_id)
        .where(
            Placement.school_id == school_id,
            Placement.start_date <= on,
            or_(Placement.end_date.is_(None), Placement.end_date >= first),
        )
    ).all()
    if not rows:
        return []
    over_r8 = {flag.subject for flag in providers_flags(session, on, code) if flag.rule == "R8"}
    calendar = school_calendar(session)
    found = []
    for case_ref, provider, kind, sessions, hours, start, end in rows:
        ended = end is not None and end < on
        days = days_a_week(sessions)
        found.append(
            (
                case_ref,
                provider,
                kind,
                days,
                hours,
                start,
                end if ended else None,
                calendar.school_days_in(start, end if ended else on),
                is_substantial(days, hours),
                not ended and provider in over_r8,
            )
        )
    return sorted(found, key=lambda row: (row[6] is not None, -(row[6] or row[5]).toordinal()))


def school_profile(
    session: Session,
    viewer: Actor,
    school_id: int,
    *,
    on: date,
    terms: int = PROFILE_TERMS,
) -> SchoolProfile:
    """School ``school_id`` as on ``on`` and over the last ``terms`` terms begun by then.

    Refused (``NotAllowed``) for a school of a partnership the viewer does not see, and
    (``InvalidValue``) for no such school (``auth.scope.in_scope``).
    """
    require(viewer, Capability.READ_STATISTICS, doing="read the statistics")
    code = in_scope(session, viewer, School, school_id).partnership
    header = _header(session, school_id)
    trend = tier_trend(session, viewer, code, end=on, terms=terms, school_id=school_id)
    tiers = trend.series[0].counts if trend.series else ()
    counted = _term_figures(session, school_id, trend.terms, tiers, on)
    first = counted[0].term.first_day if counted else on
    tiers_on, open_referrals = _tiers_on(session, school_id, on)
    allocations = _allocations(session, school_id, first, on)
    refusals = _refusals(session, school_id, first, on)
    placements = _placements(session, school_id, code, first, on)
    lists_pupils = viewer.may(Capability.EDIT_CASES)
    initials = (
        pupil_labels(
            session,
            {row[0] for rows in (allocations, refusals, placements) for row in rows},
            full_names=False,
        )
        if lists_pupils
        else {}
    )
    listed = [ProfilePlacement(row[0], initials.get(row[0], ""), *row[1:]) for row in placements]
    running = [row for row in listed if row.running]
    sees_charges = viewer.may(Capability.EXPORT)
    year = financial_year_start(on)
    charged = (
        charges(session, viewer, code, financial_year_start=year, as_of=on, school_id=school_id)
        if sees_charges
        else None
    )
    return SchoolProfile(
        header=header,
        on=on,
        terms=counted,
        tiers_on=tiers_on,
        open_referrals=open_referrals,
        lists_pupils=lists_pupils,
        allocations=tuple(
            FairAccessAllocation(ref, initials.get(ref, ""), year_group, clock)
            for ref, year_group, clock in allocations
        )
        if lists_pupils
        else (),
        refusals=tuple(
            FairAccessRefusalRow(ref, initials.get(ref, ""), kind, logged)
            for ref, kind, logged in refusals
        )
        if lists_pupils
        else (),
        placements=tuple(listed) if lists_pupils else (),
        placements_running=len(running),
        placements_substantial=sum(row.substantial for row in running),
        placements_at_r8=sum(row.provider_at_r8 for row in running),
        charges=next(iter(charged.schools), None) if charged else None,
        charges_year=charged.label if charged else None,
    )
