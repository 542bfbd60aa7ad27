"""Signing in: local passwords, single sign-on emails, and what is recorded (the waits that
wrong passwords earn are in ``test_sign_in_throttle``)."""

import json
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from seips_core.auth.accounts import (
    NOT_RECOGNISED,
    actor_for_oidc_user,
    add_user,
    authenticate,
    remove_user,
)
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.errors import SignInRefused
from seips_core.auth.passwords import needs_rehash, verify_password
from seips_core.auth.roles import SYSTEM_ACTOR, Role
from seips_core.db import read_session, write_session
from seips_core.models import AuditEntry, User

ADMIN = SYSTEM_ACTOR("cli:test")
CHAIR = next(a for a in DEMO_ACCOUNTS if a.role is Role.CHAIR)
#: 09:00 GMT on a November morning.
WINTER = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.postgres


def stored_user(engine, email: str) -> User:
    with read_session(engine) as session:
        return session.scalars(select(User).where(User.email == email)).one()


def refusal(engine, email: str, password: str, now: datetime = WINTER) -> str:
    with pytest.raises(SignInRefused) as refused:
        authenticate(engine, email, password, now=now)
    return str(refused.value)


def wrong_passwords(engine, times: int, now: datetime = WINTER) -> list[str]:
    return [refusal(engine, CHAIR.email, f"wrong password {n}", now) for n in range(times)]


def test_the_right_password_signs_in_with_role_and_partnerships(store):
    actor = authenticate(store, CHAIR.email, CHAIR.password, now=WINTER)
    assert (actor.email, actor.display_name) == (CHAIR.email, CHAIR.display_name)
    assert actor.role is Role.CHAIR
    assert actor.partnerships == frozenset({"NW"})
    assert stored_user(store, CHAIR.email).last_sign_in == WINTER


def test_the_email_is_read_in_any_case_and_without_spaces(store):
    actor = authenticate(store, f"  {CHAIR.email.upper()} ", CHAIR.password, now=WINTER)
    assert actor.email == CHAIR.email


def test_unknown_email_wrong_password_and_removed_user_get_the_same_answer(store):
    viewer = next(a for a in DEMO_ACCOUNTS if a.role is Role.VIEWER)
    remove_user(store, ADMIN, viewer.email)
    add_user(
        store, ADMIN, email="sso.only@shire.example", display_name="Sam Sign-On",
        role="viewer", partnerships=["NW"],
    )  # fmt: skip
    answers = {
        refusal(store, "nobody@shire.example", CHAIR.password),
        refusal(store, CHAIR.email, "not the password"),
        refusal(store, viewer.email, viewer.password),
        refusal(store, "sso.only@shire.example", "any password at all"),
    }
    assert answers == {NOT_RECOGNISED} == {"Email or password not recognised."}


def test_a_hash_with_old_parameters_is_replaced_at_the_next_sign_in(store):
    with write_session("test setup", store) as session:
        user = session.scalars(select(User).where(User.email == CHAIR.email)).one()
        user.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024).hash(CHAIR.password)
    authenticate(store, CHAIR.email, CHAIR.password, now=WINTER)
    renewed = stored_user(store, CHAIR.email).password_hash
    assert not needs_rehash(renewed) and verify_password(renewed, CHAIR.password)


def test_a_sign_in_is_audited_as_its_account_without_the_password_or_its_hash(store):
    refusal(store, CHAIR.email, "a wrong guess here")
    authenticate(store, CHAIR.email, CHAIR.password, now=WINTER)
    with read_session(store) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    sign_ins = [e for e in entries if e.table_name == "dashboard_user" and e.action == "update"]
    (entry,) = sign_ins
    assert entry.actor == CHAIR.email
    assert json.loads(entry.after)["last_sign_in"] == WINTER.isoformat()
    assert json.loads(entry.after)["password_hash"] == "(set)"
    stored_hash = stored_user(store, CHAIR.email).password_hash
    assert CHAIR.password not in entry.after and stored_hash not in entry.after


def test_wrong_guesses_leave_nothing_in_the_append_only_audit_trail(store):
    """The throttle's counters are not audited: a stranger cannot fill the trail by guessing."""
    with read_session(store) as session:
        before = session.scalars(select(AuditEntry.id)).all()
    wrong_passwords(store, 5)
    refusal(store, "nobody@shire.example", "any guess at all")
    with read_session(store) as session:
        assert session.scalars(select(AuditEntry.id)).all() == before


def test_a_single_sign_on_email_maps_to_its_role(store):
    actor = actor_for_oidc_user(store, CHAIR.email.upper())
    assert (actor.email, actor.role, actor.partnerships) == (CHAIR.email, Role.CHAIR, {"NW"})


def test_an_unregistered_or_removed_single_sign_on_email_is_told_to_ask_the_admin(store):
    remove_user(store, ADMIN, CHAIR.email)
    for email in ("stranger@shire.example", CHAIR.email):
        with pytest.raises(SignInRefused) as refused:
            actor_for_oidc_user(store, email)
        assert str(refused.value) == (
            f"{email} is not registered for this dashboard: ask your county admin."
        )
