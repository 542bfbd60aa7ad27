"""The Fair Access case list: every case of a partnership with its stage and clocks (R13, R20–R22).

One read for the cases (with the allocated school and the R22 refusals and delays counted in
SQL), one for their R20 categories, the term dates for R21's school days, and the flags as
``county_flags`` raises them. The stage and the clocks are worked out by the pure functions of
``rules.fair_access_stage``; the flags are never re-derived here.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, select, true
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..models import (
    FairAccessCase,
    FairAccessCategory,
    FairAccessRefusal,
    Partnership,
    Pupil,
    School,
)
from ..models.choices import FAIR_ACCESS_CATEGORIES
from ..rules.fair_access_stage import (
    AllocationClock,
    CaseDates,
    Eligibility,
    OnRollClock,
    Stage,
    allocation_clock,
    case_order,
    days_out_of_education,
    eligibility,
    on_roll_clock,
    stage_of,
)
from ..rules.flag import Flag
from .flags import county_flags, school_calendar
from .pupils import pupil_labels
from .scope import in_partnership

__all__ = ["CaseRow", "fair_access_cases"]

#: R20's categories in the order docs/rules.md lists them, for a steady display.
_CATEGORY_ORDER = {key: index for index, key in enumerate(FAIR_ACCESS_CATEGORIES)}


@dataclass(frozen=True)
class CaseRow:
    """One Fair Access case as the list shows it on a day."""

    case_id: int
    case_ref: str
    #: Initials, or the full name when asked for and the viewer may see names.
    label: str
    partnership: str
    #: The year group the child was referred for (R23 weighs allocations by it).
    year_group: int
    #: R20: the categories that apply, in docs/rules.md's words.
    categories: tuple[str, ...]
    unplaced: bool
    eligibility: Eligibility
    stage: Stage
    #: R21: None until the case is accepted.
    allocation_clock: AllocationClock | None
    #: R13: None until the decision is taken.
    on_roll_clock: OnRollClock | None
    #: Calendar days from the referral to on roll, or to the day asked.
    days_out_of_education: int
    #: The school allocated at the decision; None before it.
    allocated_school: str | None
    #: R22: the allocated school's refusals and delays logged on this case by the day asked.
    refusals: int
    delays: int
    #: Every flag ``county_flags`` raises on the child's case reference that day.
    flags: tuple[Flag, ...]

    @property
    def is_open(self) -> bool:
        """R13: open until the child is on roll."""
        return self.stage.is_open


def _cases_listed(on: date, partnership: str | None, year_group: int | None) -> ColumnElement[bool]:
    """Cases referred by ``on``, of ``partnership`` (None: the county), of one year group."""
    return and_(
        FairAccessCase.referred_date <= on,
        in_partnership(FairAccessCase.partnership_id, partnership),
        true() if year_group is None else FairAccessCase.year_group == year_group,
    )


def _categories(session: Session, listed: ColumnElement[bool]) -> dict[int, tuple[str, ...]]:
    """R20: each listed case's categories in docs/rules.md's words and order."""
    rows = session.execute(
        select(FairAccessCategory.case_id, FairAccessCategory.category)
        .join(FairAccessCase, FairAccessCase.id == FairAccessCategory.case_id)
        .where(listed)
    ).all()
    found: dict[int, list[str]] = defaultdict(list)
    for case_id, category in rows:
        found[case_id].append(category)
    return {
        case_id: tuple(
            FAIR_ACCESS_CATEGORIES[key] for key in sorted(keys, key=_CATEGORY_ORDER.__getitem__)
        )
        for case_id, keys in found.items()
    }


def fair_access_cases(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    on: date,
    full_names: bool = False,
    year_group: int | None = None,
) -> tuple[CaseRow, ...]:
    """Every Fair Access case referred by ``on`` in ``partnership`` (None: the county, for a
    viewer who sees all), open cases first and the most urgent clock first.

    Names only when ``full_names`` is asked for and the viewer may see names; initials else.
    """
    require_partnership(viewer, partnership)
    listed = _cases_listed(on, partnership, year_group)
    logged = (
        select(
            FairAccessRefusal.case_id,
            func.sum(case((FairAccessRefusal.kind == "refusal", 1), else_=0)).label("refusals"),
            func.sum(case((FairAccessRefusal.kind == "delay", 1), else_=0)).label("delays"),
        )
        .where(FairAccessRefusal.logged_date <= on)
        .group_by(FairAccessRefusal.case_id)
        .subquery()
    )
    rows = session.execute(
        select(
            FairAccessCase.id,
            Pupil.case_ref,
            Partnership.code,
            FairAccessCase.year_group,
            FairAccessCase.unplaced,
            FairAccessCase.referred_date,
            FairAccessCase.eligibility_checked_date,
            FairAccessCase.accepted_date,
            FairAccessCase.decision_date,
            FairAccessCase.school_told_date,
            FairAccessCase.admissions_told_date,
            FairAccessCase.on_roll_date,
            School.name,
            func.coalesce(logged.c.refusals, 0),
            func.coalesce(logged.c.delays, 0),
        )
        .join(Pupil, Pupil.id == FairAccessCase.pupil_id)
        .join(Partnership, Partnership.id == FairAccessCase.partnership_id)
        .outerjoin(School, School.id == FairAccessCase.allocated_school_id)
        .outerjoin(logged, logged.c.case_id == FairAccessCase.id)
        .where(listed)
    ).all()
    if not rows:
        return ()
    categories = _categories(session, listed)
    calendar = school_calendar(session)
    case_refs = {row.case_ref for row in rows}
    labels = pupil_labels(session, case_refs, full_names=full_names and viewer.may("see_names"))
    flags: dict[str, list[Flag]] = defaultdict(list)
    for flag in county_flags(session, on, partnership):
        if flag.subject in case_refs:
            flags[flag.subject].append(flag)

    found: list[tuple[tuple, CaseRow]] = []
    for row in rows:
        (case_id, case_ref, code, year, unplaced, *day_columns, school, refusals, delays) = row
        dates = CaseDates(*day_columns)
        stage = stage_of(dates, on)
        allocation = allocation_clock(dates.accepted_date, dates.decision_date, on, calendar)
        on_roll = on_roll_clock(dates.decision_date, dates.on_roll_date, on)
        days_out = days_out_of_education(dates.referred_date, dates.on_roll_date, on)
        case_categories = categories.get(case_id, ())
        # A school recorded with a decision still to come is not allocated yet as on ``on``.
        decided = dates.decision_date is None or dates.decision_date <= on
        found.append(
            (
                (*case_order(stage, allocation, on_roll, days_out), case_ref, case_id),
                CaseRow(
                    case_id=case_id,
                    case_ref=case_ref,
                    label=labels.get(case_ref, case_ref),
                    partnership=code,
                    year_group=year,
                    categories=case_categories,
                    unplaced=unplaced,
                    eligibility=eligibility(unplaced, case_categories),
                    stage=stage,
                    allocation_clock=allocation,
                    on_roll_clock=on_roll,
                    days_out_of_education=days_out,
                    allocated_school=school if decided else None,
                    refusals=refusals,
                    delays=delays,
                    flags=tuple(flags.get(case_ref, ())),
                ),
            )
        )
    return tuple(row for _key, row in sorted(found, key=lambda pair: pair[0]))
