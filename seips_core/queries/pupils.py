"""Pupils as a page may name them: initials on the wall, full names only when asked for."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..models import Pupil
from .scope import school_in_partnership

#: Case references looked up per statement: well under SQLite's bound-parameter limit.
_BATCH = 900


def pupil_labels(session: Session, case_refs: Iterable[str], *, full_names: bool) -> dict[str, str]:
    """Initials ("J. S.") or, with ``full_names``, names ("Jane Smith") of ``case_refs``.

    The label is built in the database, so that in projection mode only the first letters
    ever leave it: a full name cannot reach the wall by mistake. References that name no
    pupil (a provider, a school) are simply absent.
    """
    if full_names:
        label = Pupil.first_name + " " + Pupil.last_name
    else:
        label = (
            func.upper(func.substr(Pupil.first_name, 1, 1))
            + ". "
            + func.upper(func.substr(Pupil.last_name, 1, 1))
            + "."
        )
    found: dict[str, str] = {}
    wanted = sorted(set(case_refs))
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        rows = session.execute(select(Pupil.case_ref, label).where(Pupil.case_ref.in_(batch)))
        found.update({case_ref: text for case_ref, text in rows})
    return found


@dataclass(frozen=True)
class PupilChoice:
    """A pupil on a school's roll, as a form offers them."""

    pupil_id: int
    case_ref: str
    label: str
    school_id: int


def pupils_on_roll(
    session: Session, viewer: Actor, partnership: str | None, *, full_names: bool = False
) -> tuple[PupilChoice, ...]:
    """The pupils on the roll of a school of ``partnership`` (R2; None: the county, for a
    viewer who sees all), by case reference: whom a co-ordinator may place (R17)."""
    require_partnership(viewer, partnership)
    rows = session.execute(
        select(Pupil.id, Pupil.case_ref, Pupil.school_id)
        .where(Pupil.school_id.is_not(None), school_in_partnership(Pupil.school_id, partnership))
        .order_by(Pupil.case_ref)
    ).all()
    labels = pupil_labels(
        session, [row.case_ref for row in rows], full_names=full_names and viewer.may("see_names")
    )
    return tuple(
        PupilChoice(pupil_id, case_ref, labels.get(case_ref, ""), school_id)
        for pupil_id, case_ref, school_id in rows
    )
