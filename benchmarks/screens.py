"""Many screens on one meeting: what each idle screen costs the server, and how long a save
takes to reach the last of them.

Run ``python -m benchmarks.screens [--screens 1 5 10 20 30] [--idle-seconds 15]`` (Debian's
``chromium`` is needed). It serves a new demo store (the sample county) with ``seips serve``,
makes a wall link for the demo partnership's meeting today and, for each N, opens N headless
Chromium tabs on it (each a browser context: a session of its own, as N machines would be).
Then, for each N, it prints:

- the server's CPU while the N screens sit idle (their live ticks only), in all and per screen,
  as a share of one core;
- the time from a save (the presenter putting another item up, through the service) to each
  screen showing it: the median and the last screen (each page records when the text appears,
  on the same machine's clock);
- the server's memory (resident set);
- the machine's load average (one minute) at the end: other work on the machine slows the
  server's threads, so compare rows taken under similar load.

It asserts nothing about time: it prints figures to compare, in one run, side by side.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from sqlalchemy import select

from seips_core.auth.accounts import actor_for_oidc_user
from seips_core.auth.demo import DEMO_ACCOUNTS, DEMO_PARTNERSHIP
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session
from seips_core.models import AgendaItem, Meeting, Partnership
from seips_core.services.presenting import present
from seips_core.services.wall_links import WALL_PARAM, create_wall_link

SEIPS = str(Path(sys.executable).parent / "seips")
CHROMIUM = "/usr/bin/chromium"
TICKS = os.sysconf("SC_CLK_TCK")
#: Does the wall show the text asked for?
SHOWS = "text => document.querySelector('[data-testid=stMain]')?.innerText.includes(text)"
#: Records in the page (``window.__shownAt``, ms since the epoch) when the wall first shows
#: the text asked for: set before the save, read after, so no wait is timed from Python.
WATCH = """text => {
    window.__shownAt = null;
    const seen = () => document.querySelector('[data-testid=stMain]')?.innerText.includes(text);
    new MutationObserver((_changes, observer) => {
        if (seen()) { observer.disconnect(); window.__shownAt = Date.now(); }
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve(url: str, folder: Path) -> tuple[subprocess.Popen, str]:
    """``seips serve --demo`` of the store at ``url`` (an empty one is filled with the sample
    county first) on a free port, its log in ``folder``: the process and its address, once it
    answers."""
    port = _free_port()
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(
        [SEIPS, "serve", "--demo", "--port", str(port)],
        env={**os.environ, "SEIPS_DATABASE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    address = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{address}/_stcore/health", timeout=1)
            return server, address
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not start: see {folder / 'serve.log'}")


def stop(server: subprocess.Popen) -> None:
    """The server and the Streamlit process it started (its own process group)."""
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _meeting_items(url: str) -> tuple[int, list[int]]:
    with read_session(get_engine(url)) as session:
        meeting_id = session.scalar(
            select(Meeting.id)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(Partnership.code == DEMO_PARTNERSHIP, Meeting.meeting_date == date.today())
        )
        items = session.scalars(
            select(AgendaItem.id)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        ).all()
    return meeting_id, list(items)


def measure(browser, address: str, url: str, server_pid: int, screens: int, idle: float) -> str:
    """One line of figures for ``screens`` screens on the meeting's wall link."""
    engine = get_engine(url)
    (account,) = [a for a in DEMO_ACCOUNTS if a.role is Role.COORDINATOR]
    presenter = actor_for_oidc_user(engine, account.email)
    meeting_id, items = _meeting_items(url)
    present(engine, presenter, meeting_id, items[0])
    _link, token = create_wall_link(engine, presenter, meeting_id)
    contexts = [
        browser.new_context(viewport={"width": 1280, "height": 720}) for _ in range(screens)
    ]
    tabs = [context.new_page() for context in contexts]
    for tab in tabs:  # a busy machine may take a while to answer the thirtieth
        tab.goto(f"{address}/projector?{WALL_PARAM}={token}", timeout=120_000)
    for tab in tabs:
        tab.wait_for_function(SHOWS, arg=f"Item 1 of {len(items)}", timeout=120_000)
    time.sleep(3)  # every screen has settled into its ticks
    cpu_before, started = _cpu_seconds(server_pid), time.monotonic()
    time.sleep(idle)
    core_share = (_cpu_seconds(server_pid) - cpu_before) / (time.monotonic() - started)
    for tab in tabs:
        tab.evaluate(WATCH, f"Item 2 of {len(items)}")
    saved = time.time()
    present(engine, presenter, meeting_id, items[1])
    shown = []
    for tab in tabs:
        tab.wait_for_function("() => window.__shownAt", timeout=120_000)
        shown.append(tab.evaluate("() => window.__shownAt") / 1000 - saved)
    shown.sort()
    memory = _resident_mib(server_pid)
    for context in contexts:
        context.close()
    return (
        f"{screens:>7} {core_share * 100:>9.1f}% {core_share * 100 / screens:>11.1f}% "
        f"{statistics.median(shown):>9.2f}s {shown[-1]:>9.2f}s {memory:>9.0f} MiB "
        f"{os.getloadavg()[0]:>9.1f}"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, nargs="+", default=[1, 5, 10, 20, 30])
    parser.add_argument("--idle-seconds", type=float, default=15.0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'seips.db'}"
        server, address = serve(url, Path(folder))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                print(f"{'screens':>7} {'idle CPU':>10} {'per screen':>12} "
                      f"{'save→median':>10} {'save→last':>9} {'memory':>13} "
                      f"{'load avg':>9}")  # fmt: skip
                for screens in options.screens:
                    print(measure(browser, address, url, server.pid, screens,
                                  options.idle_seconds), flush=True)  # fmt: skip
                browser.close()
        finally:
            stop(server)


if __name__ == "__main__":
    main()
