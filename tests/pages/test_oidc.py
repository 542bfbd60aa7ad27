"""Single sign-on (``SEIPS_AUTH=oidc``): the council's identity provider says who the user is
(``st.user``, simulated with ``AppTest.user``), the store says what they may do; and a store of
real data never starts with single sign-on chosen but not configured."""

from dataclasses import replace

import pytest
from conftest import REAL_USER, demo_account, new_app
from menus import MENU
from page_helpers import shown_text
from streamlit.testing.v1 import AppTest

from dashboard.auth import POLICY, SIGNED_IN_KEY, missing_oidc_settings
from seips_core.auth.roles import Role

LOGIN = "Sign in with your council account"
#: Made-up settings of the shape Streamlit's ``st.login`` needs (no real secret).
SETTINGS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-secret-test-value",
    "client_id": "seips-test",
    "client_secret": "not-a-secret-either",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}


@pytest.fixture
def oidc(monkeypatch) -> None:
    monkeypatch.setenv("SEIPS_AUTH", "oidc")
    monkeypatch.delenv("SEIPS_OIDC_PROVIDER", raising=False)


def signed_in_by_provider(email: str) -> AppTest:
    app = new_app()
    app.user = {"is_logged_in": True, "email": email}
    return app


def test_signed_out_there_is_only_the_council_sign_in_button(county, oidc):
    app = new_app()
    app.user = {"is_logged_in": False}
    app.run()
    assert [button.label for button in app.button] == [LOGIN]
    assert not app.text_input and not app.sidebar.get("page_link")


@pytest.mark.parametrize("role", list(Role))
def test_the_email_the_provider_vouches_for_gets_its_accounts_role(county, oidc, role):
    account = demo_account(role)
    app = signed_in_by_provider(account.email).run()
    assert app.session_state[SIGNED_IN_KEY].actor.role is role
    assert [link.label for link in app.sidebar.get("page_link")] == MENU[role]
    assert f"({role.label})" in shown_text(app)


def test_an_email_with_no_account_is_refused_and_offered_sign_out(county, oidc):
    app = signed_in_by_provider("stranger@elsewhere.example").run()
    (refusal,) = app.error
    assert "stranger@elsewhere.example is not registered" in refusal.value
    assert [button.label for button in app.button] == ["Sign out"]
    assert SIGNED_IN_KEY not in app.session_state and not app.metric
    app.button[0].click().run()
    assert app.user == {"is_logged_in": False}
    assert [button.label for button in app.button] == [LOGIN]


def test_sign_out_also_signs_out_of_the_provider(county, oidc):
    app = signed_in_by_provider(demo_account(Role.CHAIR).email).run()
    (sign_out,) = [button for button in app.sidebar.button if button.label == "Sign out"]
    sign_out.click().run()
    assert app.user == {"is_logged_in": False}
    assert SIGNED_IN_KEY not in app.session_state
    assert [button.label for button in app.button] == [LOGIN]


def test_a_real_store_does_not_start_with_single_sign_on_unconfigured(real_store, oidc):
    app = signed_in_by_provider(REAL_USER[0]).run()
    (refusal,) = app.error
    assert refusal.value.startswith("The dashboard cannot start: SEIPS_AUTH is 'oidc'")
    assert "auth.client_id" in refusal.value
    assert list(app.main.children.values()) == [refusal]  # and nothing else
    assert not app.sidebar.children


def test_a_real_store_starts_with_single_sign_on_configured(real_store, oidc):
    app = signed_in_by_provider(REAL_USER[0])
    app.secrets = {"auth": SETTINGS}
    app.run()
    assert not app.error
    assert app.session_state[SIGNED_IN_KEY].actor.email == REAL_USER[0]


def test_every_missing_setting_is_named():
    assert missing_oidc_settings({}) == [
        "auth.redirect_uri",
        "auth.cookie_secret",
        "auth.client_id",
        "auth.client_secret",
        "auth.server_metadata_url",
    ]
    assert missing_oidc_settings({"auth": SETTINGS}) == []
    shared = {key: SETTINGS[key] for key in ("redirect_uri", "cookie_secret")}
    named = {**shared, "council": {key: SETTINGS[key] for key in ("client_id", "client_secret")}}
    assert missing_oidc_settings({"auth": named}, "council") == ["auth.council.server_metadata_url"]


def test_an_expired_session_also_signs_out_of_the_provider(county, oidc):
    app = signed_in_by_provider(demo_account(Role.VIEWER).email).run()
    held = app.session_state[SIGNED_IN_KEY]
    app.session_state[SIGNED_IN_KEY] = replace(held, last_seen=held.last_seen - POLICY.idle)
    app.run()
    assert app.user == {"is_logged_in": False}
    assert SIGNED_IN_KEY not in app.session_state and not app.metric
