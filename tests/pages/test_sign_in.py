"""Local sign-in: the form, refusals as the service words them (the waits wrong passwords earn
included), expiry, sign-out, and what a demo store adds (its banner on every page, its
accounts on the sign-in page)."""

from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest
from conftest import REAL_USER, demo_account, new_app
from menus import MENU
from page_helpers import PAGE_FILES, SCHOOLS, open_page, shown_text
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.auth import POLICY, SIGNED_IN_KEY
from dashboard.widgets import DEMO_BANNER
from seips_core.auth.accounts import NOT_RECOGNISED, authenticate
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.roles import Role
from seips_core.auth.throttle import Delay, ThrottlePolicy

BANNER_TEXT = "DEMO DATA — synthetic, not real children"


def fill_in(app: AppTest, email: str, password: str) -> AppTest:
    """Type into the sign-in form and submit it."""
    fields = {field.label: field for field in app.text_input}
    fields["Email address"].input(email)
    fields["Password"].input(password)
    app.button[0].click().run()
    return app


def signed_in_as(app: AppTest) -> str | None:
    if SIGNED_IN_KEY not in app.session_state:
        return None
    return app.session_state[SIGNED_IN_KEY].actor.email


def test_signed_out_there_is_only_the_sign_in_form(signed_out):
    app = signed_out.run()
    assert [title.value for title in app.title] == ["Sign in"]
    assert [field.label for field in app.text_input] == ["Email address", "Password"]
    assert app.text_input[1].proto.type == app.text_input[1].proto.PASSWORD
    assert not app.sidebar.get("page_link") and not app.metric
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(SCHOOLS)


def test_a_demo_account_signs_in_with_its_password_and_gets_its_pages(signed_out):
    account = demo_account(Role.COORDINATOR)
    app = fill_in(signed_out.run(), account.email.upper(), account.password)
    assert signed_in_as(app) == account.email
    assert [title.value for title in app.title] == ["SEIP panel dashboard"]
    assert [link.label for link in app.sidebar.get("page_link")] == MENU[Role.COORDINATOR]
    assert f"Signed in as **{account.display_name}** (co-ordinator)" in shown_text(app)


def test_a_wrong_password_is_refused_with_the_services_message(signed_out):
    account = demo_account(Role.VIEWER)
    app = fill_in(signed_out.run(), account.email, account.password + "x")
    assert [error.value for error in app.error] == [NOT_RECOGNISED]
    assert signed_in_as(app) is None and not app.metric
    fill_in(app, account.email, account.password)
    assert signed_in_as(app) == account.email


def test_a_browser_guessing_waits_and_the_owner_at_another_address_signs_in(own_store, monkeypatch):
    """The page hands the browser's address to the throttle (here with a policy whose first
    wait is ten minutes, so that the test's own slowness cannot end it)."""
    slow = ThrottlePolicy(
        pair=Delay(free=3, first=timedelta(minutes=10), longest=timedelta(hours=1))
    )
    monkeypatch.setattr(auth, "authenticate", partial(authenticate, policy=slow))
    account = demo_account(Role.CHAIR)
    monkeypatch.setattr(auth, "client_address", lambda: "203.0.113.7")
    app = new_app().run()
    for n in range(4):
        fill_in(app, account.email, f"wrong guess {n}")
    assert [error.value for error in app.error] == [
        f"{NOT_RECOGNISED} Wait 10 minutes before trying again."
    ]
    fill_in(app, account.email, account.password)
    assert [error.value for error in app.error] == [
        "Too many wrong passwords: wait 10 minutes, then try again."
    ]
    assert signed_in_as(app) is None
    monkeypatch.setattr(auth, "client_address", lambda: "198.51.100.20")
    assert signed_in_as(fill_in(new_app().run(), account.email, account.password)) == account.email


@pytest.mark.parametrize(
    ("signed_in_ago", "idle_for", "says"),
    [
        (POLICY.absolute, timedelta(minutes=1), "a session lasts at most"),
        (POLICY.idle * 2, POLICY.idle, "without activity"),
    ],
    ids=["too long", "idle"],
)
def test_an_expired_session_is_signed_out_with_the_reason(app_as, signed_in_ago, idle_for, says):
    app = app_as(Role.CHAIR)
    held = app.session_state[SIGNED_IN_KEY]
    app.session_state[SIGNED_IN_KEY] = replace(
        held,
        signed_in_at=held.signed_in_at - signed_in_ago,
        last_seen=held.last_seen - idle_for,
    )
    app.run()
    assert signed_in_as(app) is None
    assert [title.value for title in app.title] == ["Sign in"]
    (reason,) = app.info
    assert says in reason.value and "Sign in again" in reason.value
    assert not app.metric


def test_activity_keeps_a_session_alive(app_as):
    app = app_as(Role.VIEWER)
    held = app.session_state[SIGNED_IN_KEY]
    app.session_state[SIGNED_IN_KEY] = replace(held, last_seen=held.last_seen - POLICY.idle / 2)
    app.run()
    assert app.session_state[SIGNED_IN_KEY].last_seen > held.last_seen
    assert len(app.metric) == 4


def test_sign_out_returns_to_the_sign_in_page(app_as):
    app = app_as(Role.CHAIR).run()
    (sign_out,) = [button for button in app.sidebar.button if button.label == "Sign out"]
    sign_out.click().run()
    assert signed_in_as(app) is None
    assert [title.value for title in app.title] == ["Sign in"]
    assert not app.sidebar.get("page_link")


def test_a_demo_store_lists_its_accounts_on_the_sign_in_page(signed_out):
    app = signed_out.run()
    (accounts,) = app.table
    listed = accounts.value.to_dict("records")
    assert [(row["Email address"], row["Password"]) for row in listed] == [
        (account.email, account.password) for account in DEMO_ACCOUNTS
    ]
    assert [row["Role"] for row in listed] == [account.role.label for account in DEMO_ACCOUNTS]


@pytest.mark.parametrize("page", PAGE_FILES.values())
def test_a_demo_store_shows_its_banner_on_every_page(app_as, page):
    app = open_page(app_as(Role.COUNTY_ADMIN), page)
    assert shown_text(app).count(BANNER_TEXT) == 1
    assert BANNER_TEXT in DEMO_BANNER


def test_the_sign_in_page_of_a_demo_store_has_the_banner_too(signed_out):
    assert BANNER_TEXT in shown_text(signed_out.run())


def test_a_real_store_has_no_banner_and_lists_no_account(real_store):
    app = new_app().run()
    assert BANNER_TEXT not in shown_text(app)
    assert not app.table
    email, _name, password = REAL_USER
    fill_in(app, email, password)
    assert signed_in_as(app) == email
    assert BANNER_TEXT not in shown_text(app)
