"""What keeps every open screen of a meeting up to date without anyone pressing reload.

A fragment reruns every ``LIVE_SECONDS``. Each tick reads the meeting's change marker
(``meeting_marker``: one small indexed query over a handful of rows) and re-reads what the
area shows only when the marker has moved since this session last read it, or when the area
now shows something else (another item). Otherwise it redraws what the session already holds.
A decision saved on any screen therefore shows on every other within two seconds, and an
idle tick costs one tiny query, not the item's dozen.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import streamlit as st

from seips_core.db import get_engine, read_session
from seips_core.queries.meeting_marker import meeting_marker

from .auth import session_stands

#: Seconds between two looks at the marker: a save shows on other screens within two.
LIVE_SECONDS = 1.0
#: A wall looks twice as often: it follows the presenter within a second of the click.
WALL_SECONDS = 0.5

T = TypeVar("T")


@dataclass(frozen=True)
class Held(Generic[T]):
    """What one live area last read: for what (``key``), at which marker, and the result."""

    key: Hashable
    marker: tuple[int, ...]
    value: T


def current_marker(meeting_id: int) -> tuple[int, ...]:
    """The meeting's change marker now."""
    with read_session(get_engine()) as session:
        return meeting_marker(session, meeting_id)


def read_live(name: str, meeting_id: int, key: Hashable, load: Callable[[], T]) -> T:
    """What the live area ``name`` shows: the value this session holds while meeting
    ``meeting_id``'s marker and ``key`` (what is shown) are unchanged, else ``load()`` afresh.

    The marker is read before loading, so a save landing in between is seen on the next tick.
    """
    state_key = f"_live_{name}"
    marker = current_marker(meeting_id)
    held: Held[T] | None = st.session_state.get(state_key)
    if held is None or held.key != key or held.marker != marker:
        held = Held(key, marker, load())
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
) -> None:
    """Draw ``draw(read_live(…))`` in a fragment that looks at the marker every ``every``
    seconds and loads again only when the meeting has changed.

    A timed rerun skips the app's sign-in gate, so each tick first asks whether the account
    still stands as signed in (one lookup by email); if not, the whole page reruns and its gate
    signs a removed account out or applies a new role.
    """

    @st.fragment(run_every=every)
    def area() -> None:
        if not session_stands():
            st.rerun()
        draw(read_live(name, meeting_id, key, load))

    area()


def forget(name: str) -> None:
    """Make the live area ``name`` read afresh on its next run (after one's own save)."""
    st.session_state.pop(f"_live_{name}", None)
