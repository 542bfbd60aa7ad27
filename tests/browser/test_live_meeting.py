"""A live meeting in two browsers (issue 4), each a browser context of its own (its own
Streamlit session, as two machines would be).

The co-ordinator records the panel's decision on their laptop, and the room's projector view,
open as a viewer in the other context, shows it within two seconds without anyone touching or
reloading it. Then two co-ordinators on the same item: the second is warned that the item
changed on another screen, and their save is refused ("Changed by … reload"), never a silent
overwrite. What the store holds is checked in plain SQL; screenshots of both screens are saved
(look at them: the projector's is what the room sees) and axe-core checks the projector view.
"""

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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

from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session

pytestmark = pytest.mark.browser
__all__ = ["chromium", "served"]  # fixtures, used by name

#: The meeting's items not decided yet whose pupil has no EHCP: an EHCP pupil's case may only
#: be routed to the annual review or deferred (R15), so "Decline" would not be offered.
UNDECIDED_ITEMS = """
    SELECT a.position, p.case_ref, p.first_name, p.last_name
    FROM agendaitem a JOIN pupil p ON p.id = a.pupil_id
    WHERE a.meeting_id = :meeting AND NOT p.ehcp
      AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.agenda_item_id = a.id)
    ORDER BY a.position"""
#: How many items the meeting has, and how many of them are decided.
PROGRESS = """
    SELECT COUNT(*), COUNT(DISTINCT d.agenda_item_id)
    FROM agendaitem a LEFT JOIN decision d ON d.agenda_item_id = a.id
    WHERE a.meeting_id = :meeting"""
#: Every decision row saved on one item (an amendment would be a second row).
DECISIONS = """
    SELECT d.outcome, d.rationale, d.decided_by
    FROM decision d JOIN agendaitem a ON a.id = d.agenda_item_id
    WHERE a.meeting_id = :meeting AND a.position = :position ORDER BY d.id"""
#: A save on one screen shows on every other within this many seconds (issue 4).
LIVE_SECONDS = 2.0
#: How long a wait may last before it fails as a timeout; the two seconds are asserted on the
#: measured time, not through this timeout.
WAIT_MS = 10_000
RATIONALE_LABEL = "Rationale"
WALL = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1440, "height": 900}


@dataclass(frozen=True)
class Item:
    """An undecided agenda item of the demo partnership's meeting today, as the store says."""

    meeting_id: int
    meeting_name: str
    position: int
    items: int
    decided: int
    case_ref: str
    initials: str
    full_name: str

    @property
    def query(self) -> str:
        """The deep link's query: ``?meeting=ID&item=N``."""
        return f"?meeting={self.meeting_id}&item={self.position}"


def undecided_item(store: str) -> Item:
    """The first item of today's meeting with no decision and no EHCP, read in plain SQL."""
    meeting_id, meeting_name = todays_meeting(store)
    with read_session(get_engine(store)) as session:
        undecided = session.execute(text(UNDECIDED_ITEMS), {"meeting": meeting_id}).first()
        assert undecided is not None, "today's meeting has no undecided item without an EHCP"
        items, decided = session.execute(text(PROGRESS), {"meeting": meeting_id}).one()
    position, case_ref, first, last = undecided
    return Item(
        meeting_id,
        meeting_name,
        position,
        items,
        decided,
        case_ref,
        f"{first[0].upper()}. {last[0].upper()}.",
        f"{first} {last}",
    )


def decisions(store: str, item: Item) -> list[tuple[str, str, str]]:
    """(outcome, rationale, decided_by) of every decision row on ``item``, oldest first."""
    with read_session(get_engine(store)) as session:
        rows = session.execute(
            text(DECISIONS), {"meeting": item.meeting_id, "position": item.position}
        ).all()
    return [tuple(row) for row in rows]


@pytest.fixture
def browser(chromium):
    """Headless Debian Chromium; each test opens its screens as contexts of their own."""
    with launched(chromium) as browser:
        yield browser


def open_signed_in(browser, address: str, role: Role, heading: str, size: dict[str, int]):
    """A new browser context (a session of its own) opening ``address``: the sign-in page
    answers there, and once ``role``'s demo account is signed in the same address opens the
    page headed ``heading``."""
    tab = browser.new_context(viewport=size).new_page()
    tab.goto(address)
    settle(tab, "Sign in")
    sign_in(tab, account(role).email, account(role).password)
    settle(tab, heading)
    assert tab.url == address, "the deep link was lost on signing in"
    return tab


def record_page(browser, url: str, item: Item):
    """A co-ordinator's Record decisions page on ``item``, opened by its link."""
    laptop = open_signed_in(
        browser, f"{url}/record{item.query}", Role.COORDINATOR, "Record decisions", LAPTOP
    )
    laptop.get_by_role("heading", name=f"Item {item.position} of {item.items}: decision").wait_for()
    return laptop


def fill_in(laptop, outcome: str, rationale: str) -> None:
    """Pick ``outcome`` in the Outcome box (typed, then Enter, as by keyboard) and type the
    rationale into the form that the outcome brings up."""
    box = laptop.get_by_role("combobox", name="Outcome", exact=True)
    box.click()
    box.fill(outcome)
    box.press("Enter")
    laptop.get_by_label(RATIONALE_LABEL).fill(rationale)


def save(laptop) -> float:
    """Click "Save the decision"; the monotonic time of the click."""
    button = laptop.get_by_role("button", name="Save the decision")
    button.click()
    return time.monotonic()


def wait_seconds(locator, since: float) -> float:
    """Wait until ``locator`` is visible; the seconds from ``since`` until then."""
    locator.wait_for(state="visible", timeout=WAIT_MS)
    return time.monotonic() - since


def saved_message(laptop, outcome: str):
    return laptop.get_by_text(f"Decision saved and audited: {outcome}.")


def test_a_decision_saved_on_the_laptop_shows_on_the_projector_within_two_seconds(
    browser, served, tmp_path: Path
):
    from playwright.sync_api import expect

    url, store = served
    item = undecided_item(store)
    rationale = f"Deferred until the school's report arrives (browser test, {date.today()})."
    wall = open_signed_in(
        browser, f"{url}/projector{item.query}", Role.VIEWER, item.meeting_name, WALL
    )
    laptop = record_page(browser, url, item)

    # The wall before: this item, by case reference and initials only, not decided yet.
    expect(wall.get_by_role("heading", level=2)).to_have_text(f"{item.case_ref} ({item.initials})")
    progress = f"Item {item.position} of {item.items} · {item.decided} of {item.items} decided"
    expect(wall.get_by_text(progress)).to_be_visible()
    expect(wall.get_by_text("No decision yet.")).to_be_visible()
    wall.screenshot(path=tmp_path / "projector-before.png")
    print(f"Screenshot: {tmp_path / 'projector-before.png'}")
    wall.evaluate("window.__notReloaded = true")  # gone if the page were loaded again

    fill_in(laptop, "Defer", rationale)
    clicked = save(laptop)
    save_seconds = wait_seconds(saved_message(laptop, "Defer"), clicked)
    saved = clicked + save_seconds
    shown = wall.get_by_text(f"Decision: Defer. {rationale}")
    live_seconds = wait_seconds(shown, saved)
    print(
        f"Projector showed the decision {live_seconds:.2f}s after the laptop said it was saved "
        f"({save_seconds + live_seconds:.2f}s after the click on Save; the save took "
        f"{save_seconds:.2f}s)"
    )
    assert live_seconds <= LIVE_SECONDS, (
        f"the projector took {live_seconds:.2f}s (more than {LIVE_SECONDS}s) to show the decision"
    )
    assert wall.evaluate("window.__notReloaded === true"), "the projector page was reloaded"
    assert wall.url == f"{url}/projector{item.query}"
    expect(wall.get_by_text("No decision yet.")).to_have_count(0)
    expect(
        wall.get_by_text(
            f"Item {item.position} of {item.items} · {item.decided + 1} of {item.items} decided"
        )
    ).to_be_visible()
    expect(wall.get_by_test_id("stMain")).not_to_contain_text(item.full_name)

    assert decisions(store, item) == [("defer", rationale, account(Role.COORDINATOR).email)]

    for name, tab in (("projector-after", wall), ("laptop-after", laptop)):
        tab.screenshot(path=tmp_path / f"{name}.png", full_page=True)
        print(f"Screenshot: {tmp_path / f'{name}.png'}")
    assert_no_serious_axe_violations(wall, "projector-axe", tmp_path)


def test_a_second_coordinator_on_the_same_item_is_warned_and_cannot_overwrite(
    browser, served, tmp_path: Path
):
    from playwright.sync_api import expect

    url, store = served
    item = undecided_item(store)
    first = f"Deferred: the first screen saved this (browser test, {date.today()})."
    second = "Declined: typed on the second screen at the same time."
    screen_a = record_page(browser, url, item)
    screen_b = record_page(browser, url, item)
    # Both at work on the same undecided item: B has chosen and typed, not yet saved.
    fill_in(screen_b, "Decline", second)
    fill_in(screen_a, "Defer", first)
    warning = screen_b.get_by_text("This item's decision was changed on another screen.")
    expect(warning).to_have_count(0)
    save(screen_a)
    saved_message(screen_a, "Defer").wait_for(timeout=WAIT_MS)
    saved = time.monotonic()

    warned_seconds = wait_seconds(warning, saved)
    print(f"The second screen was warned {warned_seconds:.2f}s after the first one saved")
    assert warned_seconds <= LIVE_SECONDS
    # Beside the warning, B's live item shows A's decision (the form keeps B's choice).
    expect(screen_b.get_by_text(f"Decision: Defer. {first}")).to_be_visible()
    expect(screen_b.get_by_label(RATIONALE_LABEL)).to_have_value(second)
    screen_b.screenshot(path=tmp_path / "second-screen-warned.png", full_page=True)
    print(f"Screenshot: {tmp_path / 'second-screen-warned.png'}")

    save(screen_b)
    refusal = screen_b.get_by_test_id("stAlert").filter(has_text="Not saved.")
    expect(refusal).to_contain_text("Changed by", timeout=WAIT_MS)
    expect(refusal).to_contain_text("reload")
    expect(saved_message(screen_b, "Decline")).to_have_count(0)
    # Nothing typed is lost: B's outcome and rationale wait on screen for a reload and save.
    expect(screen_b.get_by_label(RATIONALE_LABEL)).to_have_value(second)
    screen_b.screenshot(path=tmp_path / "second-screen-refused.png", full_page=True)
    print(f"Screenshot: {tmp_path / 'second-screen-refused.png'}")

    assert decisions(store, item) == [("defer", first, account(Role.COORDINATOR).email)]
