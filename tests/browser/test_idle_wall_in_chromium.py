"""An idle wall keeps ticking with its item on the screen, and follows a save (issue 13), in
headless Chromium on `seips serve`.

The room's screen opens a wall link. While nothing changes its ticks go on (the server says
each one finished; the messages are read off the page's WebSocket and decoded as Streamlit's
own ``ForwardMsg``) and the item stays on the screen; the elements an idle tick sends are
printed (it redraws the item: see ``dashboard.live``). Then the presenter puts the next item up
from another process (as another server would): the wall shows it, without a reload; the time
is printed, the timeouts only end a hung wait.
"""

import time

import pytest
from sqlalchemy import select
from test_dashboard_in_chromium import (
    account,
    chromium,
    launched,
    served,
    settle,
    todays_meeting,
)
from test_live_meeting import WALL

from seips_core.auth.accounts import actor_for_oidc_user
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session
from seips_core.models import AgendaItem
from seips_core.services.presenting import present
from seips_core.services.wall_links import WALL_PARAM, create_wall_link

pytestmark = pytest.mark.browser
__all__ = ["chromium", "served"]  # fixtures, used by name

#: Idle ticks watched: a wall ticks every half second.
IDLE_SECONDS = 4.0
WAIT_MS = 10_000
SHOWS = "text => document.querySelector('[data-testid=stMain]').innerText.includes(text)"


@pytest.fixture
def browser(chromium):
    with launched(chromium) as browser:
        yield browser


def agenda_items(store: str, meeting_id: int) -> list[int]:
    """The meeting's agenda items, in order."""
    with read_session(get_engine(store)) as session:
        return list(
            session.scalars(
                select(AgendaItem.id)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position)
            )
        )


def sent_during(frames: list[bytes]) -> tuple[int, int]:
    """Of the server's messages ``frames``: how many runs finished, and how many elements
    (not containers) were sent to draw."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    finished = elements = 0
    for frame in frames:
        message = ForwardMsg.FromString(frame)
        kind = message.WhichOneof("type")
        finished += kind == "script_finished"
        elements += kind == "delta" and message.delta.WhichOneof("type") == "new_element"
    return finished, elements


def test_an_idle_wall_keeps_ticking_with_its_item_shown_and_follows_a_save(browser, served):
    from playwright.sync_api import expect

    url, store = served
    engine = get_engine(store)
    presenter = actor_for_oidc_user(engine, account(Role.COORDINATOR).email)
    meeting_id, name = todays_meeting(store)
    items = agenda_items(store, meeting_id)
    present(engine, presenter, meeting_id, items[0])
    _link, token = create_wall_link(engine, presenter, meeting_id)

    wall = browser.new_context(viewport=WALL).new_page()
    frames: list[bytes] = []
    wall.on(
        "websocket",
        lambda socket: socket.on(
            "framereceived", lambda data: frames.append(data if isinstance(data, bytes) else b"")
        ),
    )
    wall.goto(f"{url}/projector?{WALL_PARAM}={token}")
    wall.wait_for_function(SHOWS, arg=f"Item 1 of {len(items)}", timeout=60_000)
    settle(wall, name)
    heading = wall.get_by_role("heading", level=2).first
    case = heading.inner_text()
    wall.evaluate("window.__notReloaded = true")

    frames.clear()
    wall.wait_for_timeout(IDLE_SECONDS * 1000)  # not time.sleep: events arrive meanwhile
    finished, elements = sent_during(list(frames))
    print(f"{IDLE_SECONDS:g} s idle: {finished} ticks finished, {elements} elements sent")
    assert finished >= 2, "the wall's ticks did not run"
    expect(heading).to_have_text(case)

    saved = time.monotonic()
    present(engine, presenter, meeting_id, items[1])
    wall.wait_for_function(SHOWS, arg=f"Item 2 of {len(items)}", timeout=WAIT_MS, polling=20)
    print(f"The wall showed the next item {time.monotonic() - saved:.2f} s after the save")
    assert wall.evaluate("window.__notReloaded") is True, "the wall was loaded again"
    expect(wall.get_by_role("heading", level=2).first).not_to_have_text(case)
