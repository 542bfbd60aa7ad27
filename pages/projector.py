"""The wall: one agenda item at a time, very large type, high contrast, nothing else.

Opened from its own link (``?meeting=ID&item=N``) by the room's PC once signed in. Always in
projection privacy (case reference and initials), whoever is signed in and whatever their
projection toggle says. The item redraws by itself when a decision is saved on another screen
(``dashboard.live``).
"""

import streamlit as st

from dashboard.auth import current_actor
from dashboard.item_display import PROJECTOR_CSS, draw_item, tier_chart
from dashboard.live import live_area
from dashboard.meeting_choice import MEETING_PARAM, go_to_item, item_position
from dashboard.state import current_filters
from dashboard.store import cached_query
from seips_core.db import get_engine, read_session
from seips_core.queries.agenda_item import agenda_item_view
from seips_core.queries.meetings import agenda, meetings_of

st.set_page_config(initial_sidebar_state="collapsed", layout="wide")
st.html(PROJECTOR_CSS)
actor = current_actor()
filters = current_filters()

raw = st.query_params.get(MEETING_PARAM)
meeting_id = int(raw) if raw and raw.isdigit() else None
if meeting_id is None:
    overview = cached_query(meetings_of, actor, filters.partnership, on=filters.on)
    coming = [*overview.today, *overview.next]
    if not coming:
        st.title("Projector view")
        st.info("Open a meeting's projector view from the Meetings page.")
        st.stop()
    meeting_id = coming[0].id
    st.query_params[MEETING_PARAM] = str(meeting_id)

items = cached_query(agenda, actor, meeting_id)
if not items:
    st.title("Projector view")
    st.info("This meeting's agenda is empty.")
    st.stop()
position = item_position(len(items))
entry = items[position - 1]

back, strip, forward = st.columns([1, 3, 1], vertical_alignment="center")
if back.button("◀ Previous item", disabled=position == 1, width="stretch"):
    go_to_item(position - 1)
    st.rerun()
strip.markdown(
    f"<h1 style='text-align:center'>Item {position} of {len(items)}</h1>", unsafe_allow_html=True
)
if forward.button("Next item ▶", disabled=position == len(items), width="stretch"):
    go_to_item(position + 1)
    st.rerun()


def load():
    """The item as the wall may show it (initials only), with its tier chart."""
    with read_session(get_engine()) as session:
        view = agenda_item_view(session, actor, entry.item_id, on=filters.on, full_names=False)
    return view, tier_chart(view.tier_history) if view.tier_history else None


live_area("projector", meeting_id, (meeting_id, entry.item_id), load, lambda held: draw_item(*held))
