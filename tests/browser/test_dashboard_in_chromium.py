"""The dashboard as a panel sees it: `seips serve` in headless Debian Chromium.

Checks the home page's numbers against the store, runs axe-core for WCAG problems and saves
a screenshot (look at it: it is what the projector shows).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from seips_core.db import get_engine, read_session
from seips_core.queries.home import home_figures

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SEIPS = Path(sys.executable).parent / "seips"
START_SECONDS = 240  # serve fills the empty store with the sample county first
PAGES = ("Home", "Needs attention", "Schools")
METRIC_LABELS = {
    "Open referrals": "open_referrals",
    "Pupils at Tier 4": "pupils_at_tier4",
    "Fair Access waiting": "fair_access_waiting",
    "Placements running": "placements_running",
}


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("SEIPS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SEIPS_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"seips serve stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"seips serve did not answer within {START_SECONDS}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> tuple[str, str]:
    """``seips serve`` on a free port with a new SQLite store; stopped whatever happens."""
    folder = tmp_path_factory.mktemp("served")
    store = f"sqlite:///{folder / 'seips.db'}"
    port = _free_port()
    log = folder / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(SEIPS), "serve", "--port", str(port)],
            env={**os.environ, "SEIPS_DATABASE_URL": store},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the kill reaches streamlit
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(url, server, log)
        yield url, store
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def page(chromium, served):
    """A Chromium tab on the dashboard's home page, once it has finished running."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            tab = browser.new_page(viewport={"width": 1600, "height": 900})
            tab.goto(served[0])
            settle(tab, "SEIP panel dashboard")
            yield tab
        finally:
            browser.close()


def settle(page, title: str) -> None:
    """Wait until the page titled ``title`` has run and every element is drawn.

    Streamlit loads some elements' code (tables, charts) only when first needed and shows a
    placeholder ("skeleton") meanwhile: axe must see the elements, not the placeholders.
    """
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=60_000)
    for still_busy in ("stStatusWidget", "stSkeleton", "stSkeletonElement"):
        expect(page.get_by_test_id(still_busy)).to_have_count(0, timeout=60_000)


def assert_no_serious_axe_violations(page, name: str, folder: Path) -> None:
    """axe-core on the page as drawn; a screenshot beside the report to look at."""
    from axe_playwright_python.sync_playwright import Axe

    page.screenshot(path=folder / f"{name}.png")
    print(f"Screenshot: {folder / f'{name}.png'}")
    results = Axe().run(page)
    serious = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    for violation in serious:
        print(results.generate_report(violation["id"]))
    assert not serious, f"axe-core on {name}: {[violation['id'] for violation in serious]}"


def test_home_page_in_chromium_shows_the_store_figures(page, served, tmp_path):
    with read_session(get_engine(served[1])) as session:
        expected = home_figures(session, date.today())
    metrics = page.get_by_test_id("stMetric")
    shown = {
        metric.get_by_test_id("stMetricLabel").inner_text().strip(): metric.get_by_test_id(
            "stMetricValue"
        ).inner_text()
        for metric in metrics.all()
    }
    assert {label: int(value.replace(",", "")) for label, value in shown.items()} == {
        label: getattr(expected, field) for label, field in METRIC_LABELS.items()
    }
    assert page.get_by_test_id("stPageLink").count() > len(PAGES)  # the flags by rule
    assert_no_serious_axe_violations(page, "home", tmp_path)


def test_each_page_reached_through_the_menu_passes_axe(page, tmp_path):
    for title in ("Needs attention", "Schools"):
        page.get_by_test_id("stSidebar").get_by_role("link", name=title).click()
        settle(page, title)
        assert_no_serious_axe_violations(page, title.lower().replace(" ", "-"), tmp_path)
    # A partnership's schools come with the tier chart: check it too.
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option").nth(1).click()
    settle(page, "Schools")
    page.locator(".js-plotly-plot").wait_for(timeout=30_000)
    assert_no_serious_axe_violations(page, "schools-of-a-partnership", tmp_path)
