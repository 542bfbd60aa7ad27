"""A live meeting in two browsers: the co-ordinator records a decision on their laptop and the
room's projector view, open in another browser context (another session), shows it within two
seconds without anyone reloading. Screenshots of both screens are saved (look at them: the
projector's is what the room sees) and axe-core checks the projector view.
"""

import time
from pathlib import Path

import pytest
from sqlalchemy import text
from test_dashboard_in_chromium import (
    account,
    assert_no_serious_axe_violations,
    chromium,
    served,
    settle,
    sign_in_as,
)

from seips_core.auth.demo import DEMO_PARTNERSHIP
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session
from seips_core.models import Meeting
from seips_core.rules.meetings import meeting_label

pytest.importorskip("seips_core.services.decisions", reason="meeting-core not landed")
pytestmark = pytest.mark.browser
__all__ = ["chromium", "served"]  # fixtures, used by name

#: A meeting of the demo partnership whose first item is not decided yet.
FIRST_ITEM_UNDECIDED = """
    SELECT m.id FROM meeting m
    JOIN partnership p ON p.id = m.partnership_id
    JOIN agendaitem a ON a.meeting_id = m.id
    WHERE p.code = :code AND a.position = (
        SELECT MIN(position) FROM agendaitem b WHERE b.meeting_id = m.id)
      AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.agenda_item_id = a.id)
    ORDER BY m.meeting_date DESC LIMIT 1"""
RATIONALE = "Deferred until the school's report arrives (browser test)."
LIVE_SECONDS = 2.0


def meeting_title(store: str) -> str:
    """How the Meetings page names the meeting of the test."""
    with read_session(get_engine(store)) as session:
        meeting_id = session.scalar(text(FIRST_ITEM_UNDECIDED), {"code": DEMO_PARTNERSHIP})
        meeting = session.get(Meeting, meeting_id)
        return meeting_label(DEMO_PARTNERSHIP, meeting.kind, meeting.meeting_date)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``, by keyboard."""
    box = page.get_by_label(label)
    box.click()
    box.fill(option)
    box.press("Enter")


def open_meeting_page(page, title: str, link: str, heading: str) -> None:
    """From the Meetings page, choose the meeting, then follow its link to ``link``."""
    page.get_by_test_id("stSidebar").get_by_role("link", name="Meetings").click()
    settle(page, "Meetings")
    choose(page, "Meeting", title)
    settle(page, "Meetings")
    page.get_by_test_id("stMain").get_by_role("link", name=link).click()
    settle(page, heading)


@pytest.fixture
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


def signed_in_tab(browser, url: str, role: Role, size: dict):
    """A new browser context (its own session) signed in as ``role``'s demo account."""
    tab = browser.new_context(viewport=size).new_page()
    tab.goto(url)
    settle(tab, "Sign in")
    sign_in_as(tab, role)
    return tab


def test_a_decision_saved_by_the_coordinator_shows_on_the_projector_within_two_seconds(
    browser, served, tmp_path: Path
):
    from playwright.sync_api import expect

    url, store = served
    title = meeting_title(store)
    wall = signed_in_tab(browser, url, Role.VIEWER, {"width": 1920, "height": 1080})
    open_meeting_page(wall, title, "Projector view", "Item 1 of")
    laptop = signed_in_tab(browser, url, Role.COORDINATOR, {"width": 1440, "height": 900})
    open_meeting_page(laptop, title, "Record decisions", "Record decisions")
    assert account(Role.VIEWER).partnerships == account(Role.COORDINATOR).partnerships

    expect(wall.get_by_text(RATIONALE)).to_have_count(0)
    choose(laptop, "Outcome", "Defer")
    laptop.get_by_label("Rationale (required)").fill(RATIONALE)
    laptop.get_by_role("button", name="Save the decision").click()
    expect(laptop.get_by_text("Decision saved")).to_be_visible(timeout=30_000)
    saved_at = time.monotonic()
    expect(wall.get_by_text(RATIONALE)).to_be_visible(timeout=LIVE_SECONDS * 1000)
    assert time.monotonic() - saved_at <= LIVE_SECONDS
    assert wall.url.startswith(f"{url}/projector"), "the wall was not reloaded"

    laptop.screenshot(path=tmp_path / "coordinator-laptop.png", full_page=True)
    print(f"Screenshot: {tmp_path / 'coordinator-laptop.png'}")
    assert_no_serious_axe_violations(wall, "projector", tmp_path)
