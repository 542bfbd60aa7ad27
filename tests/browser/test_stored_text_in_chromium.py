"""Stored text is text, in the browser (issue 11): the sample county with every free-text
column hostile (``hostile_text``: an image and a link to ``evil.example``, bold, raw HTML, a
Streamlit colour and LaTeX), served once, and every page of every role's menu opened in
headless Chromium, then the projector view and the record-decisions page of an item with a
decision. Every request leaving the app's own address is recorded and refused, and there
must be none at all (issue 14: a council network logs them, an open one tells a third party
each time someone opens a child's case), least of all to ``evil.example``; nothing on any page
may be drawn as an image, a link, bold, a colour or maths from stored text; the characters
typed are what the user reads.
"""

from collections.abc import Callable
from datetime import date
from urllib.parse import urlsplit

import pytest
from hostile_text import EVIL_HOST, make_hostile, shows_a_value_whole
from menus import MENU
from sqlalchemy import text
from test_dashboard_in_chromium import (
    HOME_HEADING,
    account,
    chromium,
    launched,
    serving,
    settle,
    sign_in,
    todays_meeting,
)

from dashboard.text import JOINER
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session
from seips_core.migrate import upgrade
from seips_core.sample_county import generate_sample

pytestmark = pytest.mark.browser
__all__ = ["chromium"]  # the fixture, used by name

#: The first item of a meeting whose pupil has a decision (this one's or an earlier one's):
#: its rationale is on the projector view and on the record-decisions page.
DECIDED_ITEM = """
    SELECT a.position FROM agendaitem a
    WHERE a.meeting_id = :meeting AND EXISTS (
        SELECT 1 FROM decision d JOIN agendaitem b ON b.id = d.agenda_item_id
        WHERE b.pupil_id = a.pupil_id)
    ORDER BY a.position"""
#: Every attribute through which a browser fetches or links to an address.
FETCHING = ("href", "src", "srcset", "xlink:href", "action", "poster", "data", "formaction")
#: What the page draws from its stored text, beyond the text itself: elements (and attributes)
#: that point at the evil host, formatting whose text is a payload's inner word, and maths.
DRAWN_FROM_STORED_TEXT = """([fetching, host]) => {
    const all = [...document.querySelectorAll('*')];
    const pointing = all.flatMap(element => [...element.attributes]
        .filter(attribute => fetching.includes(attribute.name) && attribute.value.includes(host))
        .map(attribute => `<${element.tagName} ${attribute.name}=${attribute.value}>`));
    const words = ['bold', 'link', 'red'];
    const formatted = all
        .filter(element => element.children.length === 0
                && words.includes(element.textContent.trim()))
        .map(element => `<${element.tagName}>${element.textContent}`);
    const maths = [...document.querySelectorAll('.katex, math')].map(element => element.outerHTML);
    return [...pointing, ...formatted, ...maths];
}"""


@pytest.fixture(scope="module")
def hostile_served(tmp_path_factory) -> tuple[str, str]:
    """The sample county as on today, every free-text value hostile, served once: its address
    and the store's URL."""
    folder = tmp_path_factory.mktemp("hostile")
    store = f"sqlite:///{folder / 'seips.db'}"
    upgrade(store)
    generate_sample(get_engine(store), seed=2026, today=date.today())
    make_hostile(store)
    with serving(store, folder) as url:
        yield url, store


def decided_item(store: str) -> tuple[int, int]:
    """Today's meeting and the position of its first item with a decision to show."""
    meeting_id, _label = todays_meeting(store)
    with read_session(get_engine(store)) as session:
        position = session.execute(text(DECIDED_ITEM), {"meeting": meeting_id}).scalar()
    assert position is not None, "no item of today's meeting has a decision to show"
    return meeting_id, position


class OffHost:
    """Every request a browser context makes off the app's own address: recorded, refused."""

    def __init__(self, url: str) -> None:
        self.own = urlsplit(url).netloc
        self.requests: list[str] = []

    def __call__(self, route) -> None:
        if urlsplit(route.request.url).netloc == self.own:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    @property
    def evil(self) -> list[str]:
        return [address for address in self.requests if EVIL_HOST in address]


def check_page(tab, where: str, shown_whole: Callable[[str], bool]) -> bool:
    """Nothing drawn from stored text on the page as it stands, and the stored text it shows
    (the sidebar names the user, whose display name is hostile) readable as typed: a stored
    value whole (``shown_whole``). Whether the page's main part shows stored text."""
    drawn = tab.evaluate(DRAWN_FROM_STORED_TEXT, [list(FETCHING), EVIL_HOST])
    assert not drawn, f"{where}: drawn from stored text: {drawn[:5]}"
    body = read(tab, "body")
    assert EVIL_HOST not in body or shown_whole(body), f"{where}: stored text not shown as typed"
    return shown_whole(read(tab, '[data-testid="stMain"]'))


def read(tab, selector: str) -> str:
    """The text a user reads in ``selector``: the invisible word joiners left out."""
    return tab.inner_text(selector).replace(JOINER, "")


def open_page(tab, title: str, heading: str) -> None:
    tab.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    settle(tab, heading)


def test_no_page_of_any_role_fetches_or_formats_stored_text(chromium, hostile_served):
    url, store = hostile_served
    meeting_id, position = decided_item(store)
    wall = todays_meeting(store)[1]
    off_host = OffHost(url)
    shown_whole = shows_a_value_whole(store)
    shown_in_main: dict[str, bool] = {}
    with launched(chromium) as browser:
        for role, titles in MENU.items():
            context = browser.new_context(viewport={"width": 1600, "height": 900})
            context.route("**/*", off_host)
            tab = context.new_page()
            tab.goto(url)
            settle(tab, "Sign in")
            sign_in(tab, account(role).email, account(role).password)
            settle(tab, HOME_HEADING)
            # A county admin starts on the whole county, where the projector has no meeting.
            county = role is Role.COUNTY_ADMIN
            for title in titles:
                heading = wall if title == "Projector view" and not county else title
                if title != "Home":
                    open_page(tab, title, heading)
                shown_in_main[f"{role.value}: {title}"] = check_page(
                    tab, f"{role}: {title}", shown_whole
                )
                if title == "Projector view":  # the wall hides the sidebar: its link leads out
                    tab.get_by_test_id("stMain").get_by_role(
                        "link", name="Leave the projector view"
                    ).click()
                    settle(tab, "Meetings")
            if role in (Role.VIEWER, Role.COORDINATOR):
                # The wall's two panels (the item, its history), the co-ordinator's screen.
                wall_item = f"projector?meeting={meeting_id}&item={position}"
                visits = (
                    [(wall_item, wall, "Flags"), (f"{wall_item}&panel=history", wall,
                                                  "Previous decisions")]
                    if role is Role.VIEWER
                    else [(f"record?meeting={meeting_id}&item={position}", "Record decisions",
                           "Previous decisions")]
                )  # fmt: skip
                for address, heading, drawn in visits:
                    # A new address is a new session, signed in by the browser's cookie: it
                    # opens the page.
                    tab.goto(f"{url}/{address}")
                    settle(tab, heading)
                    tab.get_by_role("heading", name=drawn).first.wait_for()
                    shown_in_main[f"{role.value}: {address}"] = check_page(
                        tab, address, shown_whole
                    )
            context.close()
    print("Pages whose main part shows stored text:",
          sorted(where for where, shown in shown_in_main.items() if shown))  # fmt: skip
    print("Requests off the app's address (refused):", sorted(set(off_host.requests)))
    assert not off_host.evil, f"requests to {EVIL_HOST}: {off_host.evil}"
    assert not off_host.requests, f"requests off the app's host: {sorted(set(off_host.requests))}"
    # The wall and the co-ordinator's screen show the item's stored text, as typed.
    assert [where for where, shown in shown_in_main.items() if "?meeting=" in where and shown]
