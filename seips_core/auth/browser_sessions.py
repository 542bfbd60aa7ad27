"""A person's sign-in kept across reloads: one row per signed-in browser, found again by the
signed token its cookie holds (``signed_tokens``).

A reload (F5) opens a new Streamlit session, which knows nothing of the last; the page then
hands ``resume`` the cookie, and gets back the account as the store has it now and the times
that decide when the session ends, or ``SessionEnded`` saying why it is over: not recognised
(forged, altered, unknown), idle or at its absolute limit (``sessions.expired``), signed out,
or ended by a county admin or the account removed (``accounts.current_actor``).

Signing in and out are audited (the row's insert and its ``ended_at``); activity is not: it
is written when ``due``, at most once a ``TOUCH_EVERY``, by a plain statement, so a live
screen's ticks never write and the audit trail is not filled with clock updates. The idle
limit checked on a reload may therefore come up to that spell early. Rows past the absolute
limit are deleted when someone next signs in.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select, update

from ..db import read_session, write_session
from ..models import BrowserSession, User
from .accounts import current_actor
from .errors import SessionEnded
from .roles import Actor
from .sessions import SessionPolicy, expired
from .signed_tokens import checked_hash, new_token

PURPOSE = "session"
POLICY = SessionPolicy()
#: Activity is written at most this often.
TOUCH_EVERY = timedelta(minutes=1)
NOT_RECOGNISED = "This browser's sign-in was not recognised: sign in again to carry on."
SIGNED_OUT = (
    "You were signed out in this browser (another tab, perhaps). Sign in again to carry on."
)


@dataclass(frozen=True)
class Resumed:
    """A browser's session picked up again: whose, and when it began and was last active."""

    session_id: int
    actor: Actor
    signed_in_at: datetime
    last_seen: datetime


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def start(
    engine: Engine,
    actor: Actor,
    *,
    now: datetime | None = None,
    policy: SessionPolicy = POLICY,
) -> tuple[int, str]:
    """Record that ``actor`` signed in in a browser now: the session's id and the token for
    the browser's cookie (only its hash is stored)."""
    now = _now(now)
    token, token_hash = new_token(engine, PURPOSE)
    with write_session(actor.email, engine) as session:
        session.execute(
            delete(BrowserSession).where(BrowserSession.signed_in_at < now - policy.absolute)
        )
        user_id = session.scalars(select(User.id).where(User.email == actor.email)).one()
        row = BrowserSession(
            token_hash=token_hash, user_id=user_id, signed_in_at=now, last_seen=now
        )
        session.add(row)
        session.flush()
        return row.id, token


def resume(
    engine: Engine,
    cookie: str,
    *,
    now: datetime | None = None,
    policy: SessionPolicy = POLICY,
) -> Resumed:
    """The session whose token ``cookie`` holds, if it still stands; ``SessionEnded`` saying
    why not."""
    now = _now(now)
    token_hash = checked_hash(engine, PURPOSE, cookie)
    if token_hash is None:
        raise SessionEnded(NOT_RECOGNISED)
    with read_session(engine) as session:
        found = session.execute(
            select(BrowserSession, User.email)
            .join(User, User.id == BrowserSession.user_id)
            .where(BrowserSession.token_hash == token_hash)
        ).first()
    if found is None:
        raise SessionEnded(NOT_RECOGNISED)
    row, email = found
    if row.ended_at is not None:
        raise SessionEnded(SIGNED_OUT)
    reason = expired(row.signed_in_at, row.last_seen, now, policy)
    if reason:
        raise SessionEnded(reason)
    actor = current_actor(engine, email, row.signed_in_at)
    return Resumed(row.id, actor, row.signed_in_at, row.last_seen)


def check_open(engine: Engine, session_id: int) -> None:
    """``SessionEnded`` if the browser has signed out (in another tab): one lookup by id, for
    every run and every live tick."""
    with read_session(engine) as session:
        ended_at = session.scalars(
            select(BrowserSession.ended_at).where(BrowserSession.id == session_id)
        ).first()
    if ended_at is not None:
        raise SessionEnded(SIGNED_OUT)


def due(written: datetime, now: datetime) -> bool:
    """Is activity at ``now`` to be written, the last write (``written``) being a
    ``TOUCH_EVERY`` ago or more?"""
    return now - written >= TOUCH_EVERY


def touch(engine: Engine, session_id: int, *, now: datetime | None = None) -> None:
    """Record activity at ``now`` (the caller asks ``due`` first)."""
    with write_session("activity", engine) as session:
        session.execute(
            update(BrowserSession)
            .where(BrowserSession.id == session_id, BrowserSession.ended_at.is_(None))
            .values(last_seen=_now(now))
        )


def end(engine: Engine, session_id: int, email: str, *, now: datetime | None = None) -> None:
    """Sign the browser out: its cookie is refused from now on, in every tab."""
    with write_session(email, engine) as session:
        row = session.get(BrowserSession, session_id)
        if row is not None and row.ended_at is None:
            row.ended_at = _now(now)
