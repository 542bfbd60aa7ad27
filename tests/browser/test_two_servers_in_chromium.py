"""Two app servers on one PostgreSQL store, as a county runs them behind its proxy (issue 14).

Two ``seips serve`` processes on different ports share one PostgreSQL database and one
``SEIPS_COOKIE_SECRET``, as deploy/seips.env.example has them (unset, they would share the key
kept in the store). A co-ordinator signs in on server A and makes a wall link there; the room's
screen opens that link on server B. The co-ordinator's sign-in cookie is accepted by B as well
(a proxy may move a browser to another server when its own stops). On A's Record decisions page
the co-ordinator puts an item on the wall and saves its decision: B's wall, a different process
with its own sessions and caches, shows each within two seconds, with no reload. The times are
printed; the two seconds are asserted on the measured time, the timeouts only end a hung wait.
"""

import secrets
import time
from collections.abc import Iterator
from datetime import date

import pytest
from test_dashboard_in_chromium import account, chromium, serving, settle
from test_live_meeting import (
    LIVE_SECONDS,
    WAIT_MS,
    WALL,
    browser,
    decisions,
    fill_in,
    save,
    saved_message,
    undecided_item,
    wait_seconds,
)
from test_presenting_in_chromium import shows_item
from test_wall_link_in_chromium import meetings_page

from seips_core.auth.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
__all__ = ["browser", "chromium"]  # fixtures, used by name


@pytest.fixture(scope="module")
def two_servers(module_postgres_url, tmp_path_factory) -> Iterator[tuple[str, str, str]]:
    """Servers A and B (their addresses) on one new PostgreSQL store (filled with the sample
    county by A before B starts), sharing the cookie secrets as the deployment's environment file
    has them; the store's URL last."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SEIPS_COOKIE_SECRET", secrets.token_urlsafe(48))
        env.setenv("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_urlsafe(48))
        with (
            serving(module_postgres_url, tmp_path_factory.mktemp("server-a")) as server_a,
            serving(module_postgres_url, tmp_path_factory.mktemp("server-b")) as server_b,
        ):
            yield server_a, server_b, module_postgres_url


def test_a_decision_saved_through_one_server_shows_on_a_wall_served_by_the_other(
    browser, two_servers
):
    from playwright.sync_api import expect

    server_a, server_b, store = two_servers
    item = undecided_item(store)

    # Signed in on A, the co-ordinator makes the wall link there; the room opens it on B.
    laptop = meetings_page(browser, server_a, item.meeting_id)
    laptop.get_by_role("button", name="Make a wall link").click()
    link = laptop.get_by_test_id("stCode").inner_text(timeout=WAIT_MS).strip()
    assert link.startswith(f"{server_a}/projector?wall=")
    wall = browser.new_context(viewport=WALL).new_page()
    wall.goto(link.replace(server_a, server_b, 1))
    settle(wall, item.meeting_name)
    wall.evaluate("window.__notReloaded = true")  # gone if the page were loaded again

    # The sign-in cookie A set is good on B: the same browser opens B's pages signed in.
    on_b = laptop.context.new_page()
    on_b.goto(f"{server_b}/meetings?meeting={item.meeting_id}")
    settle(on_b, "Meetings")
    expect(on_b.get_by_role("heading", name="Sign in")).to_have_count(0)
    on_b.close()

    laptop.goto(f"{server_a}/record{item.query}")
    settle(laptop, "Record decisions")
    laptop.get_by_role("heading", name=f"Item {item.position} of {item.items}: decision").wait_for()
    clicked = time.monotonic()
    laptop.get_by_role("button", name="Show on the wall").click()
    presented = clicked + wait_seconds(laptop.get_by_text("On the wall now: this item"), clicked)
    presented_seconds = shows_item(wall, item.position, item.items) - presented
    expect(wall.get_by_role("heading", level=2)).to_have_text(f"{item.case_ref} ({item.initials})")

    rationale = f"Deferred: saved through server A, shown by server B ({date.today()})."
    fill_in(laptop, "Defer", rationale)
    clicked = save(laptop)
    saved = clicked + wait_seconds(saved_message(laptop, "Defer"), clicked)
    live_seconds = wait_seconds(wall.get_by_text(f"Decision: Defer. {rationale}"), saved)
    print(
        f"Server B's wall showed the item {presented_seconds:.2f}s after A said it was on the "
        f"wall, and the decision {live_seconds:.2f}s after A said it was saved"
    )
    assert presented_seconds <= LIVE_SECONDS, f"B's wall showed the item {presented_seconds:.2f}s"
    assert live_seconds <= LIVE_SECONDS, f"B's wall showed the decision {live_seconds:.2f}s"
    assert wall.evaluate("window.__notReloaded === true"), "the wall was reloaded"
    assert decisions(store, item) == [("defer", rationale, account(Role.COORDINATOR).email)]
    expect(wall.get_by_test_id("stMain")).not_to_contain_text(item.full_name, timeout=WAIT_MS)
