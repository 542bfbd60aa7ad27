"""A ranked list of schools for one Fair Access case, with reasons in words, for the panel.

The panel decides; this only orders the member schools of the case's partnership (R1, R2)
the way R23 asks panels to weigh them: furthest below its fair share for the child's year
group this academic year first, then whoever has gone longest without an allocation (whose
turn it is), then by name. Schools the child cannot fairly go to are listed after, each
with why: a school that permanently excluded the child, one that refused this case (R22),
and the child's current school.
"""

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session

from ..auth.roles import Actor
from ..auth.scope import in_scope
from ..models import Exclusion, FairAccessCase, FairAccessRefusal, Pupil
from ..rules.fair_share import FairShare, fair_shares
from ..rules.flag import when
from ..school_days import academic_year_start
from .fairness import allocation_counts, last_allocations, latest_by_school, member_schools

__all__ = ["SchoolSuggestion", "suggest_schools"]

#: A difference from the fair share smaller than this prints as "at its fair share".
_SHOWN_AS_AT_SHARE = 0.05


@dataclass(frozen=True)
class SchoolSuggestion:
    """One member school for the case: its place in the ranking, or why it is left out."""

    school_id: int
    school: str
    #: 1 for the first suggestion; None for a school left out.
    rank: int | None
    #: R23: the school's allocations to the case's year group this academic year.
    allocations: int
    fair_share: float
    #: Allocations minus fair share: the most negative is furthest below and ranked first.
    difference: float
    last_allocation: date | None
    #: What the ranking weighed, in words ("2.1 below its fair share for Year 9 this year (R23)").
    reasons: tuple[str, ...]
    #: Why the school is not suggested ("excluded: …"); empty for a suggested school.
    excluded: tuple[str, ...]

    @property
    def suggested(self) -> bool:
        return not self.excluded


def suggest_schools(
    session: Session, viewer: Actor, case_id: int, *, on: date
) -> tuple[SchoolSuggestion, ...]:
    """The member schools of case ``case_id``'s partnership as seen on ``on``: the suggested
    ones ranked, then the excluded ones by name, each with its reasons."""
    # R2: the case's partnership decides which schools may take the child.
    fa_case = in_scope(session, viewer, FairAccessCase, case_id).row
    current_school = session.get(Pupil, fa_case.pupil_id).school_id
    schools = member_schools(session, fa_case.partnership_id)
    year_start = date(academic_year_start(on), 9, 1)
    shares = fair_shares(
        {school.id: school.number_on_roll for school in schools},
        allocation_counts(
            session, fa_case.partnership_id, start=year_start, end=on,
            year_group=fa_case.year_group,
        ),
    )  # fmt: skip
    last = last_allocations(session, fa_case.partnership_id, until=on)
    barred = _barred(session, fa_case, current_school)
    candidates = [
        SchoolSuggestion(
            school_id=school.id,
            school=school.name,
            rank=None,
            allocations=share.allocations,
            fair_share=share.fair_share,
            difference=share.difference,
            last_allocation=last.get(school.id),
            reasons=_reasons(share, last.get(school.id), fa_case.year_group),
            excluded=barred.get(school.id, ()),
        )
        for school, share in zip(schools, shares, strict=True)
    ]
    ranked = sorted(
        (school for school in candidates if school.suggested),
        key=lambda s: (s.difference, s.last_allocation or date.min, s.school),
    )
    left_out = sorted((s for s in candidates if not s.suggested), key=lambda s: s.school)
    return (*(replace(s, rank=rank) for rank, s in enumerate(ranked, start=1)), *left_out)


def _reasons(share: FairShare, last_day: date | None, year_group: int) -> tuple[str, ...]:
    """R23 in words: the school against its fair share, and its turn."""
    gap = share.difference
    if abs(gap) < _SHOWN_AS_AT_SHARE:
        against = f"at its fair share for Year {year_group} this year (R23)"
    else:
        side = "below" if gap < 0 else "above"
        against = f"{abs(gap):.1f} {side} its fair share for Year {year_group} this year (R23)"
    turn = f"no allocation since {when(last_day)}" if last_day else "no allocation on record"
    return against, turn


def _barred(
    session: Session, fa_case: FairAccessCase, current_school: int | None
) -> dict[int, tuple[str, ...]]:
    """School id → why the child should not be placed there: a permanent exclusion of the
    child (R23), a refusal of this case (R22), the child's current school."""
    permanently_excluded = latest_by_school(
        session,
        Exclusion.school_id,
        Exclusion.start_date,
        Exclusion.pupil_id == fa_case.pupil_id,
        Exclusion.kind == "permanent",
    )
    refused = latest_by_school(
        session,
        FairAccessRefusal.school_id,
        FairAccessRefusal.logged_date,
        FairAccessRefusal.case_id == fa_case.id,
        FairAccessRefusal.kind == "refusal",
    )
    why: dict[int, list[str]] = {}
    for school_id, day in permanently_excluded.items():
        why.setdefault(school_id, []).append(
            f"excluded: permanently excluded the child in {day.year} (R23)"
        )
    for school_id, day in refused.items():
        why.setdefault(school_id, []).append(f"excluded: refused this child on {when(day)} (R22)")
    if current_school is not None:
        why.setdefault(current_school, []).append("excluded: the child's current school")
    return {school_id: tuple(reasons) for school_id, reasons in why.items()}
