"""A write in one partnership, and the next run of the other partnerships' pages (issue 13).

Run ``python -m benchmarks.write_elsewhere [--scale county|national|both] [--trials N]``. On
a copy of the sample store of each scale (built once into ``benchmarks/.cache``, as
``benchmarks.pages`` does), signed in as the demo county admin, it opens Home, AP providers
and Meetings for several partnerships, and a county admin's Home on the whole county, and
warms them. Then, ``N`` times: a few audited writes in the first partnership through the
services (two meeting actions and a decision on an agenda item of its meeting), and the next
run of every page. It prints, per page, the warm run, the next run after the writes (median
of the trials), a bare page's run (the floor) and both ratios to the floor side by side, and
which partnerships' change markers the writes moved. It asserts nothing: a page of another
partnership far above its warm run is a cache the write threw away.
"""

import argparse
import os
import sqlite3
import statistics
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from benchmarks.pages import (
    APP,
    FLOOR_SCRIPT,
    TODAY,
    county_admin,
    sample_store,
    timed_run,
)
from dashboard.auth import SIGNED_IN_KEY, SignedIn
from dashboard.state import AS_ON_KEY, PARTNERSHIP_KEY
from seips_core.auth.roles import Actor
from seips_core.db import get_engine, read_session
from seips_core.models import AgendaItem, ChangeMarker, Decision, Meeting, Partnership
from seips_core.queries.partnerships import partnership_choices
from seips_core.services.decisions import DecisionInput, record_decision
from seips_core.services.meetings import add_action

PAGES = {
    "Home": "../pages/home.py",
    "AP providers": "../pages/providers.py",
    "Meetings": "../pages/meetings.py",
}
#: How many partnerships besides the written one have their pages timed.
OTHERS = 4
COUNTY = "county"


@dataclass(frozen=True)
class Row:
    """One page's figures: its warm run and its next run after the writes (seconds)."""

    page: str
    partnership: str
    warm: float
    after: float


def page_app(admin: Actor, path: str, partnership: str | None) -> AppTest:
    """``path`` for the county admin, on ``partnership`` (None: the whole county), run once."""
    app = AppTest.from_file(APP, default_timeout=600)
    app.session_state[SIGNED_IN_KEY] = SignedIn.starting(admin)
    app.session_state[AS_ON_KEY] = TODAY
    if partnership is not None:
        app.session_state[PARTNERSHIP_KEY] = partnership
    app.run()
    app.switch_page(path)
    timed_run(app)
    return app


@dataclass(frozen=True)
class Target:
    """Where the writes go: an open meeting of the written partnership, its undecided items."""

    meeting_id: int
    meeting_date: date
    items: list[int]


def write_target(url: str, partnership: str) -> Target:
    """An open meeting of ``partnership`` (on or after the day, the earliest) and its
    undecided agenda items."""
    with read_session(get_engine(url)) as session:
        meeting_id, meeting_date = session.execute(
            select(Meeting.id, Meeting.meeting_date)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(
                Partnership.code == partnership,
                Meeting.status != "closed",
                Meeting.meeting_date >= TODAY,
            )
            .order_by(Meeting.meeting_date)
            .limit(1)
        ).one()
        decided = select(Decision.agenda_item_id)
        items = session.scalars(
            select(AgendaItem.id)
            .where(AgendaItem.meeting_id == meeting_id, AgendaItem.id.not_in(decided))
            .order_by(AgendaItem.position)
        ).all()
    return Target(meeting_id, meeting_date, list(items))


def markers(url: str) -> dict[int, int]:
    with read_session(get_engine(url)) as session:
        return dict(session.execute(select(ChangeMarker.scope, ChangeMarker.audit_id)).all())


def write_in(url: str, admin: Actor, target: Target, trial: int) -> None:
    """Two actions of the meeting and a decision deferring one of its items (one not decided
    before): three audited writes."""
    engine = get_engine(url)
    due = target.meeting_date + timedelta(days=14)
    for n in (1, 2):
        action = f"Benchmark action {trial}.{n}"
        add_action(engine, admin, target.meeting_id, None, action, "Co-ordinator", due)
    item_id = target.items[trial]
    record_decision(
        engine, admin, item_id, DecisionInput("defer", "Benchmark."), expected_version=None
    )


def moved_partnerships(url: str, before: dict[int, int]) -> list[str]:
    with read_session(get_engine(url)) as session:
        codes = dict(session.execute(select(Partnership.id, Partnership.code)).all())
    after = markers(url)
    return sorted(
        codes.get(scope, COUNTY) for scope, marker in after.items() if before.get(scope) != marker
    )


def scratch_copy(url: str) -> str:
    """A copy of the cached sample store to write in (SQLite's backup API), so that the
    cache stays the sample as built for every benchmark."""
    copy = Path(tempfile.mkdtemp(prefix="seips-write-elsewhere-")) / "seips.db"
    with (
        sqlite3.connect(url.removeprefix("sqlite:///")) as original,
        sqlite3.connect(copy) as target,
    ):
        original.backup(target)
    return f"sqlite:///{copy}"


def report(scale: str, trials: int, runs: int) -> None:
    url = scratch_copy(sample_store(scale))
    os.environ["SEIPS_DATABASE_URL"] = url
    admin = county_admin(url)
    with read_session(get_engine(url)) as session:
        codes = [choice.code for choice in partnership_choices(session)]
    written, others = codes[0], codes[1 : 1 + OTHERS]
    target = write_target(url, written)
    floor = AppTest.from_string(FLOOR_SCRIPT, default_timeout=600)
    timed_run(floor)
    views = [(title, code) for code in [*others, written] for title in PAGES]
    apps = {(title, code): page_app(admin, PAGES[title], code) for title, code in views}
    apps[("Home", COUNTY)] = page_app(admin, PAGES["Home"], None)
    warm: dict[tuple[str, str], list[float]] = {view: [] for view in apps}
    floors = []
    for _ in range(runs):
        floors.append(timed_run(floor))
        for view, app in apps.items():
            warm[view].append(timed_run(app))
    after: dict[tuple[str, str], list[float]] = {view: [] for view in apps}
    moved: set[str] = set()
    for trial in range(trials):
        before = markers(url)
        write_in(url, admin, target, trial)
        moved |= set(moved_partnerships(url, before))
        for view, app in apps.items():
            after[view].append(timed_run(app))
        floors.append(timed_run(floor))
        for app in apps.values():  # warm again before the next writes
            timed_run(app)
    bare = statistics.median(floors)
    rows = [
        Row(
            page,
            code,
            statistics.median(warm[(page, code)]),
            statistics.median(after[(page, code)]),
        )
        for page, code in apps
    ]
    print(
        f"\n{scale.capitalize()} sample: writes in {written} (2 actions and a decision, "
        f"{trials} times); markers moved: {', '.join(sorted(moved))}. Median ms; "
        f"floor (a bare page) {bare * 1000:.1f} ms."
    )
    header = (
        f"{'page':<14}{'partnership':<13}{'warm':>8}{'after write':>13}"
        f"{'warm/floor':>12}{'after/floor':>13}{'after/warm':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        where = "whole county" if row.partnership == COUNTY else row.partnership
        if row.partnership == written:
            where += " (written)"
        print(
            f"{row.page:<14}{where:<13}{row.warm * 1000:>8.1f}{row.after * 1000:>13.1f}"
            f"{row.warm / bare:>11.1f}x{row.after / bare:>12.1f}x{row.after / row.warm:>11.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["county", "national", "both"], default="both")
    parser.add_argument("--trials", type=int, default=3, help="rounds of writes (median)")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median)")
    arguments = parser.parse_args()
    for scale in ("county", "national") if arguments.scale == "both" else [arguments.scale]:
        report(scale, arguments.trials, arguments.runs)


if __name__ == "__main__":
    main()
