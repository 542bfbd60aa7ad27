"""What keeps every open screen of a meeting up to date without anyone pressing reload.

A fragment reruns every ``LIVE_SECONDS`` (a wall every ``WALL_SECONDS``). Each tick reads the
meeting's change marker (``meeting_marker``: one small indexed query over a handful of rows,
its answer shared by every screen of the process for ``MARKER_SECONDS``) and re-reads what the
area shows only when the marker has moved since this session last read it, or when the area
now shows something else (another item).

Each tick redraws the area from what the session already holds. A tick that draws nothing
while the area's elements live outside it, and reruns the page when the marker moves, was
tried (issue 13): Streamlit keeps what a fragment does not draw when it lives outside the
fragment, and an idle wall then sent no element at all, but with twenty screens on one server
a third of the walls stopped ticking for good (no message reached them any more) and never
followed the room again. The browser drops every fragment's timer when a whole page's run
starts and sets it again when the run registers the fragment; a tick's rerun of the page
seems to race with that. Redrawing is what stays.

A decision saved on any screen therefore shows on every other within a tick or two.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import streamlit as st

from seips_core.db import get_engine, read_session
from seips_core.queries.meeting_marker import meeting_marker

from .auth import session_stands
from .recent import Recent

#: Seconds between two looks at the marker: a save shows on other screens within two.
LIVE_SECONDS = 1.0
#: A wall looks twice as often: it follows the presenter within a second of the click.
WALL_SECONDS = 0.5
#: How long every screen of the process shares one reading of a meeting's marker: half a
#: wall's tick, so thirty walls read it four times a second, not sixty. A save made on this
#: server is seen at once (``dashboard.recent``).
MARKER_SECONDS = 0.25
_MARKERS: Recent[tuple[int, ...]] = Recent(MARKER_SECONDS)
#: How long screens showing the same thing at the same marker share what they read: enough
#: for every screen's next tick after a save.
SHARED_SECONDS = 5.0
_SHARED: Recent[object] = Recent(SHARED_SECONDS)

T = TypeVar("T")


@dataclass(frozen=True)
class Held(Generic[T]):
    """What one live area last read: for what (``key``), at which marker, and the result."""

    key: Hashable
    marker: tuple[int, ...]
    value: T


def current_marker(meeting_id: int) -> tuple[int, ...]:
    """The meeting's change marker now (as read within the last ``MARKER_SECONDS``)."""
    engine = get_engine()

    def read() -> tuple[int, ...]:
        with read_session(engine) as session:
            return meeting_marker(session, meeting_id)

    return _MARKERS.get(engine, meeting_id, read)


def read_live(
    name: str,
    meeting_id: int,
    key: Hashable,
    load: Callable[[], T],
    *,
    shared_by: Hashable | None = None,
) -> T:
    """What the live area ``name`` shows: the value this session holds while meeting
    ``meeting_id``'s marker and ``key`` (what is shown) are unchanged, else ``load()`` afresh.

    With ``shared_by`` (whom ``load`` reads for: an actor), every screen of the process that
    shows the same ``key`` for the same reader at the same marker shares one ``load()`` for
    ``SHARED_SECONDS``: thirty walls of one link that see a save recompute once, not thirty
    times (issue 13). The marker is read before loading, so a save landing in between is seen
    on the next tick.
    """
    state_key = f"_live_{name}"
    marker = current_marker(meeting_id)
    held: Held[T] | None = st.session_state.get(state_key)
    if held is None or held.key != key or held.marker != marker:
        value = (
            load()
            if shared_by is None
            else _SHARED.get(get_engine(), (name, shared_by, key, marker), load)
        )
        held = Held(key, marker, value)
        st.session_state[state_key] = held
    return held.value


def live_area(
    name: str,
    meeting_id: int,
    key: Hashable,
    load: Callable[[], T],
    draw: Callable[[T], None],
    *,
    every: float = LIVE_SECONDS,
    shared_by: Hashable | None = None,
) -> None:
    """Draw ``draw(read_live(…))`` in a fragment that looks at the marker every ``every``
    seconds and loads again only when the meeting has changed (``shared_by``: see
    ``read_live``).

    A timed rerun skips the app's sign-in gate, so each tick first asks whether the account
    still stands as signed in (``session_stands``, held a moment for every tab); if not, the
    whole page reruns and its gate signs a removed account out or applies a new role.
    """

    @st.fragment(run_every=every)
    def area() -> None:
        if not session_stands():
            st.rerun()
        draw(read_live(name, meeting_id, key, load, shared_by=shared_by))

    area()


def forget(name: str) -> None:
    """Make the live area ``name`` read afresh on its next run (after one's own save)."""
    st.session_state.pop(f"_live_{name}", None)
