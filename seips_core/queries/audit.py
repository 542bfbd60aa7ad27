"""The audit trail as a chair or county admin reads it: who changed what, when, about which case.

Only chairs and county admins read the trail. A county admin sees all of it. A chair sees, for
the partnerships they chair:

* every entry about a pupil of those partnerships (R2: the partnership of the school on roll),
  whoever made it: the pupil's own row and every row holding its ``pupil_id`` (tier changes,
  placements, referrals, exclusions, agenda items);
* entries about no pupil (meetings, schools, settings, sign-ins) made by users who work for one
  of those partnerships.

An entry about another partnership's pupil stays hidden even when a colleague shared between
partnerships made it, so a chair never learns of another partnership's cases. Names and dates
of birth never leave here: an update to them shows only that it happened.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import JSON, ColumnElement, Select, and_, case, cast, func, or_, select, type_coerce
from sqlmodel import Session

from ..audit_chain import REDACTION
from ..auth.local_time import COUNTY_TIME, start_of_day
from ..auth.roles import Actor, Capability, require
from ..auth.scope import in_scope
from ..models import AuditEntry, Partnership, Pupil, School, User, UserPartnership

#: Fields whose values an audit screen never shows: only that they changed.
PRIVATE_FIELDS = frozenset({"first_name", "last_name", "date_of_birth"})
HIDDEN, CHANGED = "(hidden)", "(changed)"
#: Bookkeeping that changes with every update and tells a reader nothing.
_UNSHOWN_FIELDS = frozenset({"version"})


class Change(NamedTuple):
    """One field of an updated row: its value before and after (or only that it changed)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditRow:
    """One entry of the trail as shown: ``at`` on the UK clock, ``changes`` for updates only."""

    at: datetime
    actor: str
    action: str
    table: str
    row_id: int | None
    case_ref: str | None
    changes: tuple[Change, ...]


def audit_entries(
    session: Session,
    viewer: Actor,
    *,
    case_ref: str | None = None,
    actor_email: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = 500,
) -> list[AuditRow]:
    """The entries ``viewer`` may read, newest first, narrowed by case, author and UK days.

    ``since`` and ``until`` are inclusive days on the UK clock. A case of a partnership the
    viewer does not chair is refused (``NotAllowed``), not silently empty.
    """
    require(viewer, Capability.VIEW_AUDIT, doing="read the audit trail")
    pupil_id = _subject_pupil_id(session)
    query = (
        select(AuditEntry, Pupil.case_ref, Partnership.code)
        .outerjoin(Pupil, Pupil.id == pupil_id)
        .outerjoin(School, School.id == Pupil.school_id)
        .outerjoin(Partnership, Partnership.id == School.partnership_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    if not viewer.sees_all:
        query = query.where(_visible_to_chair(viewer, pupil_id))
    if case_ref is not None:
        case_pupil = _case_pupil(session, viewer, case_ref)
        if case_pupil is None:
            return []
        query = query.where(pupil_id == case_pupil)
    query = _narrowed(query, actor_email, since, until)
    return [_row(entry, ref) for entry, ref, _code in session.execute(query)]


def case_history(session: Session, viewer: Actor, case_ref: str) -> list[AuditRow]:
    """Every entry about one pupil, newest first: the pupil's row and every row naming them."""
    return audit_entries(session, viewer, case_ref=case_ref, limit=None)


def _subject_pupil_id(session: Session) -> ColumnElement[int]:
    """The pupil an entry is about: the pupil row itself, or the ``pupil_id`` in its values."""
    json_of = cast if session.get_bind().dialect.name == "postgresql" else type_coerce
    before, after = json_of(AuditEntry.before, JSON), json_of(AuditEntry.after, JSON)
    return case(
        (AuditEntry.table_name == Pupil.__tablename__, AuditEntry.row_id),
        else_=func.coalesce(after["pupil_id"].as_integer(), before["pupil_id"].as_integer()),
    )


def _visible_to_chair(viewer: Actor, pupil_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The module docstring's choice: their partnerships' pupils, and their colleagues' work."""
    codes = sorted(viewer.partnerships)
    colleagues = (
        select(User.email)
        .join(UserPartnership, UserPartnership.user_id == User.id)
        .join(Partnership, Partnership.id == UserPartnership.partnership_id)
        .where(Partnership.code.in_(codes))
    )
    return or_(
        Partnership.code.in_(codes),
        and_(pupil_id.is_(None), AuditEntry.actor.in_(colleagues)),
    )


def _case_pupil(session: Session, viewer: Actor, case_ref: str) -> int | None:
    """The id of the pupil ``case_ref``, if the viewer may read about them (None: no such case)."""
    found = session.scalars(select(Pupil.id).where(Pupil.case_ref == case_ref)).first()
    if found is None:
        return None
    return in_scope(session, viewer, Pupil, found, field="Case reference").row.id


def _narrowed(
    query: Select, actor_email: str | None, since: date | None, until: date | None
) -> Select:
    if actor_email is not None:
        query = query.where(AuditEntry.actor == actor_email.strip().lower())
    if since is not None:
        query = query.where(AuditEntry.at >= start_of_day(since))
    if until is not None:
        query = query.where(AuditEntry.at < start_of_day(until + timedelta(days=1)))
    return query


def _row(entry: AuditEntry, case_ref: str | None) -> AuditRow:
    before = json.loads(entry.before) if entry.before else {}
    after = json.loads(entry.after) if entry.after else {}
    if case_ref is None and entry.table_name == Pupil.__tablename__:
        case_ref = (after or before).get("case_ref")  # a deleted pupil's own row
    return AuditRow(
        at=entry.at.astimezone(COUNTY_TIME),
        actor=entry.actor,
        action=entry.action,
        table=entry.table_name,
        row_id=entry.row_id,
        case_ref=case_ref,
        changes=_shown_changes(entry, before, after),
    )


def _shown_changes(entry: AuditEntry, before: dict, after: dict) -> tuple[Change, ...]:
    """An update's changed fields; for a redaction by the retention schedule, how many entries
    it redacted, not their thousands of digests (only ``seips audit verify`` reads those)."""
    if entry.table_name == REDACTION:
        redacted = len(after.get("redacted", {}))
        return (Change("entries redacted by the retention schedule", None, redacted),)
    return _changes(before, after) if entry.action == "update" else ()


def _changes(before: dict, after: dict) -> tuple[Change, ...]:
    """The fields an update changed, private ones shown only as changed."""
    return tuple(
        Change(field, HIDDEN, CHANGED)
        if field in PRIVATE_FIELDS
        else Change(field, before.get(field), after.get(field))
        for field in sorted(before.keys() | after.keys())
        if field not in _UNSHOWN_FIELDS and before.get(field) != after.get(field)
    )
