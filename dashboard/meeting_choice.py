"""Which meeting and which agenda item a meeting page shows: the address says it
(``?meeting=ID&item=N``, so the room's PC opens the projector view straight from a link), or
the user chooses; the choice is written back to the address so the link can be shared.
"""

from collections.abc import Sequence
from datetime import date

import streamlit as st

from seips_core.rules.meetings import meeting_label

MEETING_PARAM, ITEM_PARAM = "meeting", "item"


def meeting_title(partnership: str, kind: str, meeting_date: date) -> str:
    """A meeting as people say it: ``NW panel 4 Mar 2026``."""
    return meeting_label(partnership, kind, meeting_date)


def _param(name: str) -> int | None:
    raw = st.query_params.get(name)
    return int(raw) if raw is not None and raw.isdigit() else None


def choose_meeting(meetings: Sequence, *, label: str = "Meeting") -> int | None:
    """The meeting in the address if it is one of ``meetings``, else the user's choice
    (the first one at first); None when there is none. ``meetings`` have ``id``,
    ``partnership``, ``kind`` and ``meeting_date``."""
    if not meetings:
        return None
    titles = {
        each.id: meeting_title(each.partnership, each.kind, each.meeting_date) for each in meetings
    }
    wanted = _param(MEETING_PARAM)
    ids = list(titles)
    chosen = st.selectbox(
        label,
        ids,
        index=ids.index(wanted) if wanted in titles else 0,
        format_func=titles.__getitem__,
    )
    if wanted != chosen:
        st.query_params[MEETING_PARAM] = str(chosen)
        st.query_params.pop(ITEM_PARAM, None)
    return chosen


def item_position(count: int) -> int:
    """The agenda position (1-based) in the address, kept within 1..count."""
    wanted = _param(ITEM_PARAM) or 1
    return min(max(wanted, 1), max(count, 1))


def go_to_item(position: int) -> None:
    """Show item ``position`` (1-based): written to the address, which the page reads."""
    st.query_params[ITEM_PARAM] = str(position)
