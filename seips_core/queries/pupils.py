"""Pupils as the wall may name them: initials only, worked out in the database."""

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlmodel import Session

from ..models import Pupil

#: Case references looked up per statement: well under SQLite's bound-parameter limit.
_BATCH = 900


def pupil_initials(session: Session, case_refs: Iterable[str]) -> dict[str, str]:
    """Initials ("J. S.") of those ``case_refs`` that are pupils' case references.

    Only the first letters leave the database, so a full name can never reach a page by
    mistake. References that name no pupil (a provider, a school) are simply absent.
    """
    initials = (
        func.upper(func.substr(Pupil.first_name, 1, 1))
        + ". "
        + func.upper(func.substr(Pupil.last_name, 1, 1))
        + "."
    )
    found: dict[str, str] = {}
    wanted = sorted(set(case_refs))
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        rows = session.execute(select(Pupil.case_ref, initials).where(Pupil.case_ref.in_(batch)))
        found.update({case_ref: letters for case_ref, letters in rows})
    return found
