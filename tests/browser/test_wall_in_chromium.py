"""The wall in headless Chromium (issue 12): one item, one screen, and no fade.

Every item of the demo partnership's meeting today, on the projector view as the room's PC
opens it (a viewer account, following the room), at 1280x720 (many meeting-room projectors)
and 1920x1080, each of its two panels put up in turn as the presenter does: nothing may
scroll, since nobody scrolls a wall. Then the same for a worst case made in the store: a child
with three placements breaking nearly every placement rule (fifteen flags or more), five
earlier decisions with long rationales and ten suspensions, and a referral whose summary is as
long as the store allows. Screenshots of the tallest panels are saved (look at them: they are
what the room sees).

Last, the wall is watched every 100 ms while the server runs a tenth of the time (stopped and
let go in turn, as on a machine loaded by other work) and a co-ordinator saves a decision on a
laptop: its live ticks then take long enough for Streamlit to grey what they redraw, and the
wall must never be drawn faded.
"""

import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from sqlalchemy import select
from test_dashboard_in_chromium import (
    FADED_STALE,
    SERVER_GROUPS,
    account,
    chromium,
    served,
    settle,
)
from test_live_meeting import (
    WALL,
    Item,
    browser,
    fill_in,
    open_signed_in,
    record_page,
    save,
    undecided_item,
)

from seips_core.auth.accounts import actor_for_oidc_user
from seips_core.auth.roles import Actor, Role
from seips_core.db import get_engine, read_session, write_session
from seips_core.models import (
    AgendaItem,
    Decision,
    Exclusion,
    Meeting,
    Placement,
    Provider,
    Pupil,
    Referral,
)
from seips_core.queries.agenda_item import agenda_item_view
from seips_core.services.presenting import present

pytestmark = pytest.mark.browser
__all__ = ["browser", "chromium", "served"]  # fixtures, used by name

SIZES = ({"width": 1280, "height": 720}, WALL)
#: The wall's panels: each one's name as the presenter puts it up, and a heading only that
#: panel has ("Flags", or "Flags (3)").
PANELS = {"The item": "item", "History": "history"}
HEADINGS = {"The item": re.compile(r"^Flags"), "History": "Tier history"}
#: Every element that scrolls (the page itself, or any box whose overflow lets it scroll) and
#: holds more than it shows: its name, its full height and the height it shows. Streamlit's
#: page scrolls in ``stMain``; the document itself and inner boxes are checked all the same.
SCROLLED = """() => [...document.querySelectorAll('*')].filter(element => {
        const overflow = getComputedStyle(element).overflowY;
        const scrolls = element === document.scrollingElement
            || overflow === 'auto' || overflow === 'scroll';
        return scrolls && element.scrollHeight > element.clientHeight + 1;
    }).map(element => [element.dataset.testid || element.tagName,
                       element.scrollHeight, element.clientHeight])"""
#: Where the page's content ends, in CSS pixels from the top of the screen.
CONTENT_END = """() => Math.ceil(Math.max(...[...document.querySelectorAll(
    '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')]
    .map(element => element.getBoundingClientRect().bottom)))"""
#: Samples the wall every 100 ms: how many samples, how many found an element marked stale,
#: the longest run of stale samples in milliseconds, and what was ever drawn faded.
WATCH = f"""() => {{
    const log = window.__wall = {{samples: 0, stale: 0, longestStale: 0, faded: []}};
    let staleSince = null;
    setInterval(() => {{
        log.samples += 1;
        if (document.querySelector('[data-stale="true"]')) {{
            log.stale += 1;
            staleSince = staleSince ?? performance.now();
            log.longestStale = Math.max(log.longestStale, performance.now() - staleSince);
        }} else {{
            staleSince = null;
        }}
        log.faded.push(...({FADED_STALE})());
    }}, 100);
}}"""
#: Who reads the worst case's flags back from the store.
COUNTY = Actor("test@example.org", "Test", Role.COUNTY_ADMIN)
NOON = clock(12)
#: The server runs this share of the time while the wall is watched.
RUNNING_SECONDS, STOPPED_SECONDS = 0.05, 0.45
#: The fade starts half a second into a stale run: the watch must see longer runs than that.
FADE_STARTS_MS = 500


@dataclass(frozen=True)
class Measured:
    position: int
    panel: str
    size: str
    content_end: int


def open_wall(browser, url: str, store: str, size: dict[str, int]):
    """The projector view of today's meeting, signed in as a viewer, following the room."""
    item = undecided_item(store)
    wall = open_signed_in(
        browser, f"{url}/projector?meeting={item.meeting_id}", Role.VIEWER, item.meeting_name,
        size,
    )  # fmt: skip
    return wall, item


def show(wall, store: str, item: Item, position: int, panel: str) -> None:
    """Put item ``position``'s ``panel`` on the wall as the presenter does, and wait until the
    wall has followed and drawn it."""
    engine = get_engine(store)
    presenter = actor_for_oidc_user(engine, account(Role.COORDINATOR).email)
    with read_session(engine) as session:
        item_id = session.scalar(
            select(AgendaItem.id).where(
                AgendaItem.meeting_id == item.meeting_id, AgendaItem.position == position
            )
        )
    present(engine, presenter, item.meeting_id, item_id, panel=PANELS[panel])
    wall.get_by_text(f"Item {position} of {item.items}").wait_for()
    wall.get_by_role("heading", name=HEADINGS[panel], level=3).wait_for()
    settle(wall, item.meeting_name)


def measure_every_item(browser, url: str, store: str, folder: Path) -> list[Measured]:
    """Every item of today's meeting, both panels, at both sizes: nothing scrolls. Where each
    panel's content ends; the tallest panel of each size saved as a screenshot."""
    measured, scrolled = [], []
    for size in SIZES:
        name = f"{size['width']}x{size['height']}"
        wall, item = open_wall(browser, url, store, size)
        tallest = 0
        for position in range(1, item.items + 1):
            for panel in PANELS:
                show(wall, store, item, position, panel)
                end = wall.evaluate(CONTENT_END)
                measured.append(Measured(position, panel, name, end))
                if found := wall.evaluate(SCROLLED):
                    scrolled.append((name, position, panel, found))
                if end > tallest:
                    tallest = end
                    wall.screenshot(path=folder / f"tallest-{name}.png")
        print(f"Screenshot: {folder / f'tallest-{name}.png'}")
        wall.context.close()
    for size in {m.size for m in measured}:
        top = max((m for m in measured if m.size == size), key=lambda m: m.content_end)
        print(f"{size}: tallest is item {top.position} ({top.panel}), content ends at "
              f"{top.content_end} px")  # fmt: skip
    assert not scrolled, f"the wall scrolls (size, item, panel, [element, full, shown]): {scrolled}"
    return measured


def test_every_item_of_todays_meeting_fits_the_wall_at_both_sizes(browser, served, tmp_path):
    url, store = served
    measured = measure_every_item(browser, url, store, tmp_path)
    assert len(measured) == 2 * 2 * undecided_item(store).items


LONG_WORDS = (
    "Attendance has fallen to 61% this term; two fixed-term suspensions for persistent "
    "disruption; the school has run a pastoral support plan since September with weekly "
    "mentoring, a reduced timetable and a part-time AP placement; the educational "
    "psychologist's report is awaited; the family asks for a fresh start at another school "
)


def long_text(characters: int) -> str:
    """Realistic prose, ``characters`` long."""
    return (LONG_WORDS * (characters // len(LONG_WORDS) + 1))[:characters].rstrip()


def make_worst_case(store: str, meeting_id: int) -> None:
    """The last item's child: three current AP placements breaking nearly every placement
    rule (five or six flags each), five earlier decisions with the longest rationales, ten
    suspensions, and the item's own decision as long as a rationale may be; the first referral
    item: the longest summary."""
    engine = get_engine(store)
    with write_session("test", engine) as session:
        items = session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        ).all()  # fmt: skip
        meeting = session.get(Meeting, meeting_id)
        day = meeting.meeting_date
        last = items[-1]
        pupil = session.get(Pupil, last.pupil_id)
        providers = session.scalars(select(Provider.id).limit(3)).all()
        for provider in providers:
            session.add(Placement(
                pupil_id=pupil.id, provider_id=provider, school_id=pupil.school_id, kind="ap",
                sessions="MonAM MonPM TueAM TuePM WedAM WedPM ThuAM ThuPM", hours_per_week=24,
                start_date=day - timedelta(days=30),
            ))  # fmt: skip
        earlier = session.scalars(
            select(Meeting).where(
                Meeting.partnership_id == meeting.partnership_id, Meeting.meeting_date < day
            ).order_by(Meeting.meeting_date.desc()).limit(5)
        ).all()  # fmt: skip
        for index, held in enumerate(earlier):
            before = AgendaItem(
                meeting_id=held.id, position=90 + index, purpose="tier4_review", pupil_id=pupil.id
            )
            session.add(before)
            session.flush()
            session.add(Decision(
                agenda_item_id=before.id, outcome="defer", rationale=long_text(2000),
                decided_by="test", decided_at=datetime.combine(held.meeting_date, NOON, UTC),
            ))  # fmt: skip
        for weeks in range(10):
            session.add(Exclusion(
                pupil_id=pupil.id, school_id=pupil.school_id, kind="suspension",
                start_date=day - timedelta(weeks=weeks + 1), school_days=1,
            ))  # fmt: skip
        decision = session.scalars(
            select(Decision).where(Decision.agenda_item_id == last.id)
        ).first()
        if decision is not None:
            decision.rationale = long_text(2000)
        referral = next(item for item in items if item.referral_id is not None)
        session.get(Referral, referral.referral_id).summary = long_text(500)


def test_a_worst_case_still_fits_every_flag_on_the_wall(browser, served, tmp_path):
    url, store = served
    item = undecided_item(store)
    make_worst_case(store, item.meeting_id)
    with read_session(get_engine(store)) as session:
        last = session.scalar(
            select(AgendaItem.id).where(
                AgendaItem.meeting_id == item.meeting_id, AgendaItem.position == item.items
            )
        )
        shown = agenda_item_view(session, COUNTY, last, on=date.today())
    print(f"Worst case: item {item.items} has {len(shown.flags)} flags")
    assert len(shown.flags) >= 15
    measure_every_item(browser, url, store, tmp_path)


@contextmanager
def loaded(url: str) -> Iterator[None]:
    """The server at ``url`` stopped and let go in turn, running a tenth of the time, as on a
    machine busy with other work; running normally again afterwards."""
    group = SERVER_GROUPS[url]
    done = threading.Event()

    def throttle() -> None:
        while not done.is_set():
            os.killpg(group, signal.SIGSTOP)
            time.sleep(STOPPED_SECONDS)
            os.killpg(group, signal.SIGCONT)
            time.sleep(RUNNING_SECONDS)

    worker = threading.Thread(target=throttle, daemon=True)
    worker.start()
    try:
        yield
    finally:
        done.set()
        worker.join()
        os.killpg(group, signal.SIGCONT)


def test_the_wall_never_fades_while_it_reruns_on_a_loaded_machine(browser, served, tmp_path):
    url, store = served
    item = undecided_item(store)
    wall, _item = open_wall(browser, url, store, WALL)
    show(wall, store, item, item.position, "The item")  # the room is on the item decided
    laptop = record_page(browser, url, item)
    rationale = "Deferred while the machine was loaded (browser test)."
    fill_in(laptop, "Defer", rationale)
    wall.evaluate(WATCH)
    with loaded(url):
        time.sleep(3)  # live ticks only
        save(laptop)
        wall.get_by_text(f"Decision: Defer. {rationale}").wait_for(timeout=120_000)
        time.sleep(2)
        log = wall.evaluate("() => window.__wall")
    wall.screenshot(path=tmp_path / "wall-after-loaded-ticks.png")
    print(
        f"Watched the wall {log['samples']} times: stale in {log['stale']} samples, the "
        f"longest stale run {log['longestStale']:.0f} ms; faded: {len(log['faded'])}"
    )
    assert log["longestStale"] > FADE_STARTS_MS, "the load never made a tick long enough to fade"
    assert not log["faded"], f"the wall was drawn faded: {sorted(set(log['faded']))[:10]}"
