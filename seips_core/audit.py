"""Writes the audit trail in the same transaction as the change it records.

Every ORM insert, update and delete made through ``db.write_session`` gets one
``AuditEntry``, written by an ``after_flush`` hook with a plain INSERT on the same connection,
so a change that rolls back leaves no audit row and an audit row never outlives its change.

The trail is append-only: a session that would change or delete an ``AuditEntry`` is refused
before anything reaches the database. A column marked ``info={"audit": "secret"}`` (a password
hash) is recorded only as set, changed or empty, never its value.
"""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session, SQLModel

from .errors import NotAllowed
from .models import AuditEntry

_ACTOR = "seips_actor"
APPEND_ONLY = "The audit trail is append-only: an audit entry cannot be changed or deleted."


def attach(session: Session, actor: str) -> None:
    """Audit every flush of ``session`` as done by ``actor``."""
    session.info[_ACTOR] = actor


def _plain(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _secret(value: object, *, replaced: bool) -> str | None:
    """What the trail says of a secret: empty, set, or changed by this write."""
    if value is None:
        return None
    return "(changed)" if replaced else "(set)"


def _values(obj: SQLModel, *, before: bool) -> dict:
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if before and history.deleted:
            value = history.deleted[0]
        elif before:
            value = history.unchanged[0] if history.unchanged else None
        else:
            value = getattr(obj, attr.key)
        if attr.columns[0].info.get("audit") == "secret":
            values[attr.key] = _secret(value, replaced=not before and bool(history.deleted))
        else:
            values[attr.key] = _plain(value)
    return values


def _dump(values: dict | None) -> str | None:
    return None if values is None else json.dumps(values, sort_keys=True)


@event.listens_for(Session, "before_flush")
def _refuse_rewriting_the_trail(session: Session, _context, _instances) -> None:
    """No session, audited or not, may change or delete an ``AuditEntry`` it has loaded."""
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    if any(isinstance(obj, AuditEntry) for obj in changed + list(session.deleted)):
        raise NotAllowed(APPEND_ONLY)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_rewrites_of_the_trail(state: ORMExecuteState) -> None:
    """Nor an ORM ``update(AuditEntry)`` or ``delete(AuditEntry)`` statement."""
    if (state.is_update or state.is_delete) and state.bind_mapper is inspect(AuditEntry):
        raise NotAllowed(APPEND_ONLY)


@event.listens_for(Session, "after_flush")
def _record(session: Session, _context) -> None:
    actor = session.info.get(_ACTOR)
    if actor is None:
        return
    now = datetime.now(UTC)
    rows = []
    changes = (
        [("insert", obj) for obj in session.new]
        + [("update", obj) for obj in session.dirty if session.is_modified(obj)]
        + [("delete", obj) for obj in session.deleted]
    )
    for action, obj in changes:
        if isinstance(obj, AuditEntry):
            continue  # an entry added by hand (only inserts get this far)
        before = None if action == "insert" else _values(obj, before=True)
        after = None if action == "delete" else _values(obj, before=False)
        rows.append(
            {
                "at": now,
                "actor": actor,
                "action": action,
                "table_name": obj.__tablename__,
                "row_id": getattr(obj, "id", None),
                "before": _dump(before),
                "after": _dump(after),
            }
        )
    if rows:
        append_entries(session, rows)


def append_entries(session: Session, rows: list[dict]) -> None:
    """Insert audit entries (dicts of ``AuditEntry`` columns) on the session's connection.

    Every entry goes in through here, whether written by the flush hook above or by a bulk
    write that bypasses the ORM's flush (an import).
    """
    session.connection().execute(insert(AuditEntry), rows)
