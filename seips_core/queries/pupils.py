"""Pupils as a page may name them: initials on the wall, full names only when asked for."""

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlmodel import Session

from ..models import Pupil

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
