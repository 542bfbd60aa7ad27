"""A sign-in kept across reloads: the cookie's token picks the session up again with its own
times, or is refused saying why (not recognised, idle, too long, signed out, ended by a county
admin, account removed). Only the token's hash is stored; activity is written at most once a
minute and never audited. On each engine."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from seips_core.auth import browser_sessions
from seips_core.auth.accounts import ENDED, REMOVED, authenticate, end_sessions, remove_user
from seips_core.auth.browser_sessions import NOT_RECOGNISED, SIGNED_OUT, TOUCH_EVERY
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.errors import SessionEnded
from seips_core.auth.roles import SYSTEM_ACTOR, Role
from seips_core.auth.signed_tokens import SECRET_ENV
from seips_core.db import read_session
from seips_core.models import AuditEntry, BrowserSession

pytestmark = pytest.mark.postgres

ADMIN = SYSTEM_ACTOR("cli:test")
CO_ORDINATOR = next(a for a in DEMO_ACCOUNTS if a.role is Role.COORDINATOR)
SIGNED_IN = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def signed_in(store):
    """The co-ordinator signed in at ``SIGNED_IN``: the session's id and the cookie's token."""
    actor = authenticate(store, CO_ORDINATOR.email, CO_ORDINATOR.password)
    return browser_sessions.start(store, actor, now=SIGNED_IN)


def refusal(store, token: str, now: datetime) -> str:
    with pytest.raises(SessionEnded) as refused:
        browser_sessions.resume(store, token, now=now)
    return str(refused.value)


def test_a_reload_picks_the_session_up_with_its_own_times(store, signed_in):
    session_id, token = signed_in
    resumed = browser_sessions.resume(store, token, now=SIGNED_IN + 20 * MINUTE)
    assert resumed.session_id == session_id
    assert (resumed.actor.email, resumed.actor.role) == (CO_ORDINATOR.email, Role.COORDINATOR)
    assert resumed.signed_in_at == resumed.last_seen == SIGNED_IN


def test_only_the_tokens_hash_is_stored_and_the_trail_says_only_that_it_was_set(store, signed_in):
    session_id, token = signed_in
    random_part = token.split(".")[0]
    with read_session(store) as session:
        stored = session.get(BrowserSession, session_id)
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "browser_session")
        ).one()
    assert random_part not in stored.token_hash and len(stored.token_hash) == 64
    assert (entry.actor, entry.action) == (CO_ORDINATOR.email, "insert")
    assert json.loads(entry.after)["token_hash"] == "(set)"
    assert random_part not in entry.after


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        lambda token: ("A" if token[0] != "A" else "B") + token[1:],  # token altered
        lambda token: token.split(".")[0],  # no signature
        lambda token: "",
        lambda token: "not a token at all",
    ],
    ids=["signature", "token", "unsigned", "empty", "junk"],
)
def test_a_forged_or_altered_cookie_is_refused(store, signed_in, tamper):
    assert refusal(store, tamper(signed_in[1]), SIGNED_IN + MINUTE) == NOT_RECOGNISED


def test_a_well_signed_token_the_store_never_issued_is_refused(store, signed_in):
    """Signed with the store's key but never started (say the row was deleted): unknown."""
    from seips_core.auth.signed_tokens import new_token

    token, _hash = new_token(store, browser_sessions.PURPOSE)
    assert refusal(store, token, SIGNED_IN + MINUTE) == NOT_RECOGNISED


def test_a_wall_links_token_is_not_a_sign_in(store):
    from seips_core.auth.signed_tokens import new_token

    token, _hash = new_token(store, "wall")
    assert refusal(store, token, SIGNED_IN) == NOT_RECOGNISED


def test_another_key_makes_every_cookie_unrecognised(store, signed_in, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "x" * 40)
    assert refusal(store, signed_in[1], SIGNED_IN + MINUTE) == NOT_RECOGNISED


def test_a_short_secret_is_a_set_up_mistake_said_plainly(store, signed_in, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "too short")
    with pytest.raises(ValueError, match="SEIPS_COOKIE_SECRET must be at least 32 characters"):
        browser_sessions.resume(store, signed_in[1], now=SIGNED_IN)


def test_idle_for_the_limit_ends_it_on_reload(store, signed_in):
    _id, token = signed_in
    assert browser_sessions.resume(store, token, now=SIGNED_IN + 30 * MINUTE - MINUTE)
    assert "after 30 minutes without activity" in refusal(store, token, SIGNED_IN + 30 * MINUTE)


def test_activity_written_keeps_it_going_until_the_absolute_limit(store, signed_in):
    session_id, token = signed_in
    for minutes in range(20, 600, 20):  # active every 20 minutes for 10 hours
        browser_sessions.touch(store, session_id, now=SIGNED_IN + minutes * MINUTE)
    resumed = browser_sessions.resume(store, token, now=SIGNED_IN + 599 * MINUTE)
    assert resumed.last_seen == SIGNED_IN + 580 * MINUTE
    assert "at most 10 hours" in refusal(store, token, SIGNED_IN + 600 * MINUTE)


def test_activity_is_due_once_a_minute_and_its_writes_are_never_audited(store, signed_in):
    session_id, token = signed_in
    assert not browser_sessions.due(SIGNED_IN, SIGNED_IN + TOUCH_EVERY - timedelta(seconds=1))
    assert browser_sessions.due(SIGNED_IN, SIGNED_IN + TOUCH_EVERY)
    with read_session(store) as session:
        audit_rows = session.scalar(select(func.count()).select_from(AuditEntry))
    browser_sessions.touch(store, session_id, now=SIGNED_IN + TOUCH_EVERY)
    assert browser_sessions.resume(store, token, now=SIGNED_IN + TOUCH_EVERY).last_seen == (
        SIGNED_IN + TOUCH_EVERY
    )
    with read_session(store) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows


def test_signing_out_ends_it_in_every_tab_and_is_audited(store, signed_in):
    session_id, token = signed_in
    browser_sessions.check_open(store, session_id)  # open: no refusal
    browser_sessions.end(store, session_id, CO_ORDINATOR.email, now=SIGNED_IN + MINUTE)
    assert refusal(store, token, SIGNED_IN + 2 * MINUTE) == SIGNED_OUT
    with pytest.raises(SessionEnded, match="signed out"):
        browser_sessions.check_open(store, session_id)
    with read_session(store) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.actor, entry.table_name, entry.action) == (
        CO_ORDINATOR.email, "browser_session", "update",
    )  # fmt: skip
    assert json.loads(entry.after)["ended_at"] == (SIGNED_IN + MINUTE).isoformat()


def test_sessions_a_county_admin_ended_stay_ended_on_reload(store, signed_in):
    end_sessions(store, ADMIN, CO_ORDINATOR.email, now=SIGNED_IN + MINUTE)
    assert refusal(store, signed_in[1], SIGNED_IN + 2 * MINUTE) == ENDED
    # A sign-in after that is picked up again.
    actor = authenticate(store, CO_ORDINATOR.email, CO_ORDINATOR.password)
    _id, later = browser_sessions.start(store, actor, now=SIGNED_IN + 3 * MINUTE)
    assert browser_sessions.resume(store, later, now=SIGNED_IN + 4 * MINUTE).actor == actor


def test_a_removed_account_is_not_picked_up_again(store, signed_in):
    remove_user(store, ADMIN, CO_ORDINATOR.email, now=SIGNED_IN + MINUTE)
    assert refusal(store, signed_in[1], SIGNED_IN + 2 * MINUTE) == REMOVED


def test_sessions_past_the_absolute_limit_are_deleted_at_the_next_sign_in(store, signed_in):
    later = SIGNED_IN + timedelta(hours=10, minutes=1)
    actor = authenticate(store, CO_ORDINATOR.email, CO_ORDINATOR.password)
    browser_sessions.start(store, actor, now=later)
    with read_session(store) as session:
        assert session.scalars(select(BrowserSession.signed_in_at)).all() == [later]
    assert refusal(store, signed_in[1], later) == NOT_RECOGNISED


def test_the_store_makes_its_key_once_and_keeps_it_out_of_the_audit_trail(store, signed_in):
    with read_session(store) as session:
        keys = session.execute(text("SELECT key FROM signing_key")).scalars().all()
        trail = session.execute(text("SELECT after FROM auditentry")).scalars().all()
    assert len(keys) == 1 and len(keys[0]) >= 32
    assert not [after for after in trail if after and keys[0] in after]
