"""What keeps the services right when several people save at once, on either engine.

Where a read decides a write, a service locks the row the decision hangs on before reading
(``locked``: ``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write transactions are serial
already, ``BEGIN IMMEDIATE`` in ``db.write_session``): a meeting for its agenda, invitations,
actions and decisions; a pupil for its placements and roll; a placement for its reviews; a
user for their account. A second writer waits for the first to commit, then reads what it
saved and answers as if it had come a moment later: a ``Conflict`` naming who saved first
(``changed_by``) where the user saw an older version, otherwise its own change on top.

What has no row to lock yet (a first setting or rate, a new account) is backed by a unique
index, and ``retried`` runs the service again when the database refuses the second writer:
the run again reads what the first saved. A unique index that still refuses a writer (a bug,
or a writer that took no lock) so ends as a ``Conflict``, never as an ``IntegrityError``. A
check across rows that no index can state (terms that must not overlap, R21) takes the
table's write lock (``lock_table``), which writers of that table alone wait for.
"""

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel

from .errors import Conflict
from .models import AuditEntry, User

#: How often a service runs at most when the database refuses it for a concurrent writer.
ATTEMPTS = 3
#: PostgreSQL's unique violation, serialization failure and deadlock.
_LOST_RACE_STATES = frozenset({"23505", "40001", "40P01"})
SAVED_AT_ONCE = (
    "Someone else saved the same change at the same moment: reload to see theirs, then make "
    "yours again if it is still needed."
)

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=SQLModel)


def locked(session: Session, model: type[M], row_id: int) -> M | None:
    """Row ``row_id`` of ``model`` read afresh and locked until the transaction ends.

    A copy the session read before (unlocked, maybe older) is forgotten first: SQLAlchemy
    would take a newer version read over it for a stale update. Lock before changing a row.
    """
    held = session.identity_map.get(session.identity_key(model, row_id))
    if held is not None:
        session.expire(held)
    return session.get(model, row_id, with_for_update=True, populate_existing=True)


def lock_table(session: Session, model: type[SQLModel]) -> None:
    """Hold off other writers of ``model``'s table (not its readers) until the transaction
    ends; SQLite's write transactions are serial already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"LOCK TABLE {model.__tablename__} IN SHARE ROW EXCLUSIVE MODE"))


def lost_race(error: DBAPIError) -> bool:
    """Did the database refuse this writer only because another saved at the same time?"""
    cause = error.orig
    if isinstance(cause, sqlite3.IntegrityError):
        return str(cause).startswith("UNIQUE constraint failed")
    return getattr(cause, "sqlstate", None) in _LOST_RACE_STATES


def retried(service: Callable[P, R]) -> Callable[P, R]:
    """Run ``service`` again (each time a new transaction) when it lost a race in the
    database; after ``ATTEMPTS`` runs, a ``Conflict`` rather than the database's error."""

    @wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        attempt = 1
        while True:
            try:
                return service(*args, **kwargs)
            except DBAPIError as error:
                if not lost_race(error):
                    raise
                if attempt == ATTEMPTS:
                    raise Conflict(SAVED_AT_ONCE) from error
            attempt += 1

    return run


def changed_by(session: Session, model: type[SQLModel], row_id: int | None) -> str | None:
    """ "Jo Smith at 10:42": who last saved row ``row_id`` of ``model`` and when, from the
    audit trail (the user's name where they have an account); None if the trail has nothing."""
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.table_name == model.__tablename__, AuditEntry.row_id == row_id)
        .order_by(AuditEntry.id.desc())
    ).first()
    if entry is None:
        return None
    return who_at(session, entry.actor, entry.at)


def who_at(session: Session, email: str, at: datetime) -> str:
    """ "Jo Smith at 10:42" for the account ``email`` (or ``email`` itself) at ``at``."""
    # Imported here: ``auth`` imports this module (its account services are retried).
    from .auth.local_time import clock_time

    name = session.scalars(select(User.display_name).where(User.email == email)).first()
    at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return f"{name or email} at {clock_time(at)}"
