"""A signed-in session is read back from the store on every run: a removed account or ended
sessions end it, a new role or partnerships apply at once; ending sessions is a county
admin's audited change. On each engine."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from seips_core.auth.accounts import (
    ENDED,
    REMOVED,
    add_user,
    authenticate,
    current_actor,
    end_sessions,
    remove_user,
    set_partnerships,
    set_role,
)
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.errors import SessionEnded
from seips_core.auth.roles import SYSTEM_ACTOR, Actor, Role
from seips_core.db import read_session, write_session
from seips_core.errors import NotAllowed
from seips_core.models import AuditEntry, User

pytestmark = pytest.mark.postgres

ADMIN = SYSTEM_ACTOR("cli:test")
COORDINATOR = next(a for a in DEMO_ACCOUNTS if a.role is Role.COORDINATOR)
#: When the co-ordinator's session began, and a moment well inside it.
SIGNED_IN = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LATER = SIGNED_IN + timedelta(hours=2)


def ended(engine, signed_in_at: datetime = SIGNED_IN) -> str:
    """Why the co-ordinator's session begun at ``signed_in_at`` is over."""
    with pytest.raises(SessionEnded) as refused:
        current_actor(engine, COORDINATOR.email, signed_in_at)
    return str(refused.value)


def test_a_standing_account_is_read_back_as_it_signed_in(store):
    signed_in = authenticate(store, COORDINATOR.email, COORDINATOR.password)
    assert current_actor(store, COORDINATOR.email, SIGNED_IN) == signed_in


def test_a_removed_account_is_refused_at_the_next_run_in_plain_words(store):
    remove_user(store, ADMIN, COORDINATOR.email, now=LATER)
    assert ended(store) == REMOVED
    assert "your account has been removed" in REMOVED


def test_a_removed_account_added_back_keeps_its_old_sessions_ended(store):
    remove_user(store, ADMIN, COORDINATOR.email, now=LATER)
    add_user(
        store, ADMIN, email=COORDINATOR.email, display_name="Back Again", role="coordinator",
        partnerships=["NW"],
    )  # fmt: skip
    assert ended(store) == ENDED
    assert current_actor(store, COORDINATOR.email, LATER).display_name == "Back Again"


def test_a_changed_role_and_partnerships_apply_from_the_next_run(store):
    set_role(store, ADMIN, COORDINATOR.email, "viewer")
    set_partnerships(store, ADMIN, COORDINATOR.email, ["HB"])
    actor = current_actor(store, COORDINATOR.email, SIGNED_IN)
    assert (actor.role, actor.partnerships) == (Role.VIEWER, {"HB"})
    assert not actor.may("edit_cases") and not actor.can_see("NW")


def test_ending_sessions_ends_those_begun_before_it_and_not_those_after(store):
    end_sessions(store, ADMIN, COORDINATOR.email.upper(), now=LATER)
    assert ended(store, SIGNED_IN) == ended(store, LATER - timedelta(seconds=1)) == ENDED
    assert current_actor(store, COORDINATOR.email, LATER).role is Role.COORDINATOR
    assert current_actor(store, COORDINATOR.email, LATER + timedelta(minutes=5))
    # Signing in again works at once.
    assert authenticate(store, COORDINATOR.email, COORDINATOR.password).email == COORDINATOR.email


def test_ending_sessions_is_an_audited_county_admin_change(store):
    for account in DEMO_ACCOUNTS:
        if account.role is not Role.COUNTY_ADMIN:
            by = Actor(account.email, account.display_name, account.role, account.partnerships)
            with pytest.raises(NotAllowed, match="only a county admin may end users' sessions"):
                end_sessions(store, by, COORDINATOR.email)
    summary = end_sessions(store, ADMIN, COORDINATOR.email, now=LATER)
    assert summary.sessions_ended_at == LATER
    with read_session(store) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.actor, entry.table_name, entry.action) == (
        ADMIN.email,
        "dashboard_user",
        "update",
    )
    after = json.loads(entry.after)
    assert (after["email"], after["sessions_valid_after"]) == (COORDINATOR.email, LATER.isoformat())


def test_the_check_is_one_lookup_by_email_whatever_the_number_of_accounts(store):
    """What every run of a signed-in page pays: one statement, by the unique email, with a
    thousand other accounts in the store. (Its time is a figure for a benchmark, not a test:
    0.4-1.6 ms on SQLite on the development machine.)"""
    with write_session("test setup", store) as session:
        session.add_all(
            User(email=f"user{n}@shire.example", display_name=f"User {n}", role="viewer")
            for n in range(1000)
        )
    statements = []

    def record(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(store, "before_cursor_execute", record)
    try:
        actor = current_actor(store, COORDINATOR.email, SIGNED_IN)
    finally:
        event.remove(store, "before_cursor_execute", record)
    assert actor.email == COORDINATOR.email
    lookups = [statement for statement in statements if "dashboard_user" in statement]
    assert len(lookups) == 1, statements
    assert "email" in lookups[0].split("WHERE", 1)[1]
