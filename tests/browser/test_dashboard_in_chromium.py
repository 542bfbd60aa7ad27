"""The dashboard as a panel sees it: `seips serve` in headless Debian Chromium.

Signs in with the demo accounts (the served store is the sample county, a demo store), checks
each role's menu and the home page's numbers against the store, signs out, runs axe-core for
WCAG problems on the sign-in page and every page, and saves screenshots (look at them: they
are what the projector shows).
"""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from menus import MENU
from serving import free_port, wait_until_healthy
from sqlalchemy import text

from seips_core.auth.accounts import NOT_RECOGNISED
from seips_core.auth.demo import DEMO_ACCOUNTS, DEMO_PARTNERSHIP
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session
from seips_core.queries.home import home_figures
from seips_core.rules.meetings import meeting_label

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SEIPS = Path(sys.executable).parent / "seips"
START_SECONDS = 240  # serve fills the empty store with the sample county first
#: Everyone's pages, then the co-ordinators' (co-ordinators, chairs and county admins), then
#: the chairs' (chairs and county admins), then the county admins'.
#: The demo partnership's meeting on a day (the sample county has one today).
MEETING_ON = """
    SELECT m.id, m.kind FROM meeting m JOIN partnership p ON p.id = m.partnership_id
    WHERE p.code = :code AND m.meeting_date = :day ORDER BY m.id"""
HOME_HEADING = "SEIP panel dashboard"
#: Each served address's process group (``serving``), for a test that slows the server down.
SERVER_GROUPS: dict[str, int] = {}
#: Elements drawn at less than full opacity because a rerun marked them stale (Streamlit's
#: ``data-stale="true"``, faded to 0.33 half a second into a run): each one's text, cut short.
FADED_STALE = """() => [...document.querySelectorAll('[data-stale="true"]')]
    .filter(element => parseFloat(getComputedStyle(element).opacity) < 1)
    .map(element => (element.innerText || element.dataset.testid || "").slice(0, 80))"""
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


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """``seips serve --demo`` on a free port with a new SQLite store (the sample county); stopped
    whatever happens."""
    folder = tmp_path_factory.mktemp("served")
    store = f"sqlite:///{folder / 'seips.db'}"
    with serving(store, folder) as url:
        yield url, store


@contextmanager
def serving(store: str, folder: Path) -> Iterator[str]:
    """``seips serve`` of ``store`` on a free port (its log in ``folder``): the address, and
    the server stopped whatever happens. An empty store is filled with the sample county."""
    port = free_port()
    log = folder / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(SEIPS), "serve", "--demo", "--port", str(port)],
            env={**os.environ, "SEIPS_DATABASE_URL": store},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the kill reaches streamlit
        )
    url = f"http://127.0.0.1:{port}"
    SERVER_GROUPS[url] = server.pid
    try:
        wait_until_healthy(url, server, log, START_SECONDS)
        yield url
    finally:
        SERVER_GROUPS.pop(url, None)
        os.killpg(server.pid, signal.SIGCONT)  # in case a test left it stopped
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@contextmanager
def launched(chromium: Path) -> Iterator:
    """Headless Debian Chromium (no sandbox: it runs as root in a container), closed after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, served):
    """A Chromium tab on the dashboard's sign-in page, once it has finished running."""
    with launched(chromium) as browser:
        tab = browser.new_page(viewport={"width": 1600, "height": 900})
        tab.goto(served[0])
        settle(tab, "Sign in")
        yield tab


def settle(page, title: str) -> None:
    """Wait until the page titled ``title`` has run and every element is drawn.

    The heading shows that the page's run has started; the app's script state then says when
    it has finished (the status widget shows only after a delay, so a short wait for it alone
    can end before the tables are drawn). Streamlit loads some elements' code (tables, charts)
    only when first needed and shows a placeholder ("skeleton") meanwhile: axe must see the
    elements, not the placeholders. Nothing may then be drawn faded: a live area's tick can
    have begun meanwhile and marked elements stale, but the app keeps them at full opacity
    (``dashboard.widgets.STEADY_CSS``), so axe and the room see them as they are (issue 12).
    """
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=60_000
    )
    for still_busy in ("stStatusWidget", "stSkeleton", "stSkeletonElement"):
        expect(page.get_by_test_id(still_busy)).to_have_count(0, timeout=60_000)
    faded = page.evaluate(FADED_STALE)
    assert not faded, f"drawn faded while a rerun had them stale: {faded}"


def account(role: Role):
    (found,) = [each for each in DEMO_ACCOUNTS if each.role is role]
    return found


def sign_in(page, email: str, password: str) -> None:
    """Type into the sign-in form and press Enter, as a user would."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password", exact=True).press("Enter")


def sign_in_as(page, role: Role) -> None:
    sign_in(page, account(role).email, account(role).password)
    settle(page, HOME_HEADING)


def menu(page) -> list[str]:
    """The sidebar menu's page titles (each link's last line: its icon's ligature comes first)."""
    links = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink")
    return [text.strip().splitlines()[-1] for text in links.all_inner_texts()]


def through_the_menu(page, role: Role, store: str) -> Iterator[str]:
    """Open each of ``role``'s pages after Home through the sidebar menu, as a user would:
    each page's title, once the page has finished running (``settle``).

    The projector view is headed by the meeting it shows (today's, from the menu) when the
    role has a partnership of its own; it hides the sidebar, so its own link to Meetings leads
    out.
    """
    headings = {} if role is Role.COUNTY_ADMIN else {"Projector view": todays_meeting(store)[1]}
    for title in MENU[role][1:]:
        page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
        settle(page, headings.get(title, title))
        yield title
        if title == "Projector view":
            page.get_by_test_id("stMain").locator('a[href$="meetings"]').first.click()
            settle(page, "Meetings")


def todays_meeting(store: str) -> tuple[int, str]:
    """The demo partnership's meeting today, read in plain SQL: its id and its name, which is
    the projector view's heading (the projector opens today's meeting when none is named)."""
    with read_session(get_engine(store)) as session:
        rows = session.execute(
            text(MEETING_ON), {"code": DEMO_PARTNERSHIP, "day": date.today().isoformat()}
        ).all()
    assert len(rows) == 1, f"the sample county should have one {DEMO_PARTNERSHIP} meeting today"
    ((meeting_id, kind),) = rows
    return meeting_id, meeting_label(DEMO_PARTNERSHIP, kind, date.today())


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


def test_the_sign_in_page_lists_the_demo_accounts_under_the_banner_and_passes_axe(page, tmp_path):
    from playwright.sync_api import expect

    expect(page.get_by_text("DEMO DATA — synthetic, not real children")).to_be_visible()
    for each in DEMO_ACCOUNTS:
        expect(page.get_by_role("cell", name=each.email)).to_be_visible()
    assert_no_serious_axe_violations(page, "sign-in", tmp_path)


def test_a_wrong_password_is_refused_with_a_message(page, tmp_path):
    from playwright.sync_api import expect

    sign_in(page, account(Role.VIEWER).email, "not the password")
    expect(page.get_by_text(NOT_RECOGNISED)).to_be_visible(timeout=30_000)
    assert menu(page) == []
    assert_no_serious_axe_violations(page, "sign-in-refused", tmp_path)


def test_the_county_admins_home_page_shows_the_store_figures(page, served, tmp_path):
    sign_in_as(page, Role.COUNTY_ADMIN)
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
    assert menu(page) == MENU[Role.COUNTY_ADMIN]
    partnership = page.get_by_test_id("stSidebar").get_by_role("combobox")
    assert partnership.input_value() == "All partnerships"
    rule_links = page.get_by_test_id("stMain").get_by_test_id("stPageLink")
    rule_links.first.wait_for(timeout=30_000)  # the flags by rule, each a link to its flags
    assert rule_links.count() > 1
    assert page.get_by_role("button", name="Deploy").count() == 0  # toolbarMode = "viewer"
    assert_no_serious_axe_violations(page, "home", tmp_path)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Users").click()
    settle(page, "Users")
    assert_no_serious_axe_violations(page, "users", tmp_path)


def test_a_chair_reaches_each_page_through_the_menu_each_passes_axe_then_signs_out(
    page, served, tmp_path
):
    from playwright.sync_api import expect

    sign_in_as(page, Role.CHAIR)
    assert menu(page) == MENU[Role.CHAIR]
    for title in through_the_menu(page, Role.CHAIR, served[1]):
        if title == "School profile":  # its first school: with its tier chart
            page.locator(".js-plotly-plot").wait_for(timeout=30_000)
        assert_no_serious_axe_violations(page, title.lower().replace(" ", "-"), tmp_path)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    settle(page, "Sign in")
    expect(page.get_by_label("Email address")).to_be_visible()
    expect(page.get_by_test_id("stPageLink")).to_have_count(0)


def test_a_viewer_sees_only_its_pages_and_cannot_open_another_by_its_address(
    page, served, tmp_path
):
    from playwright.sync_api import expect

    sign_in_as(page, Role.VIEWER)
    assert menu(page) == MENU[Role.VIEWER]
    projection = page.get_by_test_id("stSidebar").get_by_role("switch")
    expect(projection).to_be_checked()
    expect(projection).to_be_disabled()
    assert_no_serious_axe_violations(page, "viewer-home", tmp_path)
    # The address of a page outside the menu, in a browser with no sign-in cookie (so signed
    # out at first): the sign-in page answers there as at every page's address (so deep links
    # survive signing in); once signed in as a viewer, the address says whose page it is and
    # the flag list is never drawn (issue 15: not Home without a word).
    page.context.clear_cookies()
    page.goto(f"{served[0]}/attention")
    settle(page, "Sign in")
    expect(page.get_by_role("dialog")).to_have_count(0)
    sign_in(page, account(Role.VIEWER).email, account(Role.VIEWER).password)
    settle(page, "Needs attention")
    assert page.url.rstrip("/") == f"{served[0]}/attention"
    expect(
        page.get_by_text(
            "Needs attention is for co-ordinators, chairs and county admins: you are signed in "
            "as a viewer of"
        )
    ).to_be_visible()
    expect(page.get_by_test_id("stTable")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)  # no "Page not found"
