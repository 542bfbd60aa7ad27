"""Session expiry at its boundaries: idle for 30 minutes, or signed in for 10 hours."""

from datetime import UTC, datetime, timedelta

from seips_core.auth.sessions import SessionPolicy, expired

SIGNED_IN = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
IDLE, ABSOLUTE = timedelta(minutes=30), timedelta(hours=10)


def test_the_default_policy_is_30_minutes_idle_and_10_hours_at_most():
    assert SessionPolicy() == SessionPolicy(idle=IDLE, absolute=ABSOLUTE)


def test_a_session_just_used_is_valid():
    assert expired(SIGNED_IN, SIGNED_IN, SIGNED_IN + SECOND, SessionPolicy()) is None


def test_idle_one_second_short_of_30_minutes_is_still_valid():
    assert expired(SIGNED_IN, SIGNED_IN, SIGNED_IN + IDLE - SECOND, SessionPolicy()) is None


def test_idle_for_exactly_30_minutes_ends_the_session_saying_why():
    reason = expired(SIGNED_IN, SIGNED_IN, SIGNED_IN + IDLE, SessionPolicy())
    assert reason is not None and "after 30 minutes without activity" in reason


def test_an_active_session_one_second_short_of_10_hours_is_still_valid():
    now = SIGNED_IN + ABSOLUTE - SECOND
    assert expired(SIGNED_IN, now - SECOND, now, SessionPolicy()) is None


def test_ten_hours_after_signing_in_ends_even_an_active_session():
    now = SIGNED_IN + ABSOLUTE
    reason = expired(SIGNED_IN, now - SECOND, now, SessionPolicy())
    assert reason is not None and "at most 10 hours" in reason


def test_a_policy_of_other_lengths_says_its_own_lengths():
    policy = SessionPolicy(idle=timedelta(minutes=1), absolute=timedelta(hours=1))
    now = SIGNED_IN + timedelta(minutes=2)
    assert "after 1 minute without" in expired(SIGNED_IN, SIGNED_IN, now, policy)
    assert "at most 1 hour." in expired(SIGNED_IN, now, SIGNED_IN + timedelta(hours=1), policy)
