"""When a signed-in session ends: after a spell without activity, and after a working day.

Pure functions of times, so the page layer only stores two timestamps and asks.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lasts idle, and at most (a shared screen left signed in overnight)."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=10)


def _spell(length: timedelta) -> str:
    minutes = round(length.total_seconds() / 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def expired(
    signed_in_at: datetime,
    last_seen: datetime,
    now: datetime,
    policy: SessionPolicy = SessionPolicy(),
) -> str | None:
    """Why the session has ended, for the page to say; None while it is still valid.

    A session ends once a full ``idle`` spell has passed since ``last_seen``, or a full
    ``absolute`` spell since ``signed_in_at``, whichever comes first (the limit itself ends it).
    """
    if now - signed_in_at >= policy.absolute:
        return (
            f"You were signed out: a session lasts at most {_spell(policy.absolute)}. "
            "Sign in again to carry on."
        )
    if now - last_seen >= policy.idle:
        return (
            f"You were signed out after {_spell(policy.idle)} without activity. "
            "Sign in again to carry on."
        )
    return None
