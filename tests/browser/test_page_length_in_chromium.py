"""No page longer than three screens (issue 15): every page each role may open, at 1920×1080.

A page that grows past three screens is one nobody reads to the end, on a laptop or on the
wall: long lists are paged or searched, and a page's parts are chosen one at a time (tabs that
build only the open one, a chosen provider or school). This walks each role's menu on the demo
store in one browser, a context per role, waits until each page's run has finished and its
charts are drawn, and measures how tall the page's content is: the scroll height of
Streamlit's ``stMain``, the element that scrolls (the document itself is one screen tall).
A page split into parts (``dashboard.parts.one_part``: tabs that build only the open one) is
measured with each part open in turn. Every height is printed (``-s``), so a change's before
and after can be read off.
"""

import time
from collections.abc import Iterator
from itertools import chain

import pytest
from test_dashboard_in_chromium import (
    chromium,
    launched,
    served,
    settle,
    sign_in_as,
    through_the_menu,
)

from seips_core.auth.roles import Role

pytestmark = pytest.mark.browser
__all__ = ["chromium", "served"]  # fixtures, used by name

SCREEN = {"width": 1920, "height": 1080}
#: The longest a page may be by default, in CSS pixels.
LONGEST = 3 * SCREEN["height"]
#: The height of what ``stMain`` scrolls through.
CONTENT_HEIGHT = """() => document.querySelector('[data-testid="stMain"]').scrollHeight"""
#: Charts draw after the run has finished (Plotly's code loads on first use): until each has
#: its drawing, its height is not yet its own.
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(chart => chart.querySelector('.main-svg') !== null)"""
#: The open part of a page of parts has been drawn: only the open tab's panel is in the page,
#: and it stays empty from the click until the rerun that builds it has sent its elements.
PART_DRAWN = """() => document.querySelector(
    '[data-testid="stMain"] [role="tabpanel"] [data-testid="stElementContainer"]') !== null"""


def content_height(page) -> int:
    """The page's content height once its charts are drawn and it has stopped changing (two
    readings a quarter of a second apart agree)."""
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    before = page.evaluate(CONTENT_HEIGHT)
    for _ in range(40):
        time.sleep(0.25)
        now = page.evaluate(CONTENT_HEIGHT)
        if now == before:
            return now
        before = now
    pytest.fail(f"the page {page.url} kept changing height")


def each_part(page, heading: str) -> Iterator[str]:
    """Open each further part of a page of parts (its first row of tabs) in turn: each one's
    name, once it has been drawn and the run has finished."""
    tabs = page.get_by_test_id("stMain").get_by_test_id("stTabs").first.get_by_role("tab")
    names = tabs.all_inner_texts() if tabs.count() else []
    for name in names[1:]:
        tabs.filter(has_text=name).click()
        page.wait_for_function(PART_DRAWN, timeout=60_000)
        settle(page, heading)
        yield name


def test_no_page_is_longer_than_three_screens_for_any_role(chromium, served):
    url, store = served
    heights: dict[tuple[Role, str], int] = {}
    with launched(chromium) as browser:
        for role in Role:
            context = browser.new_context(viewport=SCREEN)
            page = context.new_page()
            page.goto(url)
            sign_in_as(page, role)
            for title in chain(["Home"], through_the_menu(page, role, store)):
                for part in chain([""], each_part(page, title)):
                    name = f"{title} › {part}" if part else title
                    heights[role, name] = content_height(page)
                    print(f"{role.value:>13}  {name:<60} {heights[role, name]:>6,} px")
            context.close()
    too_long = [
        f"{title} as {role.value}: {height:,} px"
        for (role, title), height in heights.items()
        if height > LONGEST
    ]
    assert not too_long, f"longer than three screens ({LONGEST:,} px): {too_long}"
