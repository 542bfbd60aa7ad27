"""How long each page takes in a real browser: its first visit, and a visit again later.

Run ``python -m benchmarks.first_visit [--role coordinator county_admin] [--visits 2]``
(Debian's ``chromium`` is needed). It serves a new demo store (the sample county) with
``seips serve``, signs in with the demo account of each role in headless Chromium and clicks
each page of the sidebar menu in turn, then clicks them all again (a server of its own for
each role, so that each finds the cache cold). For each click it prints the time from the
click to the end of the page's script run (the server's "script finished" message on the
tab's websocket) and to the page drawn (the app not running, as ``settle`` in the browser
tests waits for, and no element still loading its code, a table's or a chart's, on its first
use). A first visit finds the server's cache cold for that page's questions (the first user
of the day); a revisit finds it warm, which is every later visit until the store changes.
Home's first visit is the sign-in itself.

It asserts nothing about time: it prints figures, the target beside them (1 s at county
scale for a first visit).
"""

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.screens import CHROMIUM, serve, stop
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.roles import Role

TARGET_SECONDS = 1.0
PROJECTOR = "Projector view"
#: The projector view's way out to Meetings (with or without a meeting to show).
LEAVE_PROJECTOR = re.compile("Leave the projector view")
#: Once the run has finished: true when the browser has drawn it, no element still waiting
#: for its code (a table's or a chart's, loaded on first use).
DRAWN = """() => document.querySelector('[data-testid=stApp]')
    ?.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid=stSkeleton], [data-testid=stSkeletonElement]')"""


@dataclass(frozen=True)
class Visit:
    """Seconds from a click to the page's run finished and to the page drawn."""

    run: float
    drawn: float


class RunWatch:
    """When the server says a whole script run has finished, read from the tab's websocket.

    Streamlit sends a ``script_finished`` message at the end of each run: its status tells a
    whole run from a live area's tick (a fragment) and from a run cut short by ``st.rerun``
    (signing in reruns into the page). Watching the app's "running" attribute instead misses
    a run short enough for the browser to draw both states at once.
    """

    def __init__(self, tab) -> None:
        self.finished: float | None = None
        tab.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg.FromString(payload)
        if (
            message.WhichOneof("type") == "script_finished"
            and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        ):
            self.finished = time.perf_counter()

    def timed(self, tab, act) -> Visit:
        """``act()`` (a click), timed until the run it starts finishes and is drawn."""
        self.finished = None
        clicked = time.perf_counter()
        act()
        while self.finished is None:
            tab.wait_for_timeout(5)  # the tab's events are handled meanwhile
        tab.wait_for_function(DRAWN, timeout=120_000, polling=10)
        return Visit(self.finished - clicked, time.perf_counter() - clicked)


def _menu(tab) -> list[str]:
    """The sidebar menu's page titles, in order (each link's last line: its icon comes first)."""
    links = tab.get_by_test_id("stSidebar").get_by_test_id("stPageLink")
    return [text.strip().splitlines()[-1] for text in links.all_inner_texts()]


def _click_page(tab, title: str) -> None:
    tab.get_by_test_id("stSidebar").get_by_test_id("stPageLink").filter(
        has_text=title
    ).first.click()


def _in_visiting_order(titles: list[str]) -> list[str]:
    """The menu's pages with the projector view last: it hides the sidebar (the wall shows
    the item alone), and is left by its own link, untimed, before the next round."""
    return sorted(titles, key=lambda title: title == PROJECTOR)


def visits(browser, address: str, role: Role, rounds: int) -> dict[str, list[Visit]]:
    """Each menu page's visits, in menu order, for the demo account of ``role``."""
    (account,) = [each for each in DEMO_ACCOUNTS if each.role is role]
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    tab = context.new_page()
    watch = RunWatch(tab)
    tab.goto(address)
    tab.get_by_label("Email address").wait_for(timeout=120_000)
    tab.get_by_label("Email address").fill(account.email)
    tab.get_by_label("Password", exact=True).fill(account.password)
    signed_in = watch.timed(tab, lambda: tab.get_by_label("Password", exact=True).press("Enter"))
    titles = _in_visiting_order(_menu(tab))
    timings: dict[str, list[Visit]] = {title: [] for title in titles}
    timings[titles[0]].append(signed_in)  # Home, opened by signing in
    for round_ in range(rounds):
        for title in titles[1:] if round_ == 0 else titles:
            print(f"  {role.label}: {title}…", file=sys.stderr, flush=True)
            timings[title].append(watch.timed(tab, lambda title=title: _click_page(tab, title)))
        if PROJECTOR in titles:
            watch.timed(tab, tab.get_by_role("link", name=LEAVE_PROJECTOR).click)
    context.close()
    return timings


def report(role: Role, timings: dict[str, list[Visit]]) -> None:
    """First visit and the later ones, run finished and page drawn, with the target."""
    print(f"\n{role.label} (first visit, then again; seconds from the click)")
    header = f"{'page':<26}{'first: run':>11}{'drawn':>7}   {'again: run':>11}{'drawn':>7}  target"
    print(header)
    print("-" * len(header))
    for title, each in timings.items():
        first, *later = each
        again = (
            f"{min(v.run for v in later):>11.2f}{min(v.drawn for v in later):>7.2f}"
            if later
            else f"{'':>18}"
        )
        verdict = "met" if first.drawn <= TARGET_SECONDS else "MISSED"
        print(f"{title:<26}{first.run:>11.2f}{first.drawn:>7.2f}   {again}  {verdict}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--role",
        nargs="+",
        choices=[role.value for role in Role],
        default=[Role.COORDINATOR.value, Role.COUNTY_ADMIN.value],
    )
    parser.add_argument("--visits", type=int, default=2, help="visits to each page (2 or more)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        url = f"sqlite:///{Path(folder) / 'seips.db'}"
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for role in options.role:
            # A server of its own for each role (the store built by the first): every first
            # visit finds the server's cache cold, as the first user of the day does.
            server, address = serve(url, Path(folder))
            try:
                report(Role(role), visits(browser, address, Role(role), options.visits))
            finally:
                stop(server)
        browser.close()


if __name__ == "__main__":
    main()
