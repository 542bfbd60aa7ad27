"""How the tiers change over time, for the chairs' termly review (issue 7; R1, R2, R5, R6, R25).

- ``tier_trend``: tier counts on the first day of each of the last terms (three academic years
  by default), per partnership or per school, counted by ``queries.schools.tiers_by_school_on``
  (the one tier-at-a-date query).
- ``tier_movements``: moves between tiers in a period, with "new" entries and "left" exits,
  for a flow (Sankey) chart.
- ``time_at_tier4``: how many school days Tier 4 stays last, ended in a period or running.
- ``exclusions_by_term``: suspensions and permanent exclusions per school and term, and the
  pupils near R25's 45 suspension days.

Counts only, except the R25 list, which names pupils by case reference and initials.

Terms: the store holds half terms (or terms) as ``TermDate`` rows; a *term* here is Autumn,
Spring or Summer of an academic year, from the first day of its first row to the last day of
its last. A row's term is the first word of its name when that is Autumn, Spring or Summer
("Spring 2"), else its start month (September–December Autumn, January–March Spring,
April–August Summer).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Literal

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..auth.roles import Actor
from ..errors import InvalidValue
from ..models import Exclusion, Partnership, Pupil, School, TermDate, TierChange
from ..models.choices import TIERS
from ..rules.exclusions import SUSPENSION_LIMIT_DAYS, SuspensionTotal, suspension_days_limit
from ..rules.flag import Flag
from ..school_days import academic_year_label
from .flags import school_calendar
from .pupils import pupil_labels
from .schools import tiers_by_school_on
from .scope import in_partnership, school_in_partnership
from .tiers import check_scope

__all__ = [
    "DURATION_BANDS",
    "NEAR_LIMIT_FROM",
    "DurationBand",
    "ExclusionsView",
    "NearLimitPupil",
    "SchoolExclusions",
    "Term",
    "TermExclusions",
    "TierMove",
    "TierMovementsView",
    "TierTrendView",
    "TimeAtTier4View",
    "TrendSeries",
    "duration_bands",
    "exclusions_by_term",
    "exclusions_per_term",
    "group_terms",
    "term_index",
    "tier_movements",
    "tier_trend",
    "time_at_tier4",
]

SEASONS = ("Autumn", "Spring", "Summer")

#: R25: pupils are listed from this many suspension days in the academic year: ten before the
#: limit of 45 and five before the flag's warning at 40, so a chair sees who is heading there.
NEAR_LIMIT_FROM = 35

#: Bands of school days at Tier 4: about a half term (30), half a school year (95), a school
#: year (190), and beyond. Each band runs from the previous bound + 1 to its own bound.
DURATION_BANDS = (30, 60, 95, 190)


# --- Terms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """Autumn, Spring or Summer of an academic year, from its stored term dates."""

    academic_year: int
    season: str
    first_day: date
    last_day: date

    @property
    def label(self) -> str:
        """ "Autumn 2025-26"."""
        return f"{self.season} {academic_year_label(self.academic_year)}"


def _season(name: str, start: date) -> str:
    """The term a ``TermDate`` row belongs to: by its name's first word, else by its month."""
    words = name.split()
    if words and words[0].capitalize() in SEASONS:
        return words[0].capitalize()
    if start.month >= 9:
        return "Autumn"
    return "Spring" if start.month <= 3 else "Summer"


def group_terms(rows: list[tuple[int, str, date, date]]) -> tuple[Term, ...]:
    """Terms from ``(academic_year_start, name, start_date, end_date)`` rows, in date order."""
    spans: dict[tuple[int, str], list[date]] = {}
    for year, name, start, end in rows:
        key = (year, _season(name, start))
        first, last = spans.get(key, [start, end])
        spans[key] = [min(first, start), max(last, end)]
    terms = (Term(year, season, first, last) for (year, season), (first, last) in spans.items())
    return tuple(sorted(terms, key=lambda term: term.first_day))


def _stored_terms(session: Session) -> tuple[Term, ...]:
    rows = session.execute(
        select(TermDate.academic_year_start, TermDate.name, TermDate.start_date, TermDate.end_date)
    ).all()
    return group_terms([tuple(row) for row in rows])


# --- Trend -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendSeries:
    """One line of the trend: a partnership's or a school's pupils at each tier, term by term."""

    #: The partnership code, or the school's name.
    name: str
    #: The school's id when the series is a school's; None for a partnership.
    school_id: int | None
    #: One tuple per term (as ``TierTrendView.terms``) of pupils at Tier 1, 2, 3 and 4.
    counts: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class TierTrendView:
    """Tier counts on the first day of each term, per partnership or per school."""

    partnership: str | None
    by: Literal["partnership", "school"]
    #: The terms counted, oldest first; each counted on its ``first_day``.
    terms: tuple[Term, ...]
    series: tuple[TrendSeries, ...]
    #: Per term, the sum of the series: pupils at Tier 1, 2, 3 and 4.
    totals: tuple[tuple[int, ...], ...]


def _schools_in_scope(
    session: Session, partnership: str | None, school_id: int | None
) -> list[tuple[int, str, str]]:
    """``(id, name, partnership code)`` of the schools counted, by partnership then name."""
    query = (
        select(School.id, School.name, Partnership.code)
        .join(Partnership, School.partnership_id == Partnership.id)
        .where(in_partnership(School.partnership_id, partnership))
        .order_by(Partnership.code, School.name, School.id)
    )
    if school_id is not None:
        query = query.where(School.id == school_id)
    return [tuple(row) for row in session.execute(query)]


def tier_trend(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    end: date,
    terms: int = 9,
    school_id: int | None = None,
    by: Literal["partnership", "school"] = "partnership",
) -> TierTrendView:
    """Pupils at each tier on the first day of each of the last ``terms`` terms that began on
    or before ``end`` (9: three academic years), one series per partnership (``by``
    "partnership") or per school (``by`` "school", or when ``school_id`` names one school).

    R6: counted from the tier history as it stood on each term's first day: a fixed, named day,
    always a school day, so that terms compare like for like (a change made that day counts).
    """
    check_scope(session, viewer, partnership, school_id)
    if terms < 1:
        raise InvalidValue(f"Terms: {terms} is not a number of terms (1 or more).")
    if by not in ("partnership", "school"):
        raise InvalidValue(f"Series: {by!r} is neither 'partnership' nor 'school'.")
    counted = tuple(term for term in _stored_terms(session) if term.first_day <= end)[-terms:]
    schools = _schools_in_scope(session, partnership, school_id)
    per_school: list[dict[int, tuple[int, ...]]] = []
    for term in counted:
        query = tiers_by_school_on(term.first_day, partnership, school_id, city=False)
        rows = session.execute(query)
        per_school.append({row[0]: tuple(row[1 : 1 + len(TIERS)]) for row in rows})
    by_school = school_id is not None or by == "school"
    groups: dict[tuple[str, int | None], list[int]] = {}
    for key, name, code in schools:
        groups.setdefault((name, key) if by_school else (code, None), []).append(key)
    zero = (0,) * len(TIERS)
    series = tuple(
        TrendSeries(
            name=name,
            school_id=key,
            counts=tuple(
                _add(counts.get(member, zero) for member in members) for counts in per_school
            ),
        )
        for (name, key), members in groups.items()
    )
    totals = tuple(_add(line.counts[index] for line in series) for index in range(len(counted)))
    return TierTrendView(
        partnership=partnership,
        by="school" if by_school else "partnership",
        terms=counted,
        series=series,
        totals=totals,
    )


def _add(rows) -> tuple[int, ...]:
    """Tier tuples added tier by tier."""
    total = [0] * len(TIERS)
    for row in rows:
        for index, value in enumerate(row):
            total[index] += value
    return tuple(total)


# --- Movements between tiers ------------------------------------------------------------------


@dataclass(frozen=True)
class TierMove:
    """Moves from one tier to another in the period; None at ``from_tier`` is a new entry (no
    period ended that day), None at ``to_tier`` an exit (no period began that day)."""

    from_tier: int | None
    to_tier: int | None
    moves: int

    @property
    def source(self) -> str:
        return "New" if self.from_tier is None else f"Tier {self.from_tier}"

    @property
    def target(self) -> str:
        return "Left the tiers" if self.to_tier is None else f"Tier {self.to_tier}"


@dataclass(frozen=True)
class TierMovementsView:
    """Moves between tiers from ``start`` to ``end`` (both included), most frequent first."""

    partnership: str | None
    start: date
    end: date
    moves: tuple[TierMove, ...]

    @property
    def total(self) -> int:
        return sum(move.moves for move in self.moves)


def _check_period(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    school_id: int | None,
    start: date,
    end: date,
) -> None:
    """``check_scope``, and a period that does not end before it starts."""
    check_scope(session, viewer, partnership, school_id)
    if start > end:
        raise InvalidValue(f"Period: the start ({start}) is after the end ({end}).")


def _at_school(
    period: type[TierChange], partnership: str | None, school_id: int | None
) -> ColumnElement[bool]:
    """``period``'s school is in scope: the partnership's (R2), or the one school asked for."""
    in_scope = school_in_partnership(period.school_id, partnership)
    return in_scope if school_id is None else and_(in_scope, period.school_id == school_id)


def tier_movements(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    start: date,
    end: date,
    school_id: int | None = None,
) -> TierMovementsView:
    """Moves between tiers on days from ``start`` to ``end`` (both included), counted per
    move (a pupil who goes 3 → 4 → 3 makes two), for a flow chart; counted in SQL.

    A pupil's change happens on the day one period ends (its ``to_date``: R6, its last day was
    the day before) and/or another begins (its ``from_date``). Both: a move between their
    tiers; only an end: left the tiers; only a beginning: a new entry. A change of school at
    the same tier is no move between tiers. A move counts where either period's school is in
    scope (R2: the school responsible before and the one after both see it); an exit where
    the ending period's is, an entry where the beginning period's is.
    """
    _check_period(session, viewer, partnership, school_id, start, end)
    ending, beginning = aliased(TierChange), aliased(TierChange)
    follows = and_(beginning.pupil_id == ending.pupil_id, beginning.from_date == ending.to_date)
    no_tier = cast(null(), Integer)
    moved = (
        select(ending.tier.label("from_tier"), beginning.tier.label("to_tier"))
        .join(beginning, follows)
        .where(
            ending.to_date.between(start, end),
            ending.tier != beginning.tier,
            or_(
                _at_school(ending, partnership, school_id),
                _at_school(beginning, partnership, school_id),
            ),
        )
    )
    left = select(ending.tier, no_tier).where(
        ending.to_date.between(start, end),
        ~exists().where(follows),
        _at_school(ending, partnership, school_id),
    )
    entered = select(no_tier, beginning.tier).where(
        beginning.from_date.between(start, end),
        ~exists().where(follows),
        _at_school(beginning, partnership, school_id),
    )
    every = union_all(moved, left, entered).subquery()
    rows = session.execute(
        select(every.c.from_tier, every.c.to_tier, func.count()).group_by(
            every.c.from_tier, every.c.to_tier
        )
    )
    moves = sorted(
        (TierMove(before, after, count) for before, after, count in rows),
        key=lambda move: (-move.moves, move.from_tier or 0, move.to_tier or 0),
    )
    return TierMovementsView(partnership=partnership, start=start, end=end, moves=tuple(moves))


# --- Time at Tier 4 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DurationBand:
    """Tier 4 stays lasting ``low`` to ``high`` school days (no upper bound when None)."""

    low: int
    high: int | None
    ended: int
    running: int

    @property
    def label(self) -> str:
        if self.high is None:
            return f"over {self.low - 1} school days"
        return f"{self.low}–{self.high} school days"


@dataclass(frozen=True)
class TimeAtTier4View:
    """How long Tier 4 stays last, in school days (weekdays inside the stored term dates).

    School days, not calendar weeks: holidays do not lengthen a stay, and R21/R25's clocks on
    the other pages count the same way.
    """

    partnership: str | None
    start: date
    end: date
    #: School days of each stay that ended in the period (last day from ``start`` to ``end``).
    ended: tuple[int, ...]
    #: School days so far (up to ``end``) of each stay still running at ``end``.
    running: tuple[int, ...]
    bands: tuple[DurationBand, ...]
    #: Stays that began before the first stored term date: their school days are undercounted.
    before_known_terms: int

    @property
    def median_ended(self) -> float | None:
        return median(self.ended) if self.ended else None

    @property
    def median_running(self) -> float | None:
        return median(self.running) if self.running else None

    @property
    def median_all(self) -> float | None:
        both = self.ended + self.running
        return median(both) if both else None


def duration_bands(
    ended: tuple[int, ...], running: tuple[int, ...], bounds: tuple[int, ...] = DURATION_BANDS
) -> tuple[DurationBand, ...]:
    """Count ``ended`` and ``running`` stays into bands: 0 to ``bounds[0]``, then each bound
    + 1 to the next, then beyond the last (pure)."""
    lows = (0, *(bound + 1 for bound in bounds))
    highs = (*bounds, None)
    return tuple(
        DurationBand(
            low,
            high,
            ended=sum(1 for days in ended if low <= days and (high is None or days <= high)),
            running=sum(1 for days in running if low <= days and (high is None or days <= high)),
        )
        for low, high in zip(lows, highs, strict=True)
    )


@dataclass(frozen=True)
class _Stay:
    first_day: date
    #: The day after the last, as ``TierChange.to_date``; None while running.
    to_date: date | None
    #: (from_date, school) of each period of the stay, in order.
    pieces: tuple[tuple[date, int], ...]


def _stays(rows: list[tuple[int, int, date, date | None]]) -> list[_Stay]:
    """Each pupil's Tier 4 periods joined into stays where one begins the day the previous
    ends (a Tier 4 pupil who changes school stays at Tier 4: one stay, R6)."""
    by_pupil: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for pupil, school, from_date, to_date in rows:
        by_pupil[pupil].append((school, from_date, to_date))
    stays: list[_Stay] = []
    for periods in by_pupil.values():
        periods.sort(key=lambda period: period[1])
        current: _Stay | None = None
        for school, from_date, to_date in periods:
            if current is not None and current.to_date == from_date:
                current = _Stay(current.first_day, to_date, (*current.pieces, (from_date, school)))
                continue
            if current is not None:
                stays.append(current)
            current = _Stay(from_date, to_date, ((from_date, school),))
        stays.append(current)
    return stays


def time_at_tier4(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    start: date,
    end: date,
    school_id: int | None = None,
) -> TimeAtTier4View:
    """School days at Tier 4 of the stays that ended from ``start`` to ``end`` and of those
    still running at ``end``, with their median and bands (``DURATION_BANDS``).

    A stay is a pupil's Tier 4 periods end to end (``_stays``); it is counted where the school
    responsible on its last day counted (R2) is in scope: the partnership's, or ``school_id``.
    Its school days run from its first day to its last (or to ``end`` while running), both
    included, from the stored term dates.
    """
    _check_period(session, viewer, partnership, school_id, start, end)
    at_tier4 = and_(TierChange.tier == 4, TierChange.from_date <= end)
    reaching = or_(TierChange.to_date.is_(None), TierChange.to_date > start)
    pupils = select(TierChange.pupil_id).where(
        at_tier4, reaching, _at_school(TierChange, partnership, school_id)
    )
    rows = session.execute(
        select(
            TierChange.pupil_id, TierChange.school_id, TierChange.from_date, TierChange.to_date
        ).where(at_tier4, TierChange.pupil_id.in_(pupils))
    ).all()
    schools = {key for key, _name, _code in _schools_in_scope(session, partnership, school_id)}
    calendar = school_calendar(session)
    first_term_day = session.scalar(select(func.min(TermDate.start_date)))
    ended: list[int] = []
    running: list[int] = []
    before_known_terms = 0
    for stay in _stays([tuple(row) for row in rows]):
        is_running = stay.to_date is None or stay.to_date > end
        last_day = end if is_running else stay.to_date - timedelta(days=1)
        if last_day < start:
            continue
        school = [piece_school for day, piece_school in stay.pieces if day <= last_day][-1]
        if school not in schools:
            continue
        (running if is_running else ended).append(calendar.school_days_in(stay.first_day, last_day))
        if first_term_day is None or stay.first_day < first_term_day:
            before_known_terms += 1
    ended_days, running_days = tuple(sorted(ended)), tuple(sorted(running))
    return TimeAtTier4View(
        partnership=partnership,
        start=start,
        end=end,
        ended=ended_days,
        running=running_days,
        bands=duration_bands(ended_days, running_days),
        before_known_terms=before_known_terms,
    )


# --- Exclusions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermExclusions:
    """One school's (or all schools') exclusions that began in one term (R25)."""

    suspensions: int
    suspension_days: int
    permanent: int


@dataclass(frozen=True)
class SchoolExclusions:
    """One school's exclusions term by term (the excluding school, R2)."""

    school_id: int
    school: str
    partnership: str
    #: One per term of ``ExclusionsView.terms``.
    by_term: tuple[TermExclusions, ...]

    @property
    def year(self) -> TermExclusions:
        return _sum_exclusions(self.by_term)


@dataclass(frozen=True)
class NearLimitPupil:
    """R25: a pupil whose suspension days this academic year, across schools, near or pass 45."""

    case_ref: str
    #: Initials only: the statistics pages never show names.
    initials: str
    #: The partnership of the school on roll (R2), as the flag catalogue has it.
    partnership: str | None
    suspension_days: int
    #: School days of suspension left before the limit (0 at or past it).
    days_left: int
    #: R25's flag (warning from 40, critical past 45); None from 35 to 39.
    flag: Flag | None


@dataclass(frozen=True)
class ExclusionsView:
    """Suspensions and permanent exclusions per school and term of an academic year (R25)."""

    partnership: str | None
    academic_year: int
    terms: tuple[Term, ...]
    schools: tuple[SchoolExclusions, ...]
    #: Per term, all listed schools together.
    totals: tuple[TermExclusions, ...]
    #: From ``NEAR_LIMIT_FROM`` suspension days, most days first.
    near_limit: tuple[NearLimitPupil, ...]

    @property
    def label(self) -> str:
        return academic_year_label(self.academic_year)

    @property
    def year_total(self) -> TermExclusions:
        return _sum_exclusions(self.totals)


def _sum_exclusions(rows: tuple[TermExclusions, ...]) -> TermExclusions:
    return TermExclusions(
        suspensions=sum(row.suspensions for row in rows),
        suspension_days=sum(row.suspension_days for row in rows),
        permanent=sum(row.permanent for row in rows),
    )


def _sum_when(condition: ColumnElement[bool], value) -> ColumnElement[int]:
    """The sum of ``value`` over the group's rows meeting ``condition`` (portable, no FILTER)."""
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def term_index(day: ColumnElement[date], terms: tuple[Term, ...]) -> ColumnElement[int]:
    """The index of the term ``day`` falls in: the last term begun by then (a holiday belongs to
    the term before it; days before the first term, to the first)."""
    return case(
        *((day >= term.first_day, index) for index, term in reversed(list(enumerate(terms)))),
        else_=0,
    )


def exclusions_per_term(
    session: Session, terms: tuple[Term, ...], *where: ColumnElement[bool]
) -> dict[tuple[int, int], TermExclusions]:
    """(excluding school id, index in ``terms``) → its suspensions (count and school days) and
    permanent exclusions among the exclusions meeting ``where``, by the day each began (R2,
    R25); the groups with none are absent."""
    # The term is worked out in a subquery and grouped on from outside it: PostgreSQL would not
    # match a CASE of bound dates in GROUP BY to the same CASE in the select list.
    started = (
        select(
            Exclusion.school_id,
            term_index(Exclusion.start_date, terms).label("term"),
            Exclusion.kind,
            func.coalesce(Exclusion.school_days, 0).label("days"),
        )
        .where(*where)
        .subquery()
    )
    suspension = started.c.kind == "suspension"
    query = select(
        started.c.school_id,
        started.c.term,
        _sum_when(suspension, 1),
        _sum_when(suspension, started.c.days),
        _sum_when(started.c.kind == "permanent", 1),
    ).group_by(started.c.school_id, started.c.term)
    return {
        (key, index): TermExclusions(*figures) for key, index, *figures in session.execute(query)
    }


def exclusions_by_term(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    academic_year: int,
    school_id: int | None = None,
) -> ExclusionsView:
    """Per school (every school in scope, zeros too) and per term of the academic year starting
    in September ``academic_year``: suspensions (count and school days) and permanent
    exclusions, by the day they began and the excluding school (R2); and the pupils near R25's
    limit.

    R25 counts suspension days across schools: a pupil's total adds every school's suspensions
    that year, and the pupil is listed under the partnership of the school on roll (R2), as
    the flag catalogue (``queries.flags``) lists them.
    """
    check_scope(session, viewer, partnership, school_id)
    terms = tuple(term for term in _stored_terms(session) if term.academic_year == academic_year)
    if not terms:
        raise InvalidValue(
            f"Academic year: no term dates are stored for {academic_year_label(academic_year)}."
        )
    in_year = Exclusion.start_date.between(
        date(academic_year, 9, 1), date(academic_year + 1, 8, 31)
    )
    found = exclusions_per_term(
        session,
        terms,
        in_year,
        school_in_partnership(Exclusion.school_id, partnership),
        true() if school_id is None else Exclusion.school_id == school_id,
    )
    none = TermExclusions(0, 0, 0)
    schools = tuple(
        SchoolExclusions(
            school_id=key,
            school=name,
            partnership=code,
            by_term=tuple(found.get((key, index), none) for index in range(len(terms))),
        )
        for key, name, code in _schools_in_scope(session, partnership, school_id)
    )
    totals = tuple(
        _sum_exclusions(tuple(school.by_term[index] for school in schools))
        for index in range(len(terms))
    )
    return ExclusionsView(
        partnership=partnership,
        academic_year=academic_year,
        terms=terms,
        schools=schools,
        totals=totals,
        near_limit=_near_limit(session, in_year, partnership, school_id),
    )


def _near_limit(
    session: Session,
    in_year: ColumnElement[bool],
    partnership: str | None,
    school_id: int | None,
) -> tuple[NearLimitPupil, ...]:
    """R25: pupils with ``NEAR_LIMIT_FROM`` or more suspension days in the year, across schools,
    on roll in scope; flagged by ``rules.exclusions.suspension_days_limit``."""
    totals = (
        select(Exclusion.pupil_id, func.sum(Exclusion.school_days).label("days"))
        .where(Exclusion.kind == "suspension", in_year)
        .group_by(Exclusion.pupil_id)
        .having(func.sum(Exclusion.school_days) >= NEAR_LIMIT_FROM)
        .subquery()
    )
    query = (
        select(Pupil.case_ref, Partnership.code, totals.c.days)
        .join(Pupil, Pupil.id == totals.c.pupil_id)
        .outerjoin(School, School.id == Pupil.school_id)
        .outerjoin(Partnership, Partnership.id == School.partnership_id)
        .where(in_partnership(School.partnership_id, partnership))
        .order_by(totals.c.days.desc(), Pupil.case_ref)
    )
    if school_id is not None:
        query = query.where(Pupil.school_id == school_id)
    rows = session.execute(query).all()
    initials = pupil_labels(session, (row[0] for row in rows), full_names=False)
    return tuple(
        NearLimitPupil(
            case_ref=case_ref,
            initials=initials.get(case_ref, ""),
            partnership=code,
            suspension_days=days,
            days_left=max(SUSPENSION_LIMIT_DAYS - days, 0),
            flag=suspension_days_limit(SuspensionTotal(case_ref, code, days)),
        )
        for case_ref, code, days in rows
    )
