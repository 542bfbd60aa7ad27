"""Every rule flag of the county (or one partnership) on a date: `seips flags` and the pages.

Each loader below asks the database only for the candidate rows one area's rules need (current
placements, open Fair Access cases, this academic year's suspensions…), filtering in the WHERE
clause and counting with GROUP BY where a rule counts (R8's pupils per provider across all
partnerships, R25's suspension days per pupil). The rows become the facts dataclasses of
``seips_core.rules`` and the rule functions decide. Nothing loads a whole table of case data,
so the flags stay quick on a national-scale store.

Each statement is shaped for the plan both engines should pick on such a store: no date index
walked for a range most rows fall in (``_unindexed``), candidates chosen first where they are
few (Tier 4 pupils, non-member schools), sets looked up once rather than a subquery per row.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from enum import Enum

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    Subquery,
    and_,
    case,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    union,
)
from sqlmodel import Session

from seips_core.config import COUNTY_LA
from seips_core.models import (
    AgendaItem,
    Decision,
    Exclusion,
    FairAccessCase,
    FairAccessCategory,
    FairAccessRefusal,
    Meeting,
    Partnership,
    Placement,
    Provider,
    Pupil,
    Referral,
    SafeguardingConfirmation,
    School,
    Setting,
    TermDate,
    TierChange,
)
from seips_core.models.choices import WEEKDAYS
from seips_core.queries.meetings import facts_by_meeting, member_notifications
from seips_core.queries.scope import (
    placement_current_on,
    referral_open_on,
    school_in_partnership,
    tier_period_on,
)
from seips_core.rules.exclusions import (
    SUSPENSION_WARNING_FROM,
    PermanentExclusionFacts,
    SuspensionTotal,
    governors_review_late,
    suspension_days_limit,
)
from seips_core.rules.fair_access import (
    FairAccessFacts,
    RefusalFacts,
    fair_access_flags,
    refusals_logged,
)
from seips_core.rules.flag import Flag, flag_order, raised, rule_order
from seips_core.rules.meetings import (
    DecisionFacts,
    MeetingFacts,
    decision_flags,
    meeting_not_fully_notified,
)
from seips_core.rules.placements import PlacementFacts, placement_flags
from seips_core.rules.providers import (
    THRESHOLD_SETTING,
    ProviderFacts,
    dsl_training_due_before,
    provider_flags,
    threshold_from_setting,
)
from seips_core.rules.pupils import PupilFacts, pupil_flags
from seips_core.rules.referrals import ReferralFacts, referral_flags
from seips_core.rules.schools import SchoolFacts, non_member_full_cost
from seips_core.rules.sessions import FULL_TIME_HOURS, SUBSTANTIAL_DAYS_ABOVE
from seips_core.school_days import SchoolCalendar, academic_year_start

#: Decisions whose rules are checked (R13a, R16).
_CHECKED_OUTCOMES = ("allocate_fair_access", "agree_managed_move")


# --- Shared SQL pieces -------------------------------------------------------------------------


def days_a_week_column() -> ColumnElement[int]:
    """SQL for ``sessions.days_a_week``: weekdays with an AM or PM session (R7)."""
    return sum(
        (
            case(
                (
                    or_(
                        Placement.sessions.contains(f"{day}AM"),
                        Placement.sessions.contains(f"{day}PM"),
                    ),
                    1,
                ),
                else_=0,
            )
            for day in WEEKDAYS
        ),
        start=literal(0),
    )


def is_substantial_column() -> ColumnElement[bool]:
    """SQL for ``sessions.is_substantial``: over 3 days, or 18 hours a week or more (R7, R8)."""
    return or_(
        days_a_week_column() > SUBSTANTIAL_DAYS_ABOVE,
        Placement.hours_per_week >= FULL_TIME_HOURS,
    )


def _unindexed(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition``, tested row by row: no index can serve it (see ``scope.tier_period_on``).

    For tests that hold for a large share of the rows stored ("started by ``on``"): SQLite
    would otherwise walk the date index one row at a time, several times slower than reading
    the table. PostgreSQL reads these tables whole either way.
    """
    return case((condition, 1), else_=0) == 1


def _current_placement(on: date) -> ColumnElement[bool]:
    """The catalogue's current placement; most placements started by ``on``, so unindexed."""
    return _unindexed(placement_current_on(on))


class Unassigned(Enum):
    """The rows of no partnership: pupils with no school on roll nor tier period at a school
    (R2 leaves them to none). A county's flags are its partnerships' flags and theirs."""

    ROWS = "no partnership"


#: Which rows a loader reads: a partnership's (its code), the county's (None), or no
#: partnership's (``Unassigned.ROWS``).
PartnershipFilter = str | Unassigned | None


def _in_partnership(
    stmt: Select, partnership: PartnershipFilter, case_ref: str | None = None
) -> Select:
    """``stmt`` kept to ``partnership``'s rows and, for one case's flags, to one pupil's (the
    statement joins ``Pupil``)."""
    if partnership is Unassigned.ROWS:
        stmt = stmt.where(Partnership.code.is_(None))
    elif partnership is not None:
        stmt = stmt.where(Partnership.code == partnership)
    return stmt if case_ref is None else stmt.where(Pupil.case_ref == case_ref)


def _pupil_ids(case_ref: str) -> Select:
    """The id of the pupil ``case_ref``, to narrow a subquery before it groups."""
    return select(Pupil.id).where(Pupil.case_ref == case_ref).correlate(None)


def _academic_year_first_day(on: date) -> date:
    return date(academic_year_start(on), 9, 1)


def _this_academic_year(column, on: date) -> ColumnElement[bool]:
    """From 1 September of ``on``'s academic year up to ``on``."""
    return column.between(_academic_year_first_day(on), on)


def _excluded_this_academic_year(on: date) -> ColumnElement[bool]:
    """Exclusions that started this academic year, tested row by row (R3, R25).

    A year is a large share of the stored exclusions: read through the start-date index, one
    row at a time, it costs more than reading the whole table (twice as much on the national
    sample, which holds two and a half years).
    """
    return _unindexed(_this_academic_year(Exclusion.start_date, on))


def _tier4_pupil_ids(on: date) -> Select:
    """Pupils at Tier 4 on ``on`` (R6): a few percent of pupils, the only ones R19 can flag."""
    return select(TierChange.pupil_id).where(TierChange.tier == 4, tier_period_on(on))


def _candidate_pupils(
    pupil_id: ColumnElement[int], partnership: PartnershipFilter, *, by_tier: bool = False
) -> ColumnElement[bool]:
    """Pupils who may belong to ``partnership``: those on the roll of its schools (or, with
    ``by_tier``, at one of them for a tier period), or with no school for no partnership.

    A superset, found through the schools' indexes: the statement's own partnership test still
    decides (R2), but one partnership's rows no longer cost a read of every pupil's (issue 13:
    a county view recomputes the partnership written in, a twentieth of a national store).
    """
    if partnership is None:
        return true()
    if partnership is Unassigned.ROWS:
        return pupil_id.in_(select(Pupil.id).where(Pupil.school_id.is_(None)).correlate(None))
    on_roll = pupil_id.in_(
        select(Pupil.id).where(school_in_partnership(Pupil.school_id, partnership)).correlate(None)
    )
    if not by_tier:
        return on_roll
    at_tier = select(TierChange.pupil_id).where(
        school_in_partnership(TierChange.school_id, partnership)
    )
    return or_(on_roll, pupil_id.in_(at_tier.correlate(None)))


def _rows(session: Session, stmt: Select) -> Sequence[Row]:
    """Every row of ``stmt``, read at once on the session's connection.

    The statements here select columns, never entities, so the ORM's result handling would
    only add its per-row cost (a third of the read time on tens of thousands of rows), and
    fetching all rows in one call is quicker than one by one.
    """
    return session.connection().execute(stmt).all()


def _facts(session: Session, stmt: Select, kind: type) -> list:
    """Rows whose column labels are, in order, the first field names of the dataclass ``kind``.

    The labels are checked once, so that each row can be passed by position: twice as quick
    as by name on the tens of thousands of current placements of a national store.
    """
    labels = tuple(stmt.selected_columns.keys())
    names = tuple(field.name for field in fields(kind))
    if labels != names[: len(labels)]:
        raise TypeError(f"{kind.__name__}: columns {labels} are not its first fields {names}")
    return [kind(*row) for row in _rows(session, stmt)]


# --- Loaders: candidate rows into facts --------------------------------------------------------


def _placements(
    session: Session, on: date, partnership: str | None, case_ref: str | None = None
) -> list[PlacementFacts]:
    """Current placements (R7, R9, R11, R12, R26, R27, R28)."""
    confirmed = exists().where(
        SafeguardingConfirmation.school_id == Placement.school_id,
        SafeguardingConfirmation.provider_id == Placement.provider_id,
        SafeguardingConfirmation.received_date <= on,
    )
    stmt = (
        select(
            Pupil.case_ref,
            Provider.name.label("provider"),
            School.name.label("school"),
            Partnership.code.label("partnership"),
            Placement.kind,
            Placement.sessions,
            Placement.hours_per_week,
            Placement.start_date,
            Placement.end_date,
            Placement.planned_end_date,
            Placement.max_duration_weeks,
            Placement.plan_agreed_date,
            Placement.last_review_date,
            Placement.next_review_date,
            Placement.la_informed_date,
            Provider.lebc_check_date.label("provider_lebc_check_date"),
            confirmed.label("safeguarding_confirmed"),
        )
        .join(Pupil, Pupil.id == Placement.pupil_id)
        .join(Provider, Provider.id == Placement.provider_id)
        .join(School, School.id == Placement.school_id)
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(_current_placement(on))
    )
    return _facts(session, _in_partnership(stmt, partnership, case_ref), PlacementFacts)


def provider_facts(session: Session, on: date, partnership: str | None) -> list[ProviderFacts]:
    """Providers with substantial current pupils (R8) or training gaps (R10).

    The R8 counts are always across all partnerships; a partnership's view keeps the providers
    a school of that partnership currently uses, and counts only theirs.
    """

    def used_here(provider_id: ColumnElement[int]) -> ColumnElement[bool]:
        if partnership is None:
            return true()
        used = select(Placement.provider_id).where(
            _current_placement(on), school_in_partnership(Placement.school_id, partnership)
        )
        return provider_id.in_(used.correlate(None))

    lac_or_ehcp = or_(Pupil.lac_status != "none", Pupil.ehcp)
    load = (
        select(
            Placement.provider_id,
            func.count(func.distinct(Placement.pupil_id)).label("pupils"),
            func.count(func.distinct(case((lac_or_ehcp, Placement.pupil_id)))).label("lac_ehcp"),
        )
        .join(Pupil, Pupil.id == Placement.pupil_id)
        .where(_current_placement(on), is_substantial_column(), used_here(Placement.provider_id))
        .group_by(Placement.provider_id)
        .subquery()
    )
    stmt = (
        select(
            Provider.name,
            Provider.is_registered_school,
            Provider.staff_training_date,
            Provider.dsl_training_date,
            func.coalesce(load.c.pupils, 0).label("substantial_pupils"),
            func.coalesce(load.c.lac_ehcp, 0).label("substantial_lac_or_ehcp_pupils"),
        )
        .outerjoin(load, load.c.provider_id == Provider.id)
        .where(
            or_(
                and_(not_(Provider.is_registered_school), load.c.pupils > 0),
                Provider.staff_training_date.is_(None),
                Provider.dsl_training_date.is_(None),
                Provider.dsl_training_date < dsl_training_due_before(on),
            ),
            used_here(Provider.id),
        )
    )
    return _facts(session, stmt, ProviderFacts)


def r8_threshold(session: Session) -> int:
    """R8's pupil threshold from the ``r8_threshold`` setting (4 when unset, as guidance says)."""
    value = session.scalar(select(Setting.value).where(Setting.key == THRESHOLD_SETTING))
    return threshold_from_setting(value)


def _fair_access_cases(
    session: Session, on: date, partnership: str | None, case_ref: str | None = None
) -> list[FairAccessFacts]:
    """Open cases that are accepted or decided (R13, R20, R21)."""
    categories = (
        select(func.count(FairAccessCategory.id))
        .where(FairAccessCategory.case_id == FairAccessCase.id)
        .scalar_subquery()
    )
    stmt = (
        select(
            Pupil.case_ref,
            Partnership.code.label("partnership"),
            FairAccessCase.referred_date,
            FairAccessCase.unplaced,
            categories.label("categories"),
            FairAccessCase.accepted_date,
            FairAccessCase.allocated_school_id.is_not(None).label("allocated"),
            FairAccessCase.decision_date,
            FairAccessCase.school_told_date,
            FairAccessCase.admissions_told_date,
            FairAccessCase.on_roll_date,
        )
        .join(Pupil, Pupil.id == FairAccessCase.pupil_id)
        .join(Partnership, Partnership.id == FairAccessCase.partnership_id)
        .where(
            FairAccessCase.referred_date <= on,
            or_(FairAccessCase.on_roll_date.is_(None), FairAccessCase.on_roll_date > on),
            or_(FairAccessCase.accepted_date <= on, FairAccessCase.decision_date <= on),
        )
    )
    return _facts(session, _in_partnership(stmt, partnership, case_ref), FairAccessFacts)


def _refusals(session: Session, on: date, partnership: str | None) -> list[RefusalFacts]:
    """Each school's refusals and delays logged this academic year (R22)."""
    stmt = (
        select(
            School.name.label("school"),
            Partnership.code.label("partnership"),
            func.sum(case((FairAccessRefusal.kind == "refusal", 1), else_=0)).label("refusals"),
            func.sum(case((FairAccessRefusal.kind == "delay", 1), else_=0)).label("delays"),
        )
        .join(School, School.id == FairAccessRefusal.school_id)
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(_this_academic_year(FairAccessRefusal.logged_date, on))
        .group_by(School.id, School.name, Partnership.code)
    )
    return _facts(session, _in_partnership(stmt, partnership), RefusalFacts)


def _meetings_from(
    session: Session, first_day: date, partnership: str | None
) -> dict[int, MeetingFacts]:
    """Meetings on or after ``first_day``, with the notification of each member school of
    their partnership (R13a).

    One read by date range: asking for a list of meeting ids instead leads SQLite to test
    every school against the whole list.
    """
    return facts_by_meeting(
        _rows(
            session,
            _in_partnership(member_notifications(Meeting.meeting_date >= first_day), partnership),
        )
    )


def _decisions_and_meetings(
    session: Session, on: date, partnership: str | None, case_ref: str | None = None
) -> tuple[list[DecisionFacts], list[MeetingFacts]]:
    """This academic year's allocations and managed moves, and meetings to come (R13a, R16)."""
    meetings = _meetings_from(session, _academic_year_first_day(on), partnership)
    decided = _rows(
        session,
        _in_partnership(
            select(
                Meeting.id,
                Pupil.case_ref,
                Decision.outcome,
                Decision.parents_agree,
                Decision.home_school_agrees,
                Decision.receiving_school_agrees,
            )
            .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .join(Pupil, Pupil.id == AgendaItem.pupil_id)
            .where(
                Decision.outcome.in_(_CHECKED_OUTCOMES),
                _this_academic_year(Meeting.meeting_date, on),
                # A decision amended after sign-off no longer stands: only its amendment counts.
                Decision.id.not_in(
                    select(Decision.amends_decision_id).where(
                        Decision.amends_decision_id.is_not(None)
                    )
                ),
            ),
            partnership,
            case_ref,
        ),
    )
    decisions = [
        DecisionFacts(
            case_ref=row.case_ref,
            outcome=row.outcome,
            meeting=meetings[row.id],
            parents_agree=row.parents_agree,
            home_school_agrees=row.home_school_agrees,
            receiving_school_agrees=row.receiving_school_agrees,
        )
        for row in decided
    ]
    return decisions, [meeting for meeting in meetings.values() if meeting.meeting_date >= on]


def _pupils(
    session: Session,
    on: date,
    partnership: PartnershipFilter,
    county_la: str,
    case_ref: str | None = None,
) -> list[PupilFacts]:
    """Tier 4 pupils from another LA or with old top-up (R4, R15); roll and LAC gaps (R17, R18).

    The responsible partnership is that of the school on roll, else of the school responsible
    for the current tier period (R2).
    """
    referred = Pupil.id.in_(
        select(AgendaItem.pupil_id)
        .join(Decision, Decision.agenda_item_id == AgendaItem.id)
        .where(Decision.outcome == "refer_home_la")
    )
    base = (
        select(
            Pupil.case_ref,
            Partnership.code.label("partnership"),
            Pupil.home_la,
            TierChange.tier,
            referred.label("referred_to_home_la"),
            Pupil.top_up_year_start,
            Pupil.lac_status,
            Pupil.lac_la,
            Pupil.off_roll_date,
            Pupil.off_roll_reason,
        )
        .outerjoin(TierChange, and_(TierChange.pupil_id == Pupil.id, tier_period_on(on)))
        .outerjoin(School, School.id == func.coalesce(Pupil.school_id, TierChange.school_id))
        .outerjoin(Partnership, Partnership.id == School.partnership_id)
    )
    tier4 = base.where(
        TierChange.tier == 4,
        or_(
            Pupil.home_la != county_la,
            Pupil.top_up_year_start < academic_year_start(on),
        ),
    )
    # "No reason" and "no LA" as the rules read them: missing or empty. Written so, PostgreSQL
    # also sees how few pupils match, and looks up their tier instead of hashing every period.
    record_gaps = base.where(
        or_(
            and_(Pupil.off_roll_date <= on, func.coalesce(Pupil.off_roll_reason, "") == ""),
            and_(Pupil.lac_status == "other_la", func.coalesce(Pupil.lac_la, "") == ""),
        )
    )
    found: dict[str, PupilFacts] = {}
    candidates = _candidate_pupils(Pupil.id, partnership, by_tier=True)
    for stmt in (tier4, record_gaps):
        stmt = _in_partnership(stmt.where(candidates), partnership, case_ref)
        for pupil in _facts(session, stmt, PupilFacts):
            found[pupil.case_ref] = pupil
    return list(found.values())


def _non_member_schools(session: Session, on: date, partnership: str | None) -> list[SchoolFacts]:
    """Non-member schools with their Tier 4 pupils and this year's permanent exclusions (R3).

    The counts read only the rows of non-member schools (by their school index), not every
    row of the county grouped by school.
    """
    non_members = select(School.id).where(not_(School.is_member))

    def per_non_member(school_id, counted, *where) -> Subquery:
        return (
            select(school_id.label("school_id"), func.count(func.distinct(counted)).label("n"))
            .where(school_id.in_(non_members), *where)
            .group_by(school_id)
            .subquery()
        )

    tier4 = per_non_member(
        TierChange.school_id,
        TierChange.pupil_id,
        TierChange.tier == 4,
        tier_period_on(on),
    )
    excluded = per_non_member(
        Exclusion.school_id,
        Exclusion.id,
        Exclusion.kind == "permanent",
        _excluded_this_academic_year(on),
    )
    stmt = (
        select(
            School.name,
            Partnership.code.label("partnership"),
            School.is_member,
            func.coalesce(tier4.c.n, 0).label("tier4_pupils"),
            func.coalesce(excluded.c.n, 0).label("permanent_exclusions"),
        )
        .join(Partnership, Partnership.id == School.partnership_id)
        .outerjoin(tier4, tier4.c.school_id == School.id)
        .outerjoin(excluded, excluded.c.school_id == School.id)
        .where(not_(School.is_member))
    )
    return _facts(session, _in_partnership(stmt, partnership), SchoolFacts)


def _referrals(
    session: Session, on: date, partnership: str | None, case_ref: str | None = None
) -> list[ReferralFacts]:
    """Open referrals of EHCP pupils (R15) or, of pupils at Tier 4, to the Inclusion Forum (R19).

    County-wide, the candidates are chosen by pupil first (EHCP or at Tier 4: a few percent of
    pupils), so that the open referrals of everyone else, most of them to the Forum, are never
    read. One partnership's referrals are few: they are read through its schools instead.
    """
    stmt = (
        select(
            Pupil.case_ref,
            Partnership.code.label("partnership"),
            Referral.route,
            Referral.received_date,
            Referral.closed_date,
            Pupil.ehcp,
            TierChange.tier,
        )
        .join(Pupil, Pupil.id == Referral.pupil_id)
        .outerjoin(TierChange, and_(TierChange.pupil_id == Pupil.id, tier_period_on(on)))
        .join(School, School.id == Referral.school_id)
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(referral_open_on(on), or_(Pupil.ehcp, Referral.route == "inclusion_forum"))
    )
    if partnership is None and case_ref is None:
        ehcp = select(Pupil.id).where(Pupil.ehcp).correlate(None)
        stmt = stmt.where(Referral.pupil_id.in_(union(ehcp, _tier4_pupil_ids(on).correlate(None))))
    return _facts(session, _in_partnership(stmt, partnership, case_ref), ReferralFacts)


def _suspension_totals(
    session: Session, on: date, partnership: PartnershipFilter, case_ref: str | None = None
) -> list[SuspensionTotal]:
    """Pupils whose suspension days this academic year reach R25's warning level."""
    totals = (
        select(Exclusion.pupil_id, func.sum(Exclusion.school_days).label("days"))
        .where(
            Exclusion.kind == "suspension",
            _excluded_this_academic_year(on),
            _candidate_pupils(Exclusion.pupil_id, partnership),
        )
        .group_by(Exclusion.pupil_id)
        .having(func.sum(Exclusion.school_days) >= SUSPENSION_WARNING_FROM)
    )
    if case_ref is not None:
        totals = totals.where(Exclusion.pupil_id.in_(_pupil_ids(case_ref)))
    totals = totals.subquery()
    stmt = (
        select(
            Pupil.case_ref,
            Partnership.code.label("partnership"),
            totals.c.days.label("school_days"),
        )
        .join(Pupil, Pupil.id == totals.c.pupil_id)
        .outerjoin(School, School.id == Pupil.school_id)
        .outerjoin(Partnership, Partnership.id == School.partnership_id)
    )
    return _facts(session, _in_partnership(stmt, partnership, case_ref), SuspensionTotal)


def _permanent_exclusions(
    session: Session, on: date, partnership: str | None, case_ref: str | None = None
) -> list[PermanentExclusionFacts]:
    """This academic year's permanent exclusions, with the excluding school's partnership (R25)."""
    stmt = (
        select(
            Pupil.case_ref,
            Partnership.code.label("partnership"),
            Exclusion.start_date,
            Exclusion.governors_review_date,
        )
        .join(Pupil, Pupil.id == Exclusion.pupil_id)
        .join(School, School.id == Exclusion.school_id)
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(Exclusion.kind == "permanent", _excluded_this_academic_year(on))
    )
    return _facts(session, _in_partnership(stmt, partnership, case_ref), PermanentExclusionFacts)


def school_calendar(session: Session) -> SchoolCalendar:
    """The school days of every stored term (R21, R25): a few rows a year.

    Public so that the pages' clocks (the Fair Access case list) count school days from the
    same term dates as the flags do.
    """
    return SchoolCalendar.from_terms(_rows(session, select(TermDate.start_date, TermDate.end_date)))


# --- The public answers ------------------------------------------------------------------------


def county_flags(
    session: Session, on: date, partnership: str | None = None, *, case_ref: str | None = None
) -> list[Flag]:
    """Every flag on ``on``, most severe first, then by rule and subject.

    With ``partnership`` (a code), only that partnership's flags, plus the county-wide
    providers its schools currently use. With ``case_ref``, only the flags about that pupil
    (their subject is the case reference), each loader reading that pupil's rows alone: an
    agenda item's flags without its partnership's (issue 13).
    """
    if case_ref is not None:
        flags = partnership_flags(session, on, partnership, case_ref=case_ref)
        # A rule may name another subject from a pupil's rows; a case's flags are its own.
        return sorted((flag for flag in flags if flag.subject == case_ref), key=flag_order)
    flags = partnership_flags(session, on, partnership) + providers_flags(session, on, partnership)
    return sorted(flags, key=flag_order)


def partnership_flags(
    session: Session, on: date, partnership: str | None, *, case_ref: str | None = None
) -> list[Flag]:
    """Every flag but those on providers, unsorted: each names its partnership, so the
    county's are the union of every partnership's and ``unassigned_flags`` (a county view is
    refreshed partnership by partnership, issue 13). With ``case_ref``, the pupil's alone:
    the flags on meetings and schools are left out."""
    calendar = school_calendar(session)
    decisions, coming_meetings = _decisions_and_meetings(session, on, partnership, case_ref)
    flags: list[Flag] = []
    for placement in _placements(session, on, partnership, case_ref):
        flags += placement_flags(placement, on)
    for fa_case in _fair_access_cases(session, on, partnership, case_ref):
        flags += fair_access_flags(fa_case, on, calendar)
    for decision in decisions:
        flags += decision_flags(decision)
    for pupil in _pupils(session, on, partnership, COUNTY_LA, case_ref):
        flags += pupil_flags(pupil, on, COUNTY_LA)
    for referral in _referrals(session, on, partnership, case_ref):
        flags += referral_flags(referral, on)
    totals = _suspension_totals(session, on, partnership, case_ref)
    exclusions = _permanent_exclusions(session, on, partnership, case_ref)
    found = [suspension_days_limit(total) for total in totals] + [
        governors_review_late(exclusion, on, calendar) for exclusion in exclusions
    ]
    if case_ref is None:
        found += (
            [meeting_not_fully_notified(meeting, on) for meeting in coming_meetings]
            + [refusals_logged(school) for school in _refusals(session, on, partnership)]
            + [
                non_member_full_cost(school)
                for school in _non_member_schools(session, on, partnership)
            ]
        )
    return flags + raised(*found)


def unassigned_flags(session: Session, on: date) -> list[Flag]:
    """The flags of no partnership, unsorted: pupils whose partnership R2 cannot tell (no
    school on roll nor at their tier period), the only rows the loaders outer-join (R4, R15,
    R17, R18 and R25's suspension totals)."""
    flags: list[Flag] = []
    for pupil in _pupils(session, on, Unassigned.ROWS, COUNTY_LA):
        flags += pupil_flags(pupil, on, COUNTY_LA)
    totals = _suspension_totals(session, on, Unassigned.ROWS)
    return flags + raised(*(suspension_days_limit(total) for total in totals))


def providers_flags(session: Session, on: date, partnership: str | None = None) -> list[Flag]:
    """The flags on providers (R8, R10) alone, from the providers' own facts: what
    ``county_flags`` raises on them, for the provider register without the whole store's
    flags (issue 13: 30 ms instead of 1.3 s at national scale)."""
    threshold = r8_threshold(session)
    return [
        flag
        for provider in provider_facts(session, on, partnership)
        for flag in provider_flags(provider, on, threshold)
    ]


def flag_counts(flags: list[Flag]) -> dict[str, int]:
    """How many flags each rule raised, rules in R-number order (only rules with flags)."""
    counts = Counter(flag.rule for flag in flags)
    return {rule: counts[rule] for rule in sorted(counts, key=rule_order)}
