"""Co-ordinators, during the meeting: the item the room is on (live: a decision saved on
another screen shows here within two seconds) and the form that records the panel's decision.

Opened from the Meetings page (``?meeting=ID&item=N``); previous/next move along the agenda.
Names show as the sidebar's projection toggle says: this is the co-ordinator's own screen.
"""

import streamlit as st

from dashboard.auth import current_actor
from dashboard.decision_form import decision_form
from dashboard.item_display import draw_item, tier_chart
from dashboard.live import forget, live_area
from dashboard.meeting_choice import choose_meeting, go_to_item, item_position
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.widgets import pupil_label
from seips_core.db import get_engine, read_session
from seips_core.queries.agenda_item import agenda_item_view
from seips_core.queries.meetings import agenda, meeting_detail, meetings_of

SAVED_KEY = "_record_saved"
SEEN_KEY = "_record_seen_versions"

actor = current_actor()
filters = current_filters()
st.title("Record decisions")
st.caption(filters.scope)
if filters.partnership is None:
    st.info("Choose a partnership in the sidebar (R1): each partnership runs its own meetings.")
    st.stop()
overview = cached_query(meetings_of, actor, filters.partnership, on=filters.on)
meeting_id = choose_meeting([*overview.today, *overview.next, *overview.past])
if meeting_id is None:
    st.info("No meeting is recorded for this partnership yet.")
    st.stop()
items = cached_query(agenda, actor, meeting_id, full_names=filters.full_names)
if not items:
    st.info("This meeting's agenda is empty: build it in the Agenda builder.")
    st.stop()
position = item_position(len(items))
entry = items[position - 1]
labels = [f"{e.position}. {pupil_label(e.case_ref, e.label)}" for e in items]
chosen = st.selectbox(
    "Agenda item", range(len(items)), index=position - 1, format_func=labels.__getitem__
)
if chosen + 1 != position:
    go_to_item(chosen + 1)
    st.rerun()

saved = st.session_state.pop(SAVED_KEY, None)
if saved:
    st.success(saved, icon=":material/check_circle:")


def load():
    """The item as this user may see it, with its tier chart."""
    with read_session(get_engine()) as session:
        view = agenda_item_view(
            session, actor, entry.item_id, on=filters.on, full_names=filters.full_names
        )
    return view, tier_chart(view.tier_history) if view.tier_history else None


detail = cached_query(meeting_detail, actor, meeting_id)
schools = {row.school_id: row.school for row in detail.invitations}
form_column, item_column = st.columns([2, 3])
with item_column:
    live_area(
        "record", meeting_id, (meeting_id, entry.item_id), load, lambda held: draw_item(*held)
    )
with form_column:
    st.subheader(f"Item {position} of {len(items)}: decision")
    # The version of the decision the user first saw, kept until they save or reload: a
    # decision saved meanwhile on another screen is then refused as a conflict, never overwritten.
    seen = st.session_state.setdefault(SEEN_KEY, {})
    if entry.item_id not in seen:
        decision = load()[0].decision
        seen[entry.item_id] = decision.version if decision else None
    if st.button("Reload this item", icon=":material/refresh:"):
        seen.pop(entry.item_id)
        forget("record")
        st.rerun()

    def after_save(message: str) -> None:
        st.session_state[SAVED_KEY] = message
        seen.pop(entry.item_id, None)
        forget("record")
        st.rerun()

    decision_form(
        actor,
        entry.item_id,
        seen[entry.item_id],
        schools=schools,
        providers=dict(detail.providers),
        warnings=lambda outcome: list(detail.warnings) if outcome == "allocate_fair_access" else [],
        saved=after_save,
    )
