"""The chair's question "is it fair?": each member school's Fair Access allocations against its
fair share over a period, per year group too, with what the panel weighs (R13b, R22, R23).

An allocation is counted on the panel's decision: a case whose ``decision_date`` falls in the
period, counted against its ``allocated_school_id``. That is the moment the school's turn is
taken (R13: the school is told as soon as the decision is taken), whether or not the child is
on roll yet, so a school slow to admit does not look less loaded. Only the partnership's member
schools share allocations (R1, R3); the arithmetic is ``rules.fair_share``.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, exists, func, or_, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..errors import InvalidValue
from ..models import FairAccessCase, FairAccessRefusal, Partnership, Pupil, School
from ..rules.fair_share import Standing, fair_shares

__all__ = [
    "FairnessTotals",
    "FairnessView",
    "MemberSchool",
    "SchoolFairness",
    "allocation_counts",
    "fairness",
    "last_allocations",
    "latest_by_school",
    "member_schools",
    "partnership_id",
]

#: The year groups a pupil can be in (``Pupil``'s check constraint).
YEAR_GROUPS = range(7, 14)


@dataclass(frozen=True)
class MemberSchool:
    """A member school of a partnership and its number on roll (R3, R13b)."""

    id: int
    name: str
    urn: int
    number_on_roll: int


@dataclass(frozen=True)
class SchoolFairness:
    """One member school's row of the fairness view."""

    school_id: int
    school: str
    number_on_roll: int
    #: Allocations decided in the period (to the chosen year group, when one is chosen).
    allocations: int
    #: R13b: the period's allocations × this school's roll / the member schools' total roll.
    fair_share: float
    #: Allocations minus fair share: positive means more than its share.
    difference: float
    ratio: float | None
    standing: Standing
    #: R22: refusals and delays logged against the school in the period.
    refusals: int
    delays: int
    #: Whose turn it is (R23): its last allocation in any year group, up to the period's end.
    last_allocation: date | None
    #: Days from that allocation to the end of the period; None if it never had one.
    days_since_last: int | None
    #: R23, only when a year group is chosen (None otherwise): pupils on the school's roll in
    #: that year group who came through Fair Access, are looked after, or have an EHCP.
    fair_access_in_year_group: int | None
    lac_in_year_group: int | None
    ehcp_in_year_group: int | None


@dataclass(frozen=True)
class FairnessTotals:
    """The partnership's figures: the sums of the school rows."""

    number_on_roll: int
    allocations: int
    refusals: int
    delays: int
    fair_access_in_year_group: int | None
    lac_in_year_group: int | None
    ehcp_in_year_group: int | None


@dataclass(frozen=True)
class FairnessView:
    """A partnership's fairness view for a period and, optionally, one year group."""

    partnership: str
    start: date
    end: date
    year_group: int | None
    #: Member schools by name.
    schools: tuple[SchoolFairness, ...]
    totals: FairnessTotals
    #: Who has gone longest without an allocation: the schools that never had one, else the
    #: school(s) with the oldest last allocation.
    longest_without: tuple[str, ...]


def fairness(
    session: Session,
    viewer: Actor,
    partnership: str,
    *,
    start: date,
    end: date,
    year_group: int | None = None,
) -> FairnessView:
    """Each member school of ``partnership`` for allocations decided from ``start`` to ``end``
    (both included), for ``year_group`` only when given (R23), counted in SQL.

    The year-group pupil counts are of pupils on the school's roll at the end of the period
    (not off roll by then) whose year group is ``year_group`` as the store holds it today.
    Refusals and delays are those logged in the period (on cases of that year group, when
    one is chosen).
    """
    require_partnership(viewer, partnership)
    if start > end:
        raise InvalidValue(f"Period: the start ({start}) is after the end ({end}).")
    if year_group is not None and year_group not in YEAR_GROUPS:
        raise InvalidValue(f"Year group: {year_group} is not a year group from 7 to 13 (R23).")
    partnership_key = partnership_id(session, partnership)
    schools = member_schools(session, partnership_key)
    allocated = allocation_counts(
        session, partnership_key, start=start, end=end, year_group=year_group
    )
    shares = fair_shares({s.id: s.number_on_roll for s in schools}, allocated)
    last = last_allocations(session, partnership_key, until=end)
    refusals = _refusals(session, partnership_key, start, end, year_group)
    in_year = _year_group_pupils(session, partnership_key, end, year_group)
    rows = tuple(
        SchoolFairness(
            school_id=school.id,
            school=school.name,
            number_on_roll=school.number_on_roll,
            allocations=share.allocations,
            fair_share=share.fair_share,
            difference=share.difference,
            ratio=share.ratio,
            standing=share.standing,
            refusals=refusals.get(school.id, (0, 0))[0],
            delays=refusals.get(school.id, (0, 0))[1],
            last_allocation=last.get(school.id),
            days_since_last=(end - last[school.id]).days if school.id in last else None,
            **_in_year_group(in_year, school.id, year_group),
        )
        for school, share in zip(schools, shares, strict=True)
    )
    return FairnessView(
        partnership=partnership,
        start=start,
        end=end,
        year_group=year_group,
        schools=rows,
        totals=_totals(rows, year_group),
        longest_without=_longest_without(rows),
    )


def partnership_id(session: Session, code: str) -> int:
    """The id of partnership ``code``; ``InvalidValue`` naming the field if there is none."""
    found = session.scalar(select(Partnership.id).where(Partnership.code == code))
    if found is None:
        raise InvalidValue(f"Partnership: there is no partnership {code!r}.")
    return found


def member_schools(session: Session, partnership_key: int) -> tuple[MemberSchool, ...]:
    """The partnership's member schools by name: those that share allocations (R1, R3)."""
    return tuple(
        MemberSchool(*row)
        for row in session.execute(
            select(School.id, School.name, School.urn, School.number_on_roll)
            .where(School.partnership_id == partnership_key, School.is_member)
            .order_by(School.name, School.id)
        )
    )


def _allocated_to_member(partnership_key: int) -> ColumnElement[bool]:
    """Cases allocated to a member school of the partnership (R1, R3)."""
    members = select(School.id).where(School.partnership_id == partnership_key, School.is_member)
    return FairAccessCase.allocated_school_id.in_(members)


def allocation_counts(
    session: Session,
    partnership_key: int,
    *,
    start: date,
    end: date,
    year_group: int | None = None,
) -> dict[int, int]:
    """Member school id → allocations decided from ``start`` to ``end`` (to ``year_group``)."""
    query = (
        select(FairAccessCase.allocated_school_id, func.count(FairAccessCase.id))
        .where(
            _allocated_to_member(partnership_key),
            FairAccessCase.decision_date.between(start, end),
        )
        .group_by(FairAccessCase.allocated_school_id)
    )
    if year_group is not None:
        query = query.where(FairAccessCase.year_group == year_group)
    return {school_id: count for school_id, count in session.execute(query)}


def last_allocations(session: Session, partnership_key: int, *, until: date) -> dict[int, date]:
    """Member school id → the day of its last allocation (any year group) on or before ``until``."""
    return latest_by_school(
        session,
        FairAccessCase.allocated_school_id,
        FairAccessCase.decision_date,
        _allocated_to_member(partnership_key),
        FairAccessCase.decision_date <= until,
    )


def latest_by_school(
    session: Session,
    school_id: ColumnElement[int],
    day: ColumnElement[date],
    *where: ColumnElement[bool],
) -> dict[int, date]:
    """School id (``school_id``'s value) → the latest ``day`` of the rows meeting ``where``."""
    query = select(school_id, func.max(day)).where(*where).group_by(school_id)
    return {school: latest for school, latest in session.execute(query)}


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of a group meet ``condition`` (portable: no FILTER clause)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _refusals(
    session: Session, partnership_key: int, start: date, end: date, year_group: int | None
) -> dict[int, tuple[int, int]]:
    """R22: member school id → (refusals, delays) logged from ``start`` to ``end``."""
    members = select(School.id).where(School.partnership_id == partnership_key, School.is_member)
    query = (
        select(
            FairAccessRefusal.school_id,
            _count_where(FairAccessRefusal.kind == "refusal"),
            _count_where(FairAccessRefusal.kind == "delay"),
        )
        .where(
            FairAccessRefusal.school_id.in_(members),
            FairAccessRefusal.logged_date.between(start, end),
        )
        .group_by(FairAccessRefusal.school_id)
    )
    if year_group is not None:
        query = query.join(FairAccessCase, FairAccessCase.id == FairAccessRefusal.case_id).where(
            FairAccessCase.year_group == year_group
        )
    return {school_id: (refused, delayed) for school_id, refused, delayed in session.execute(query)}


def _year_group_pupils(
    session: Session, partnership_key: int, on: date, year_group: int | None
) -> dict[int, tuple[int, int, int]]:
    """R23: member school id → (Fair Access, LAC, EHCP) pupils on its roll in ``year_group``.

    "Came through Fair Access" means a case allocated to this very school and on roll there
    by ``on``; a looked-after child is either the county's own or another LA's (R18).
    """
    if year_group is None:
        return {}
    came_by_fair_access = exists().where(
        FairAccessCase.pupil_id == Pupil.id,
        FairAccessCase.allocated_school_id == Pupil.school_id,
        FairAccessCase.on_roll_date <= on,
    )
    rows = session.execute(
        select(
            Pupil.school_id,
            _count_where(came_by_fair_access),
            _count_where(Pupil.lac_status != "none"),
            _count_where(Pupil.ehcp),
        )
        .join(School, School.id == Pupil.school_id)
        .where(
            School.partnership_id == partnership_key,
            School.is_member,
            Pupil.year_group == year_group,
            or_(Pupil.off_roll_date.is_(None), Pupil.off_roll_date > on),
        )
        .group_by(Pupil.school_id)
    )
    return {school_id: (fa, lac, ehcp) for school_id, fa, lac, ehcp in rows}


def _in_year_group(
    counts: dict[int, tuple[int, int, int]], school_id: int, year_group: int | None
) -> dict[str, int | None]:
    """The three R23 year-group fields of one school (None when no year group is chosen)."""
    if year_group is None:
        return dict.fromkeys(_YEAR_GROUP_FIELDS)
    return dict(zip(_YEAR_GROUP_FIELDS, counts.get(school_id, (0, 0, 0)), strict=True))


_YEAR_GROUP_FIELDS = ("fair_access_in_year_group", "lac_in_year_group", "ehcp_in_year_group")


def _totals(rows: tuple[SchoolFairness, ...], year_group: int | None) -> FairnessTotals:
    def total(field: str) -> int:
        return sum(getattr(row, field) for row in rows)

    return FairnessTotals(
        number_on_roll=total("number_on_roll"),
        allocations=total("allocations"),
        refusals=total("refusals"),
        delays=total("delays"),
        **{field: None if year_group is None else total(field) for field in _YEAR_GROUP_FIELDS},
    )


def _longest_without(rows: tuple[SchoolFairness, ...]) -> tuple[str, ...]:
    """The schools never allocated one, else those whose last allocation is the oldest."""
    never = tuple(row.school for row in rows if row.last_allocation is None)
    if never or not rows:
        return never
    oldest = min(row.last_allocation for row in rows if row.last_allocation is not None)
    return tuple(row.school for row in rows if row.last_allocation == oldest)
