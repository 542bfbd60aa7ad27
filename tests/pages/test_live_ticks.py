"""What a live tick reads from the store is shared by every screen of the server for a moment
(issue 13), and a save, a sign-out or a revoked link still reaches every tab at once.

``dashboard.recent.Recent`` holds each answer for a few seconds at most; a commit through the
server's own engine forgets them all. A write from elsewhere (another server, the command line:
here a second engine on the same file) is seen once the held seconds have passed, stood in for
by setting them to nothing, not by waiting.
"""

from datetime import UTC, datetime

import pytest
from conftest import demo_actor, new_app, sign_in
from direct_counts import _rows
from sqlalchemy import text
from streamlit.testing.v1 import AppTest
from test_reload_and_wall_link_pages import today, wall

from dashboard import auth, live
from dashboard.auth import SIGNED_IN_KEY, SignedIn
from dashboard.recent import Recent
from seips_core.auth import browser_sessions
from seips_core.auth.roles import Role
from seips_core.db import get_engine, new_engine, write_session
from seips_core.models import Meeting
from seips_core.services.presenting import present
from seips_core.services.wall_links import create_wall_link, revoke_wall_link

__all__ = ["today"]  # a fixture, used by name
#: An item of an open NW meeting: its meeting and its id.
OPEN_ITEM = """
    SELECT m.id, a.id FROM agendaitem a JOIN meeting m ON m.id = a.meeting_id
    JOIN partnership p ON p.id = m.partnership_id
    WHERE p.code = 'NW' AND m.status != 'closed' ORDER BY m.meeting_date DESC, a.position"""


def _tick() -> None:
    """What a live area's timed rerun asks before anything else (``dashboard.live``)."""
    import streamlit as st

    from dashboard.auth import session_stands

    st.text(f"stands: {session_stands()}")


def tick_says(signed_in: SignedIn) -> bool:
    """Does a tick of a session holding ``signed_in`` find it standing?"""
    tick = AppTest.from_function(_tick)
    tick.session_state[SIGNED_IN_KEY] = signed_in
    tick.run()
    (said,) = [each.value for each in tick.text]
    return said == "stands: True"


def test_an_answer_is_held_until_a_commit_or_its_seconds_and_a_read_overtaken_is_not_kept(
    own_store, monkeypatch
):
    engine = get_engine(own_store)
    recent: Recent[int] = Recent(60.0)
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert [recent.get(engine, "key", read) for _ in range(3)] == [1, 1, 1]
    with engine.begin() as connection:  # any commit through the server's engine
        connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
    assert recent.get(engine, "key", read) == 2
    monkeypatch.setattr(recent, "seconds", 0.0)  # the held seconds have passed
    assert recent.get(engine, "key", read) == 3
    monkeypatch.setattr(recent, "seconds", 60.0)

    def overtaken() -> int:
        with engine.begin() as connection:  # a commit lands while this read is under way
            connection.execute(text("INSERT INTO scratch VALUES (1)"))
        return read()

    recent.forget()
    assert recent.get(engine, "key", overtaken) == 4
    assert recent.get(engine, "key", read) == 5, "a read overtaken by a commit was kept"


def test_a_wall_links_revocation_ends_the_next_tick_here_and_within_the_held_seconds_elsewhere(
    own_store, today
):
    meeting_id, _name = today
    co_ordinator = demo_actor(own_store, Role.COORDINATOR)
    for revoked_here in (True, False):
        row, token = create_wall_link(get_engine(own_store), co_ordinator, meeting_id)
        screen = wall(token).session_state[SIGNED_IN_KEY]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(auth._STANDING, "seconds", 60.0)  # no time passes, however slow
            assert tick_says(screen) and tick_says(screen)
            if revoked_here:
                revoke_wall_link(get_engine(own_store), co_ordinator, row.id)
            else:  # another server on the same store
                revoke_wall_link(new_engine(own_store), co_ordinator, row.id)
                assert tick_says(screen), "held: the store was not asked again"
                patch.setattr(auth._STANDING, "seconds", 0.0)  # the held seconds pass
            assert not tick_says(screen)


def test_signing_out_in_another_tab_ends_this_tabs_next_tick(own_store):
    app = sign_in(new_app(), demo_actor(own_store, Role.COORDINATOR)).run()
    actor = app.session_state[SIGNED_IN_KEY].actor
    now = datetime.now(UTC)
    browser, _token = browser_sessions.start(get_engine(own_store), actor, now=now)
    tab = SignedIn(actor, now, now, browser=browser, written=now)
    assert tick_says(tab)
    browser_sessions.end(get_engine(own_store), browser, actor.email)
    assert not tick_says(tab)


def test_every_screen_shares_one_reading_of_the_meeting_marker_and_a_save_moves_it_at_once(
    own_store, monkeypatch
):
    meeting_id, item_id = _rows(own_store, OPEN_ITEM)[0]
    reads: list[int] = []
    read = live.meeting_marker
    monkeypatch.setattr(live, "meeting_marker", lambda *args: reads.append(1) or read(*args))
    monkeypatch.setattr(live._MARKERS, "seconds", 60.0)  # no time passes in this test
    live._MARKERS.forget()

    before = {live.current_marker(meeting_id) for _screen in range(30)}
    assert len(reads) == 1 and len(before) == 1
    present(get_engine(own_store), demo_actor(own_store, Role.COORDINATOR), meeting_id, item_id)
    assert live.current_marker(meeting_id) not in before, "a save here is seen at once"
    assert len(reads) == 2


def test_walls_of_one_link_share_what_they_read_until_the_meeting_moves(
    own_store, today, monkeypatch
):
    """Thirty walls that see a save recompute what they show once, not thirty times."""
    from seips_core.queries import presenting

    meeting_id, name = today
    co_ordinator = demo_actor(own_store, Role.COORDINATOR)
    _row, token = create_wall_link(get_engine(own_store), co_ordinator, meeting_id)
    reads: list[int] = []
    read = presenting.on_the_wall
    monkeypatch.setattr(presenting, "on_the_wall", lambda *args: reads.append(1) or read(*args))
    live._SHARED.forget()

    screens = [wall(token) for _screen in range(3)]
    assert [screen.title[0].value for screen in screens] == [name] * 3
    assert len(reads) == 1, "each wall read the meeting for itself"
    with write_session("test", get_engine(own_store)) as session:  # the meeting moves
        session.get(Meeting, meeting_id).version += 1
    for screen in screens:
        screen.run()
    assert len(reads) == 2
