"""Server-side run time of each page with AppTest, beside a bare Streamlit page (the floor).

Run ``python -m benchmarks.pages [--runs N] [--scale county|national] [--clock cpu|wall]``.
For each page it prints the first run with an empty cache (cold) and the median of N runs after
it (warm),
against the same measures of ``st.write("hello")`` run the same way in the same process, and
the ratio page/floor beside its target (3x at county scale, 10x at national scale). Each page
opens on the whole county, signed in as the demo county admin; the school profile is timed for
one partnership too (its first school), and so are the meeting pages (a meeting belongs to one
partnership), on that partnership's meeting of the day.
Last, what one tick of a live meeting screen costs: reading the meeting's change marker (what
every open projector and laptop does each second) beside reloading the item (what it does
only when the marker moved).
Each run is timed by the process's CPU time (``--clock cpu``, the default: the script's thread
and AppTest's own work, what the run costs the server) or by the clock on the wall (``--clock
wall``, what a user waits for on an idle machine). On a machine shared with other work the wall
clock measures the other work as much as the page; CPU time does not.
A cold run works out every flag of the store, so it is far above the floor; the warm runs are
what a panel waits for page after page. It asserts nothing: a page over its target is a query
or a view to make faster.

The sample stores are built once into ``benchmarks/.cache/`` (git-ignored) and reused while
the seed and the code that shapes them (sample generator, migrations) are unchanged.
"""

import argparse
import hashlib
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.auth import SIGNED_IN_KEY, SignedIn
from dashboard.meeting_link import default_meeting
from dashboard.state import AS_ON_KEY, PARTNERSHIP_KEY
from seips_core.auth.accounts import actor_for_oidc_user
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.roles import Actor, Role
from seips_core.db import get_engine, read_session
from seips_core.migrate import upgrade
from seips_core.queries.agenda_item import agenda_item_view
from seips_core.queries.meeting_marker import meeting_marker
from seips_core.queries.meetings import agenda, meetings_of
from seips_core.queries.partnerships import partnership_choices
from seips_core.sample_county import generate_sample

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
CACHE = Path(__file__).resolve().parent / ".cache"
#: The sample's "today", fixed so that a cached store stays valid from day to day.
TODAY = date(2026, 3, 4)
SEED = 2026
TARGETS = {"county": 3.0, "national": 10.0}
PAGES = {
    "Home": "../pages/home.py",
    "Needs attention": "../pages/attention.py",
    "School profile": "../pages/schools.py",
    "Fair Access cases": "../pages/fair_access.py",
    "AP providers": "../pages/providers.py",
    "Tier counts": "../pages/tiers.py",
}
#: Timed for one partnership: its schools, its meetings.
PARTNERSHIP_PAGES = {
    "School profile": "../pages/schools.py",
    "Meetings": "../pages/meetings.py",
    "Agenda builder": "../pages/agenda.py",
    "Record decisions": "../pages/record.py",
    "Projector view": "../pages/projector.py",
    "Fair Access cases": "../pages/fair_access.py",
    "Fairness": "../pages/fairness.py",
    "AP placements": "../pages/placements.py",
    "AP providers": "../pages/providers.py",
    "Tier counts": "../pages/tiers.py",
    "Trends": "../pages/trends.py",
    "Charges": "../pages/charges.py",
}
FLOOR = "floor (hello)"
FLOOR_SCRIPT = 'import streamlit as st\nst.write("hello")\n'


@dataclass(frozen=True)
class Timing:
    """One page's first run on an empty cache and the median of the warm runs after it."""

    cold: float
    warm: float


def code_version() -> str:
    """A hash of the code that decides what a sample store holds."""
    digest = hashlib.sha256()
    sources = [
        *sorted((ROOT / "seips_core" / "sample_county").glob("*.py")),
        *sorted((ROOT / "seips_core" / "migrations" / "versions").glob("*.py")),
        ROOT / "seips_core" / "auth" / "demo.py",  # the demo accounts every sample holds
        ROOT / "seips_core" / "store_kind.py",  # and its record of being a demo store
    ]
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def sample_store(scale: str) -> str:
    """The URL of the cached sample store for ``scale``, built first when missing."""
    path = CACHE / f"{scale}-seed{SEED}-{TODAY:%Y%m%d}-{code_version()}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        for stale in CACHE.glob(f"{scale}-*"):  # built by older code or another seed
            stale.unlink()
        building = path.with_suffix(".building")
        building.unlink(missing_ok=True)
        print(f"Building the {scale} sample (once; cached in {CACHE.name}/)…", flush=True)
        started = time.perf_counter()
        building_url = f"sqlite:///{building}"
        upgrade(building_url)
        generate_sample(get_engine(building_url), seed=SEED, scale=scale, today=TODAY)
        get_engine(building_url).dispose()
        building.rename(path)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return url


#: What a run can be timed by (``--clock``).
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


def timed_run(app: AppTest, clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds of ``clock`` one run of ``app`` takes (wall time unless told)."""
    started = clock()
    app.run()
    elapsed = clock() - started
    if app.exception:
        raise RuntimeError(app.exception[0].value)
    return elapsed


def county_admin(url: str) -> Actor:
    """The demo county admin, as the store makes them on signing in (every page and
    partnership)."""
    (admin,) = [account for account in DEMO_ACCOUNTS if account.role is Role.COUNTY_ADMIN]
    return actor_for_oidc_user(get_engine(url), admin.email)


def ready_apps(url: str, partnership: str) -> dict[str, AppTest]:
    """The floor and each page, run once (the process's start-up is no page's cost).

    Each page as it opens (the whole county), and the school profile of one partnership's
    first school too; every app signed in as the county admin.
    """
    admin = county_admin(url)
    floor = AppTest.from_string(FLOOR_SCRIPT, default_timeout=600)
    floor.run()
    apps = {FLOOR: floor}
    views = [(title, path, None) for title, path in PAGES.items()]
    views += [
        (f"{title} of {partnership}", path, partnership)
        for title, path in PARTNERSHIP_PAGES.items()
    ]
    for title, path, code in views:
        app = AppTest.from_file(APP, default_timeout=600)
        app.session_state[SIGNED_IN_KEY] = SignedIn.starting(admin)
        app.session_state[AS_ON_KEY] = TODAY
        if code is not None:
            app.session_state[PARTNERSHIP_KEY] = code
        app.run()
        apps[title] = app.switch_page(path)
    return apps


def measure(apps: dict[str, AppTest], runs: int, clock: Callable[[], float]) -> dict[str, Timing]:
    """Cold: each app's next run after emptying every cache. Warm: the median of ``runs``,
    taken in rounds (each app once per round), so that the machine's load at any moment
    weighs on the floor and the pages alike."""
    cold = {}
    for title, app in apps.items():
        st.cache_data.clear()
        st.cache_resource.clear()
        cold[title] = timed_run(app, clock)
    warm: dict[str, list[float]] = {title: [] for title in apps}
    for _ in range(runs):
        for title, app in apps.items():
            warm[title].append(timed_run(app, clock))
    return {title: Timing(cold[title], statistics.median(warm[title])) for title in apps}


def live_tick(
    url: str, partnership: str, runs: int, clock: Callable[[], float]
) -> tuple[float, float]:
    """Median seconds of one marker read and of one item reload, on the partnership's meeting
    of the day (or its next) and that meeting's first item."""
    admin = county_admin(url)
    engine = get_engine(url)
    with read_session(engine) as session:
        meeting = default_meeting(meetings_of(session, admin, partnership), TODAY)
        first = agenda(session, admin, meeting.id)[0].item_id

    def median(work) -> float:
        times = []
        for _ in range(runs):
            started = clock()
            with read_session(engine) as session:
                work(session)
            times.append(clock() - started)
        return statistics.median(times)

    return (
        median(lambda session: meeting_marker(session, meeting.id)),
        median(lambda session: agenda_item_view(session, admin, first, on=meeting.meeting_date)),
    )


def _verdict(ratio: float, target: float) -> str:
    return f"{ratio:>7.1f}x {'met' if ratio <= target else 'MISSED':<6}"


def report(scale: str, runs: int, clock_name: str) -> None:
    url = sample_store(scale)
    os.environ["SEIPS_DATABASE_URL"] = url
    with read_session(get_engine(url)) as session:
        first = partnership_choices(session)[0].code
    clock = CLOCKS[clock_name]
    timings = measure(ready_apps(url, first), runs, clock)
    floor = timings.pop(FLOOR)
    target = TARGETS[scale]
    print(
        f"\n{scale.capitalize()} sample: cold run, then the median of {runs} warm runs "
        f"(ms of {clock_name} time)."
    )
    header = f"{'page':<24}{'cold':>9}{'warm':>9}   {'cold/floor':<15}{'warm/floor':<15}target"
    print(header)
    print("-" * len(header))
    print(f"{FLOOR:<24}{floor.cold * 1000:>9.1f}{floor.warm * 1000:>9.1f}")
    for title, timing in timings.items():
        print(
            f"{title:<24}{timing.cold * 1000:>9.1f}{timing.warm * 1000:>9.1f}   "
            f"{_verdict(timing.cold / floor.cold, target)}  "
            f"{_verdict(timing.warm / floor.warm, target)}  ≤{target:g}x"
        )
    marker, reload = live_tick(url, first, runs, clock)
    print(
        f"\nLive meeting screens, each tick (median of {runs}): marker read "
        f"{marker * 1000:.2f} ms, item reload {reload * 1000:.1f} ms "
        f"({reload / marker:.0f}x the marker: paid only when the meeting changed)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="warm runs per page (median)")
    parser.add_argument("--scale", choices=[*TARGETS, "both"], default="both")
    parser.add_argument("--clock", choices=CLOCKS, default="cpu", help="what each run is timed by")
    arguments = parser.parse_args()
    for scale in TARGETS if arguments.scale == "both" else [arguments.scale]:
        report(scale, arguments.runs, arguments.clock)


if __name__ == "__main__":
    main()
