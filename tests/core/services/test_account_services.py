"""Managing accounts: what a county admin sees after each change, and refusals that name the
field and leave the store as it was."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from service_store import ADMIN_CLI, TARGET, email_of, every_row
from sqlalchemy import select

from seips_core.auth import accounts
from seips_core.auth.accounts import add_user, list_users, remove_user, set_partnerships, set_role
from seips_core.auth.errors import SignInRefused
from seips_core.auth.roles import Role
from seips_core.db import read_session
from seips_core.errors import Conflict, InvalidValue, Problems
from seips_core.models import AuditEntry

pytestmark = pytest.mark.postgres

NEW = {
    "email": "  Jo.Smith@Shire.Example ",
    "display_name": "Jo Smith",
    "role": "coordinator",
    "partnerships": ["nw", "HB"],
}


def listed(engine, email: str) -> accounts.UserSummary:
    return next(u for u in list_users(engine, ADMIN_CLI) if u.email == email)


def test_an_added_user_is_listed_with_lower_case_email_role_and_partnerships(store):
    summary = add_user(store, ADMIN_CLI, **NEW, password="a long enough password")
    assert summary == listed(store, "jo.smith@shire.example")
    assert (summary.display_name, summary.role) == ("Jo Smith", Role.COORDINATOR)
    assert summary.partnerships == ("HB", "NW")
    assert summary.is_active and summary.has_password
    actor = accounts.authenticate(store, "jo.smith@shire.example", "a long enough password")
    assert actor.partnerships == {"HB", "NW"}


def test_a_user_without_a_password_signs_in_only_through_single_sign_on(store):
    summary = add_user(store, ADMIN_CLI, **NEW)
    assert not summary.has_password
    assert accounts.actor_for_oidc_user(store, "jo.smith@shire.example").role is Role.COORDINATOR


def test_the_audit_row_of_an_added_user_names_the_admin_and_hides_the_hash(store):
    add_user(store, ADMIN_CLI, **NEW, password="a long enough password")
    with read_session(store) as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name == "dashboard_user")
            .order_by(AuditEntry.id.desc())
        ).first()
    after = json.loads(entry.after)
    assert (entry.actor, entry.action) == (ADMIN_CLI.email, "insert")
    assert (after["email"], after["password_hash"]) == ("jo.smith@shire.example", "(set)")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not an email"}, "Email: 'not an email' is not an email address."),
        ({"display_name": "  "}, "Name: give the name shown on screen"),
        ({"role": "headteacher"}, "Role: 'headteacher' is not a role; choose one of viewer, "),
        ({"partnerships": ["NW", "XX"]}, "Partnerships: no partnership XX; the partnerships are"),
        ({"partnerships": []}, "Partnerships: a co-ordinator needs at least one partnership."),
        ({"password": "too short"}, "Password: use at least 12 characters (9 given)"),
    ],
    ids=["email", "name", "role", "partnership", "no partnership", "password"],
)
def test_a_wrong_value_is_refused_naming_the_field_and_nothing_is_written(store, change, message):
    before = every_row(store)
    with pytest.raises(InvalidValue) as refused:
        add_user(store, ADMIN_CLI, **{**NEW, **change})
    assert str(refused.value).startswith(message)
    assert every_row(store) == before


def test_a_county_admin_needs_no_partnership(store):
    summary = add_user(store, ADMIN_CLI, **{**NEW, "role": "county_admin", "partnerships": []})
    assert summary.role is Role.COUNTY_ADMIN and summary.partnerships == ()


def test_a_removed_user_cannot_sign_in_but_stays_listed_as_removed(store):
    accounts.set_password(store, ADMIN_CLI, TARGET, "the target's password")
    remove_user(store, ADMIN_CLI, TARGET)
    summary = listed(store, TARGET)
    assert not summary.is_active and not summary.has_password
    assert summary.partnerships == ("NW",)  # kept: the audit trail still knows their partnership
    with pytest.raises(SignInRefused):
        accounts.authenticate(store, TARGET, "the target's password")
    with pytest.raises(SignInRefused):
        accounts.actor_for_oidc_user(store, TARGET)


def test_adding_a_removed_users_email_brings_the_account_back_with_the_new_details(store):
    remove_user(store, ADMIN_CLI, TARGET)
    add_user(store, ADMIN_CLI, **{**NEW, "email": TARGET, "role": "chair", "partnerships": ["HB"]})
    summary = listed(store, TARGET)
    assert summary.is_active and (summary.role, summary.partnerships) == (Role.CHAIR, ("HB",))


def test_changing_role_and_partnerships_changes_what_the_user_signs_in_as(store):
    set_role(store, ADMIN_CLI, TARGET, "chair")
    set_partnerships(store, ADMIN_CLI, TARGET, ["HB"])
    actor = accounts.actor_for_oidc_user(store, TARGET)
    assert (actor.role, actor.partnerships) == (Role.CHAIR, {"HB"})


def test_a_user_cannot_be_left_without_a_partnership(store):
    with pytest.raises(InvalidValue, match="a viewer needs at least one partnership"):
        set_partnerships(store, ADMIN_CLI, TARGET, [])
    admin = email_of(Role.COUNTY_ADMIN)
    with pytest.raises(InvalidValue, match="a chair needs at least one partnership"):
        set_role(store, ADMIN_CLI, admin, "chair")
    assert listed(store, admin).role is Role.COUNTY_ADMIN


def test_a_county_admin_may_not_remove_or_demote_themselves(store, role_actor):
    me = role_actor(Role.COUNTY_ADMIN)
    before = every_row(store)
    with pytest.raises(InvalidValue, match="you may not remove your own account"):
        remove_user(store, me, me.email)
    with pytest.raises(InvalidValue, match="you may not change the role of your own account"):
        set_role(store, me, me.email, "viewer")
    assert every_row(store) == before


def test_registering_an_email_twice_is_a_conflict_naming_who_registered_it(store):
    before = every_row(store)
    with pytest.raises(Conflict) as refused:
        add_user(store, ADMIN_CLI, **{**NEW, "email": TARGET.upper()})
    assert str(refused.value).startswith(
        f"Email: {TARGET} is already registered (saved by {ADMIN_CLI.email} at "
    )
    assert every_row(store) == before


def test_acting_on_an_unregistered_email_is_refused_by_name(store):
    with pytest.raises(InvalidValue, match=r"Email: nobody@shire\.example is not registered"):
        set_role(store, ADMIN_CLI, "nobody@shire.example", "chair")


def test_removing_a_user_lists_when_their_sessions_ended(store):
    assert listed(store, TARGET).sessions_ended_at is None
    remove_user(store, ADMIN_CLI, TARGET)
    ended_at = listed(store, TARGET).sessions_ended_at
    assert ended_at is not None and datetime.now(UTC) - ended_at < timedelta(minutes=1)


def test_the_list_is_every_account_by_email(store):
    emails = [user.email for user in list_users(store, ADMIN_CLI)]
    assert emails == sorted([TARGET, *(email_of(role) for role in Role)])


def test_a_write_failing_half_way_leaves_no_user_and_no_audit_row(store, monkeypatch):
    def broken(*_args) -> None:
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(accounts, "_summary", broken)
    before = every_row(store)
    with pytest.raises(RuntimeError):
        add_user(store, ADMIN_CLI, **NEW)
    assert every_row(store) == before


def test_every_wrong_value_of_a_new_user_is_refused_at_once_naming_each_field(store):
    """Issue 15: three wrong fields are three problems in one refusal; nothing is written."""
    before = every_row(store)
    wrong = {"email": "not an email", "display_name": " ", "password": "too short"}
    with pytest.raises(Problems) as refused:
        add_user(store, ADMIN_CLI, **{**NEW, **wrong})
    assert [problem.field for problem in refused.value.problems] == ["Email", "Name", "Password"]
    assert every_row(store) == before
