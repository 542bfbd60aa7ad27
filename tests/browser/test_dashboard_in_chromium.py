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


@pytest.fixture
def served(tmp_path) -> tuple[str, str]:
    """``seips serve`` on a free port with a new SQLite store; stopped whatever happens."""
    store = f"sqlite:///{tmp_path / 'seips.db'}"
    port = _free_port()
    log = tmp_path / "serve.log"
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


def test_home_page_in_chromium_shows_the_store_figures_and_passes_axe(chromium, served, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    url, store = served
    with read_session(get_engine(store)) as session:
        expected = home_figures(session, date.today())

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 900})
            page.goto(url)
            metrics = page.get_by_test_id("stMetric")
            expect(metrics).to_have_count(len(METRIC_LABELS), timeout=60_000)
            expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
            expect(page.get_by_test_id("stPageLink").first).to_be_visible()

            shown = {
                metric.get_by_test_id("stMetricLabel").inner_text().strip(): metric.get_by_test_id(
                    "stMetricValue"
                ).inner_text()
                for metric in metrics.all()
            }
            assert {label: int(value.replace(",", "")) for label, value in shown.items()} == {
                label: getattr(expected, field) for label, field in METRIC_LABELS.items()
            }

            page.screenshot(path=tmp_path / "home.png", full_page=True)
            results = Axe().run(page)
        finally:
            browser.close()

    print(f"Screenshot: {tmp_path / 'home.png'}")
    serious = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    for violation in serious:
        print(results.generate_report(violation["id"]))
    assert not serious, f"axe-core: {[violation['id'] for violation in serious]}"
