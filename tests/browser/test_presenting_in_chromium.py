"""The presenter drives, the walls follow (issue 12), in three browser contexts (three
machines): a co-ordinator's laptop on Record decisions, the wall (a viewer's projector view at
1920×1080), and a second laptop on the projector view that follows the room until it looks
ahead. The co-ordinator clicks "Show on the wall": the wall and the follower show the item
within a second of the click (the median of eight), with no reload. The second laptop then
looks ahead: its screen moves, the wall and the store do not. Times are printed (the co-ordinator's
guide quotes them); the one second is asserted on the measured time, the timeouts only end a hung
wait.
"""

import statistics
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from test_dashboard_in_chromium import chromium, served, settle
from test_live_meeting import LAPTOP, WALL, browser, open_signed_in, undecided_item

from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session

pytestmark = pytest.mark.browser
__all__ = ["browser", "chromium", "served"]  # fixtures, used by name

#: Issue 12: every wall and follower shows the presented item within a second of the click.
FOLLOW_SECONDS = 1.0
WAIT_MS = 10_000
#: What the walls of a meeting show, as the store has it.
ON_THE_WALL = """
    SELECT a.position, p.panel, p.presented_by FROM presentation p
    LEFT JOIN agendaitem a ON a.id = p.agenda_item_id WHERE p.meeting_id = :meeting"""


def on_the_wall(store: str, meeting_id: int) -> tuple | None:
    with read_session(get_engine(store)) as session:
        row = session.execute(text(ON_THE_WALL), {"meeting": meeting_id}).first()
    return None if row is None else tuple(row)


def shows_item(tab, position: int, items: int) -> float:
    """Wait (polling every 20 ms) until ``tab`` shows item ``position``; the monotonic time."""
    tab.wait_for_function(
        "text => document.querySelector('[data-testid=stMain]').innerText.includes(text)",
        arg=f"Item {position} of {items}",
        polling=20,
        timeout=WAIT_MS,
    )
    return time.monotonic()


def test_the_wall_and_a_follower_show_what_the_presenter_puts_up_and_a_laptop_looks_ahead(
    browser, served, tmp_path: Path
):
    from playwright.sync_api import expect

    url, store = served
    item = undecided_item(store)
    assert item.position < item.items, "the test moves the wall to the item after"
    wall = open_signed_in(browser, f"{url}/projector{item.query}", Role.VIEWER,
                          item.meeting_name, WALL)  # fmt: skip
    follower = open_signed_in(
        browser, f"{url}/projector?meeting={item.meeting_id}", Role.CHAIR, item.meeting_name, LAPTOP
    )
    laptop = open_signed_in(
        browser, f"{url}/record{item.query}", Role.COORDINATOR, "Record decisions", LAPTOP
    )
    laptop.get_by_role("heading", name=f"Item {item.position} of {item.items}: decision").wait_for()
    for tab in (wall, follower):
        tab.evaluate("window.__notReloaded = true")  # gone if the page were loaded again
    expect(wall.get_by_role("button", name="Show on the wall")).to_have_count(0)

    # The presenter puts the next item up, then this one: the walls follow each click.
    timings = []
    moves = ((item.position + 1, "Next item"), (item.position, "Previous item")) * 2
    for position, move in moves:
        laptop.get_by_role("button", name=move).click()
        heading = f"Item {position} of {item.items}: decision"
        laptop.get_by_role("heading", name=heading).wait_for(timeout=WAIT_MS)
        settle(laptop, "Record decisions")
        clicked = time.monotonic()
        laptop.get_by_role("button", name="Show on the wall").click()
        shown = {name: shows_item(tab, position, item.items) - clicked
                 for name, tab in (("wall", wall), ("follower", follower))}  # fmt: skip
        timings.append(shown)
        expect(laptop.get_by_text("On the wall now: this item")).to_be_visible(timeout=WAIT_MS)
        assert on_the_wall(store, item.meeting_id)[:2] == (position, "item")
    print(
        "Follow latency from the click on 'Show on the wall': "
        + "; ".join(
            f"{name} {seconds:.2f}s" for shown in timings for name, seconds in shown.items()
        )
    )
    # The median, not the slowest: one tick delayed by a busy shared machine is not the
    # mechanism failing; a follow that is slow every time is.
    typical = statistics.median(seconds for shown in timings for seconds in shown.values())
    assert typical <= FOLLOW_SECONDS, f"screens typically followed {typical:.2f}s after the click"
    for tab in (wall, follower):
        assert tab.evaluate("window.__notReloaded === true"), "a follower was reloaded"
    expect(wall.get_by_role("heading", level=2)).to_have_text(f"{item.case_ref} ({item.initials})")
    expect(wall.get_by_test_id("stMain")).not_to_contain_text(item.full_name)

    # The second laptop looks ahead: its own screen moves; the wall and the store stay.
    follower.get_by_role("button", name="Next item").click()
    shows_item(follower, item.position + 1, item.items)
    expect(follower.get_by_text("no longer follows the wall")).to_be_visible()
    time.sleep(2 * FOLLOW_SECONDS)  # ticks of the wall: it must not move
    assert on_the_wall(store, item.meeting_id)[0] == item.position
    expect(wall.get_by_text(f"Item {item.position} of {item.items}")).to_be_visible()

    # The presenter shows the history panel: the wall follows, the looking laptop does not.
    laptop.get_by_role("button", name="Show its history on the wall").click()
    expect(laptop.get_by_text("On the wall now: this item (its history)")).to_be_visible(
        timeout=WAIT_MS
    )
    assert on_the_wall(store, item.meeting_id)[1] == "history"
    for name, tab in (("wall", wall), ("follower-looking-ahead", follower), ("laptop", laptop)):
        tab.screenshot(path=tmp_path / f"{name}.png")
        print(f"Screenshot: {tmp_path / f'{name}.png'}")
