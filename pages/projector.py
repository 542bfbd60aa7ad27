"""The wall (issue 4): one agenda item at a time, very large type, high contrast, nothing else.

The room's PC opens it from its own link (``?meeting=ID&item=N``) once signed in (a viewer
account is enough). One panel of the item fills the screen (issue 12): what the room decides
on, or with ``&panel=history`` (the switch beside the meeting's name) the item's history.
Always case reference and initials, whoever is signed in and whatever their projection toggle
says: a wall is never a private screen. The whole view is live: a decision saved, an item
added or moved on a co-ordinator's laptop shows here within two seconds, without anyone
touching this screen.
"""

import streamlit as st

from dashboard.auth import current_actor
from dashboard.item_display import PROJECTOR_CSS, draw_wall_panel, panel_switch, tier_chart
from dashboard.live import live_area
from dashboard.meeting_link import (
    MEETING_PARAM,
    default_meeting,
    go_to_item,
    item_position,
    wanted_meeting,
)
from dashboard.navigation import MEETINGS, page
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.text import md
from seips_core.db import get_engine, read_session
from seips_core.errors import SeipsError
from seips_core.queries.agenda_item import ItemView, agenda_item_view
from seips_core.queries.meetings import (
    AgendaEntry,
    MeetingDetail,
    agenda,
    meeting_detail,
    meetings_of,
)

st.html(PROJECTOR_CSS)
actor = current_actor()
filters = current_filters()


def _meeting_id() -> int | None:
    """The meeting in the address; else the partnership's meeting today or next."""
    if (named := wanted_meeting()) is not None:
        return named
    if filters.partnership is None:
        return None
    rows = cached_query(meetings_of, actor, filters.partnership)
    if not rows:
        return None
    chosen = default_meeting(rows, filters.on).id
    st.query_params[MEETING_PARAM] = str(chosen)
    return chosen


meeting_id = _meeting_id()
if meeting_id is None:
    st.title("Projector view")
    st.info("Open a meeting's projector view from the Meetings page.")
    st.page_link(page(MEETINGS), label="Go to Meetings", icon=":material/event:")
    st.stop()
try:
    detail: MeetingDetail = cached_query(meeting_detail, actor, meeting_id)
except SeipsError as refused:
    st.title("Projector view")
    st.error(md(refused))
    st.stop()
position = item_position(len(cached_query(agenda, actor, meeting_id)))


def load() -> tuple[list[AgendaEntry], ItemView | None, object]:
    """The agenda and the item at ``position`` as the wall may show them (initials only)."""
    with read_session(get_engine()) as session:
        items = agenda(session, actor, meeting_id)
        if not items:
            return items, None, None
        entry = items[min(position, len(items)) - 1]
        view = agenda_item_view(
            session, actor, entry.item_id, on=detail.meeting_date, full_names=False
        )
    chart = tier_chart(view.tier_history, detail.meeting_date) if view.tier_history else None
    return items, view, chart


def draw(held: tuple[list[AgendaEntry], ItemView | None, object]) -> None:
    """Previous/next, the progress strip, and the item's ``panel``."""
    items, view, figure = held
    if view is None:
        st.info("This meeting's agenda is empty.")
        return
    back, strip, forward = st.columns([1, 3, 1], vertical_alignment="center")
    if back.button(
        "Previous item", icon=":material/arrow_back:", disabled=view.position == 1, width="stretch"
    ):
        go_to_item(view.position - 1)
        st.rerun()
    decided = sum(entry.decision is not None for entry in items)
    strip.progress(
        view.position / view.items,
        text=f"**Item {view.position} of {view.items}** · {decided} of {view.items} decided",
    )
    if forward.button(
        "Next item",
        icon=":material/arrow_forward:",
        disabled=view.position == view.items,
        width="stretch",
    ):
        go_to_item(view.position + 1)
        st.rerun()
    draw_wall_panel(view, figure, panel)


# The meeting's name, the switch between the item's panels (a whole rerun, outside the live
# area), and the way out.
title, switch, leave = st.columns([5, 2, 2], vertical_alignment="center")
title.title(md(detail.label))
panel = panel_switch(switch)
leave.page_link(page(MEETINGS), label="Leave the projector view", icon=":material/logout:")
live_area("projector", meeting_id, (meeting_id, position), load, draw)
