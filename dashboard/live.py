"""What keeps every open screen of a meeting up to date without anyone pressing reload.

A fragment reruns every ``LIVE_SECONDS``: it reads the meeting's change marker (one small
indexed query, ``meeting_marker``) and re-reads the agenda item only when the marker moved
since the last tick of this session, then redraws from what the session holds. A decision
saved on another screen therefore shows within two seconds, and an idle tick costs one tiny
query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from seips_core.db import get_engine, read_session
from seips_core.queries.meetings import meeting_marker

#: Seconds between two looks at the marker: a save shows on other screens within two.
LIVE_SECONDS = 1.0


@dataclass(frozen=True)
class Held:
    """What one live area last read: for which item, at which marker, and the result."""

    key: tuple
    marker: tuple
    value: Any


def live_area(
    name: str,
    meeting_id: int,
    key: tuple,
    load: Callable[[], Any],
    draw: Callable[[Any], None],
) -> None:
    """Draw ``draw(load())`` in a fragment that reloads only when meeting ``meeting_id``
    changed (or ``key``, what is shown, did). ``name`` keeps each area's state apart."""
    state_key = f"_live_{name}"

    @st.fragment(run_every=LIVE_SECONDS)
    def area() -> None:
        with read_session(get_engine()) as session:
            marker = meeting_marker(session, meeting_id)
        held: Held | None = st.session_state.get(state_key)
        if held is None or held.key != key or held.marker != marker:
            held = Held(key, marker, load())
            st.session_state[state_key] = held
        draw(held.value)

    area()


def forget(name: str) -> None:
    """Make the live area ``name`` read afresh on its next tick (after one's own save)."""
    st.session_state.pop(f"_live_{name}", None)
