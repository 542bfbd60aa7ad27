"""Writes the audit trail in the same transaction as the change it records.

Every ORM insert, update and delete made through ``db.write_session`` gets one
``AuditEntry``, written by an ``after_flush`` hook with a plain INSERT on the same connection,
so a change that rolls back leaves no audit row and an audit row never outlives its change.

Every entry goes in through ``append_entries``, which chains it to the one before by a hash
(``audit_chain``). The trail is append-only: a session that would change or delete an
``AuditEntry``, or add one by hand, is refused before anything reaches the database, and the
database's own triggers refuse a plain SQL UPDATE or DELETE. A column marked
``info={"audit": "secret"}`` (a password hash) is recorded only as set, changed or empty,
never its value.
"""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session, SQLModel

from .audit_chain import GENESIS, chained
from .change_scopes import bump
from .errors import NotAllowed
from .models import AuditEntry

_ACTOR = "seips_actor"
APPEND_ONLY = "The audit trail is append-only: an audit entry cannot be changed or deleted."
BY_HAND = "An audit entry is written by the audit trail itself (append_entries), not added by hand."
#: The PostgreSQL advisory lock that queues writers of the trail (any fixed number of our own).
CHAIN_LOCK = 5_331_011_011


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
    """No session, audited or not, may change or delete an ``AuditEntry`` it has loaded.

    Nor add one: an entry added as an object would skip ``append_entries`` and its hash.
    """
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    if any(isinstance(obj, AuditEntry) for obj in changed + list(session.deleted)):
        raise NotAllowed(APPEND_ONLY)
    if any(isinstance(obj, AuditEntry) for obj in session.new):
        raise NotAllowed(BY_HAND)


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
    append_entries(session, rows)


def append_entries(session: Session, rows: list[dict]) -> None:
    """Add ``rows`` (``AuditEntry`` fields but the hashes) to the trail, in order, chained.

    The newest entry's hash is read once per call, then every row is hashed in Python. On
    PostgreSQL two transactions could read the same newest hash and fork the chain, so appends
    queue on an advisory lock held until commit; SQLite write sessions already hold the
    database's write lock (``BEGIN IMMEDIATE``). The unique ``prev_hash`` refuses a fork anyway.

    Under the same lock, the change markers of the partnerships (or the county) the rows can
    change are set to the newest entry's id (``change_scopes.bump``): the pages' caches of
    every other partnership stay warm.
    """
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    newest = select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    prev_hash = connection.execute(newest).scalar_one_or_none() or GENESIS
    connection.execute(insert(AuditEntry), chained(prev_hash, rows))
    bump(connection, rows)
