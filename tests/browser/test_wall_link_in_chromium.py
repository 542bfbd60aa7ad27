"""The wall stays up, and a reload keeps a person signed in: `seips serve` in headless Chromium.

A person's reload (F5) is a new Streamlit session: it stays signed in only if the cookie the
page set is sent on the new session's WebSocket handshake and the store still stands behind
it. The room's screen opens a wall link in a browser context of its own (no one signed in
there), survives a reload, and says the link has ended within a live tick of its revocation;
a link whose meeting is over opens nothing. Screenshots are saved (the wall's is what the room
sees) and axe-core checks the wall and its "ended" screen.
"""

import time as clock
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import text
from test_dashboard_in_chromium import (
    account,
    assert_no_serious_axe_violations,
    chromium,
    launched,
    served,
    settle,
    sign_in,
    todays_meeting,
)

from dashboard.browser_cookie import COOKIE
from seips_core.auth.accounts import actor_for_oidc_user
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session
from seips_core.services.wall_links import create_wall_link

pytestmark = pytest.mark.browser
__all__ = ["chromium", "served"]  # fixtures, used by name

LAPTOP = {"width": 1440, "height": 900}
WALL = {"width": 1280, "height": 720}
#: An NW meeting held before today.
HELD = """
    SELECT m.id, m.meeting_date FROM meeting m JOIN partnership p ON p.id = m.partnership_id
    WHERE p.code = 'NW' AND m.meeting_date < :day ORDER BY m.meeting_date DESC LIMIT 1"""
#: How long the wall may take to say its link has ended: a live tick is a second; this bounds
#: the wait, the time taken is printed.
ENDED_WITHIN_MS = 10_000


@pytest.fixture
def browser(chromium):
    with launched(chromium) as browser:
        yield browser


def session_cookie(context) -> dict | None:
    found = [cookie for cookie in context.cookies() if cookie["name"] == COOKIE]
    return found[0] if found else None


def meetings_page(browser, url: str, meeting_id: int):
    """The demo co-ordinator's Meetings page on ``meeting_id``, signed in at its own address."""
    tab = browser.new_context(viewport=LAPTOP).new_page()
    tab.goto(f"{url}/meetings?meeting={meeting_id}")
    settle(tab, "Sign in")
    sign_in(tab, account(Role.COORDINATOR).email, account(Role.COORDINATOR).password)
    settle(tab, "Meetings")
    return tab


def test_a_reload_keeps_a_person_on_the_same_page_until_they_sign_out(browser, served):
    url, store = served
    meeting_id, _name = todays_meeting(store)
    laptop = meetings_page(browser, url, meeting_id)
    address = laptop.url
    cookie = session_cookie(laptop.context)
    assert cookie is not None, "the page set no sign-in cookie"
    assert (cookie["sameSite"], cookie["path"], cookie["secure"]) == ("Strict", "/", False)
    assert not cookie["httpOnly"]  # set by the page's script: see dashboard/browser_cookie.py

    laptop.reload()
    settle(laptop, "Meetings")
    assert laptop.url == address
    assert laptop.get_by_role("heading", name="Sign in").count() == 0

    # The cookie is what carries the sign-in over: without it, a reload is signed out.
    laptop.context.clear_cookies(name=COOKIE)
    laptop.reload()
    settle(laptop, "Sign in")
    sign_in(laptop, account(Role.COORDINATOR).email, account(Role.COORDINATOR).password)
    settle(laptop, "Meetings")

    laptop.get_by_role("button", name="Sign out").click()
    settle(laptop, "Sign in")
    assert session_cookie(laptop.context) is None, "signing out left the cookie"
    laptop.reload()
    settle(laptop, "Sign in")


def test_the_wall_survives_a_reload_and_ends_within_a_tick_of_revocation(browser, served, tmp_path):
    from playwright.sync_api import expect

    url, store = served
    meeting_id, name = todays_meeting(store)
    laptop = meetings_page(browser, url, meeting_id)
    laptop.get_by_role("button", name="Make a wall link").click()
    settle(laptop, "Meetings")
    link = laptop.get_by_test_id("stCode").inner_text().strip()
    assert link.startswith(f"{url}/projector?wall=")

    screen = browser.new_context(viewport=WALL).new_page()
    screen.goto(link)
    settle(screen, name)
    address = screen.url
    assert address.startswith(f"{url}/projector?wall=")
    assert screen.get_by_test_id("stSidebar").count() == 0, "a wall has no sidebar"
    assert session_cookie(screen.context) is None, "the wall holds no one's sign-in"
    assert_no_serious_axe_violations(screen, "wall", tmp_path)

    screen.reload()
    settle(screen, name)
    assert screen.url == address

    laptop.get_by_role("button", name="Revoke").click()
    revoked = clock.monotonic()
    expect(screen.get_by_role("heading", name="Wall link ended", level=1)).to_be_visible(
        timeout=ENDED_WITHIN_MS
    )
    print(f"The wall said its link had ended {clock.monotonic() - revoked:.1f} s after the click")
    expect(screen.get_by_text("revoked by Demo Co-ordinator at")).to_be_visible()
    assert screen.get_by_role("heading", name=name).count() == 0
    settle(screen, "Wall link ended")
    assert_no_serious_axe_violations(screen, "wall-ended", tmp_path)


def test_a_link_whose_meeting_is_over_opens_nothing(browser, served):
    from playwright.sync_api import expect

    url, store = served
    engine = get_engine(store)
    with read_session(engine) as session:
        meeting_id, held_on = session.execute(text(HELD), {"day": date.today().isoformat()}).one()
    co_ordinator = actor_for_oidc_user(engine, account(Role.COORDINATOR).email)
    made_that_morning = datetime.combine(date.fromisoformat(str(held_on)), time(8), UTC)
    _row, token = create_wall_link(engine, co_ordinator, meeting_id, now=made_that_morning)

    screen = browser.new_context(viewport=WALL).new_page()
    screen.goto(f"{url}/projector?wall={token}")
    settle(screen, "Wall link ended")
    expect(screen.get_by_text("the meeting is over")).to_be_visible()
    assert screen.get_by_test_id("stSidebar").count() == 0
