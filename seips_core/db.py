"""The one place that opens the database.

SQLite (the embedded default) gets WAL, a busy timeout and foreign keys on every connection,
and write sessions begin ``IMMEDIATE`` so that two writers queue on the busy timeout instead
of failing with "database is locked" when one upgrades a read lock. Its file (and so the WAL
and shared-memory files SQLite makes beside it, which take the file's permissions) is readable
by its owner only: it holds children's records. PostgreSQL (psycopg 3) gets the same wait as a
lock timeout. A writer that waits longer than that gets ``StoreBusy``, in plain words.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from . import audit
from .config import database_url
from .errors import Conflict, StoreBusy

#: How long a writer waits for another's lock before it is told the store is busy.
BUSY_TIMEOUT_MS = 30_000
#: The store's files: owner only (read and write).
OWNER_ONLY = 0o600
#: SQLite's "database is locked" and "database table is locked" (primary result codes).
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
#: PostgreSQL's lock_not_available (lock_timeout ran out) and deadlock_detected.
_PG_LOCK_STATES = ("55P03", "40P01")

BUSY = (
    "The store is busy with another change (an import, perhaps): nothing was saved. "
    "Try again in a moment."
)


def _normalise(url: str) -> str:
    """Use psycopg 3 for a plain ``postgresql://`` URL (SQLAlchemy would pick psycopg2)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def _owner_only(database: str | None) -> None:
    """Make a SQLite store's files owner-only, however they were made (a file copied in, an
    older store); a file the process may not change keeps its mode."""
    if not database or database == ":memory:":
        return
    for name in (database, f"{database}-wal", f"{database}-shm"):
        with suppress(FileNotFoundError, PermissionError):
            if Path(name).stat().st_mode & 0o777 != OWNER_ONLY:
                os.chmod(name, OWNER_ONLY)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        _owner_only(engine.url.database)
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        immediate = connection.get_execution_options().get("seips_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """The process's engine for ``url`` (default: ``SEIPS_DATABASE_URL`` as it is now)."""
    return _engine_for(_normalise(url or database_url()))


def new_engine(url: str) -> Engine:
    """A new engine (and connection pool) for ``url``, tuned as the process's own.

    The dashboard and the command line share one per URL (``get_engine``); a test of several
    writers at once gives each its own, as separate processes would have.
    """
    url = _normalise(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        )
        _tune_sqlite(engine)
    else:
        # JIT compilation pays off for hour-long analytics, not for a dashboard's queries of a
        # few hundred milliseconds: it added 70-100 ms to some of the flag queries.
        options = f"-c jit=off -c lock_timeout={BUSY_TIMEOUT_MS}"
        engine = create_engine(url, pool_pre_ping=True, connect_args={"options": options})
    return engine


#: Made once per URL and process: the engine owns the connection pool.
_engine_for = cache(new_engine)


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    """A short-lived session for queries; it never writes."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(actor: str, engine: Engine | None = None) -> Iterator[Session]:
    """One write transaction, audited as ``actor``: committed whole or not at all.

    A stale optimistic-lock update becomes ``Conflict``, a lock waited for in vain
    ``StoreBusy``; any other error rolls everything back, audit rows included, and propagates.
    """
    bind = (engine or get_engine()).execution_options(seips_write=True)
    with Session(bind, expire_on_commit=False) as session:
        audit.attach(session, actor)
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise Conflict(
                "This record was changed by someone else since you opened it: "
                "reload to see their change, then make yours again."
            ) from exc
        except OperationalError as exc:
            session.rollback()
            if is_busy(exc):
                raise StoreBusy(BUSY) from exc
            raise
        except BaseException:
            session.rollback()
            raise


def is_busy(error: DBAPIError) -> bool:
    """Did the database give up waiting for another transaction's lock?"""
    cause = error.orig
    if getattr(cause, "sqlstate", None) in _PG_LOCK_STATES:
        return True
    return getattr(cause, "sqlite_errorcode", 0) & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
