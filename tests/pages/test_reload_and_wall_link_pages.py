"""A sign-in that outlives a reload (local and single sign-on), and the wall link's screen,
as the app shell runs them.

A reload is a new session whose browser sends the cookie: here a new AppTest whose
``browser_cookie.sent`` hands back the token (AppTest has no browser; the cookie's round trip
through Chromium is in tests/browser/test_wall_link_in_chromium.py). The wall is a new session
opened with ``?wall=TOKEN``. Each test writes, so each has its own copy of the sample store,
with a meeting of NW today (the sample's own meetings are around ``conftest.TODAY``).
"""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import demo_account, demo_actor, new_app, sign_in
from page_helpers import MEETINGS, shown_text
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard import browser_cookie
from dashboard.auth import SIGNED_IN_KEY
from seips_core.auth import browser_sessions
from seips_core.auth.browser_sessions import SIGNED_OUT
from seips_core.auth.local_time import COUNTY_TIME
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session, write_session
from seips_core.models import BrowserSession, Meeting, Partnership
from seips_core.rules.meetings import meeting_label
from seips_core.services.wall_links import WALL_PARAM, create_wall_link, revoke_wall_link

CO_ORDINATOR = demo_account(Role.COORDINATOR)


def _meeting_on(url: str, days: int) -> tuple[int, str]:
    """A new NW panel meeting ``days`` from today (UK clock): its id and its name."""
    day = datetime.now(COUNTY_TIME).date() + timedelta(days=days)
    with write_session("test setup", get_engine(url)) as session:
        nw = session.scalars(select(Partnership.id).where(Partnership.code == "NW")).one()
        meeting = Meeting(partnership_id=nw, meeting_date=day)
        session.add(meeting)
        session.flush()
        return meeting.id, meeting_label("NW", "panel", day)


@pytest.fixture
def today(own_store) -> tuple[int, str]:
    """NW's meeting today in the test's own store."""
    return _meeting_on(own_store, 0)


def reloaded(monkeypatch, token: str | None, user: dict | None = None) -> AppTest:
    """A new session of a browser that sends ``token`` as its cookie (and, with single sign-on,
    the provider's identity ``user``), run."""
    monkeypatch.setattr(browser_cookie, "sent", lambda: token)
    app = new_app()
    if user is not None:
        app.user = user
    return app.run()


def wall(token: str) -> AppTest:
    """The room's screen opening the wall link ``token``."""
    app = new_app()
    app.query_params[WALL_PARAM] = token
    return app.run()


def co_ordinator_on_meetings(url: str, meeting_id: int) -> AppTest:
    app = sign_in(new_app(), demo_actor(url, Role.COORDINATOR)).run()
    app.query_params["meeting"] = str(meeting_id)
    app.switch_page(MEETINGS).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def test_a_reload_keeps_the_person_signed_in_with_the_session_they_had(own_store, monkeypatch):
    engine = get_engine(own_store)
    signed_in_at = datetime.now(UTC) - timedelta(minutes=5)
    session_id, token = browser_sessions.start(
        engine, demo_actor(own_store, Role.COORDINATOR), now=signed_in_at
    )
    app = reloaded(monkeypatch, token)
    kept = app.session_state[SIGNED_IN_KEY]
    assert (kept.actor.email, kept.browser, kept.signed_in_at) == (
        CO_ORDINATOR.email, session_id, signed_in_at,
    )  # fmt: skip
    assert [title.value for title in app.title] == ["SEIP panel dashboard"]


def test_a_reload_after_the_idle_limit_asks_to_sign_in_again_saying_why(own_store, monkeypatch):
    idle_since = datetime.now(UTC) - timedelta(minutes=31)
    _id, token = browser_sessions.start(
        get_engine(own_store), demo_actor(own_store, Role.CHAIR), now=idle_since
    )
    app = reloaded(monkeypatch, token)
    assert SIGNED_IN_KEY not in app.session_state
    assert [title.value for title in app.title] == ["Sign in"]
    assert "after 30 minutes without activity" in app.info[0].value


def test_with_single_sign_on_a_reload_keeps_the_sessions_own_times(own_store, monkeypatch):
    """The provider's cookie alone would sign the person in afresh, the clocks restarted."""
    monkeypatch.setenv("SEIPS_AUTH", "oidc")
    chair = demo_actor(own_store, Role.CHAIR)
    signed_in_at = datetime.now(UTC) - timedelta(minutes=20)
    session_id, token = browser_sessions.start(get_engine(own_store), chair, now=signed_in_at)
    app = reloaded(monkeypatch, token, {"is_logged_in": True, "email": chair.email})
    kept = app.session_state[SIGNED_IN_KEY]
    assert (kept.browser, kept.signed_in_at) == (session_id, signed_in_at)


def test_with_single_sign_on_a_session_past_its_limit_signs_out_of_the_provider_too(
    own_store, monkeypatch
):
    monkeypatch.setenv("SEIPS_AUTH", "oidc")
    chair = demo_actor(own_store, Role.CHAIR)
    too_long = datetime.now(UTC) - timedelta(hours=10)
    _id, token = browser_sessions.start(get_engine(own_store), chair, now=too_long)
    app = reloaded(monkeypatch, token, {"is_logged_in": True, "email": chair.email})
    assert app.user == {"is_logged_in": False}
    assert SIGNED_IN_KEY not in app.session_state


def test_signing_out_ends_the_browsers_session_so_a_reload_is_signed_out(own_store, monkeypatch):
    app = new_app().run()
    fields = {field.label: field for field in app.text_input}
    fields["Email address"].input(CO_ORDINATOR.email)
    fields["Password"].input(CO_ORDINATOR.password)
    app.button[0].click().run()
    session_id = app.session_state[SIGNED_IN_KEY].browser
    scripts = [html.proto.body for html in app.html if "document.cookie" in html.proto.body]
    assert len(scripts) == 1 and "seips_session=" in scripts[0] and "SameSite=Strict" in scripts[0]

    app.sidebar.button[0].click().run()  # Sign out
    with read_session(get_engine(own_store)) as session:
        assert session.get(BrowserSession, session_id).ended_at is not None
    assert [html.proto.body for html in app.html if "Max-Age=0" in html.proto.body]
    token = scripts[0].split("seips_session=", 1)[1].split(";", 1)[0]
    again = reloaded(monkeypatch, token)
    assert [title.value for title in again.title] == ["Sign in"]
    assert [info.value for info in again.info] == [SIGNED_OUT]


def test_a_co_ordinator_makes_a_wall_link_copies_it_and_revokes_it(own_store, today):
    meeting_id, _name = today
    app = co_ordinator_on_meetings(own_store, meeting_id)
    assert "No wall link is open for this meeting." in shown_text(app)
    (make,) = [button for button in app.button if button.label == "Make a wall link"]
    make.click().run()
    (address,) = [code.value for code in app.code]
    assert f"/projector?{WALL_PARAM}=" in address
    assert "Copy this link now: the store keeps no copy of it" in shown_text(app)
    assert "Made by Demo Co-ordinator at " in shown_text(app)

    (revoke,) = [button for button in app.button if button.label == "Revoke"]
    revoke.click().run()
    assert "No wall link is open for this meeting." in shown_text(app)
    assert not app.code, "a revoked link is not offered for copying"
    token = address.split(f"{WALL_PARAM}=", 1)[1]
    assert [title.value for title in wall(token).title] == ["Wall link ended"]


def test_a_viewer_is_offered_no_wall_link(own_store, today):
    app = sign_in(new_app(), demo_actor(own_store, Role.VIEWER)).run()
    app.query_params["meeting"] = str(today[0])
    app.switch_page(MEETINGS).run()
    assert "Wall link" not in [header.value for header in app.header]
    assert not [button for button in app.button if button.label == "Make a wall link"]


def test_the_wall_shows_its_meeting_and_nothing_else_until_revoked(own_store, today):
    meeting_id, name = today
    co_ordinator = demo_actor(own_store, Role.COORDINATOR)
    row, token = create_wall_link(get_engine(own_store), co_ordinator, meeting_id)
    screen = wall(token)
    assert not screen.exception, [error.value for error in screen.exception]
    assert screen.title[0].value == name
    assert screen.query_params["meeting"] == str(meeting_id)
    assert not screen.sidebar.get("page_link") and not screen.sidebar.get("selectbox")
    assert not screen.sidebar.button and not screen.get("page_link")
    assert screen.session_state[SIGNED_IN_KEY].actor.wall_meeting == meeting_id

    screen.query_params["meeting"] = str(meeting_id - 1)  # another meeting typed in
    screen.run()
    assert screen.title[0].value == name

    revoke_wall_link(get_engine(own_store), co_ordinator, row.id)
    screen.run()
    assert [title.value for title in screen.title] == ["Wall link ended"]
    (said,) = [warning.value for warning in screen.warning]
    assert said.startswith("This wall link has ended: revoked by Demo Co-ordinator at ")
    assert said.endswith("Ask the co-ordinator for a new one.")
    assert not screen.text_input, "no sign-in form in front of the room"


def test_a_link_whose_meeting_is_over_is_refused(own_store):
    meeting_id, _name = _meeting_on(own_store, -1)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    _row, token = create_wall_link(
        get_engine(own_store), demo_actor(own_store, Role.CHAIR), meeting_id,
        now=yesterday.replace(hour=0, minute=30),
    )  # fmt: skip
    screen = wall(token)
    assert [title.value for title in screen.title] == ["Wall link ended"]
    assert "the meeting is over" in screen.warning[0].value


def test_a_forged_wall_link_lets_nothing_in(own_store, today):
    _row, token = create_wall_link(
        get_engine(own_store), demo_actor(own_store, Role.COORDINATOR), today[0]
    )
    screen = wall(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert [title.value for title in screen.title] == ["Wall link ended"]
    assert "not recognised" in screen.warning[0].value
    assert SIGNED_IN_KEY not in screen.session_state
