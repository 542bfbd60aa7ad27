"""Co-ordinators, during the meeting: the item the room is on and the form that records the
panel's decision (issue 4), with the actions the meeting sets.

Opened from the Meetings page or its own link (``?meeting=ID&item=N``). The item beside the form
is live: a decision saved on another screen shows within two seconds, with a warning that the
form now stands on an older version. Saving then is refused by ``seips_core`` ("Changed by …
at …: reload"), never a silent overwrite; "Reload this item" takes in the other decision and
keeps what was typed. Names show as the sidebar's projection toggle says: this is the
co-ordinator's own screen, not the wall.
"""

import streamlit as st

from dashboard.actions import meeting_actions_panel
from dashboard.auth import current_actor
from dashboard.decision_form import decision_form
from dashboard.item_display import decided_line, draw_item, tier_chart
from dashboard.live import forget, live_area, read_live
from dashboard.meeting_link import (
    choose_meeting,
    go_to_item,
    item_position,
    link_params,
    partnership_meetings,
)
from dashboard.navigation import PROJECTOR, page
from dashboard.presenting import presenter_controls, wall_line
from dashboard.read_log import names_shown
from dashboard.state import current_filters
from dashboard.store import OfMeeting, cached_query, fresh
from dashboard.text import md
from dashboard.widgets import pupil_label
from seips_core.queries.agenda_item import ItemView, agenda_item_view
from seips_core.queries.meetings import DECISION_OUTCOMES, agenda, meeting_detail
from seips_core.queries.presenting import OnTheWall, on_the_wall
from seips_core.services.decisions import RecordedDecision

LIVE = "record"
SAVED_KEY = "_record_saved"
#: Per item: the version of its decision this screen's form stands on (None: no decision).
SEEN_KEY = "_record_seen"

actor = current_actor()
filters = current_filters()
meeting = choose_meeting(partnership_meetings("Record decisions", actor, filters), filters.on)
items = cached_query(
    agenda, actor, meeting.id, full_names=filters.full_names, scope=OfMeeting(meeting.id)
)
if not items:
    st.info("This meeting's agenda is empty: build it in the Agenda builder first.")
    st.stop()
position = item_position(len(items))
entry = items[position - 1]


def _line(index: int) -> str:
    each = items[index]
    done = f" · decided: {each.decision}" if each.decision else ""
    return f"{each.position}. {pupil_label(each.case_ref, each.label)} · {each.purpose_label}{done}"


names_shown(items)  # every item is an option of the chooser; the one open is drawn beside
picked = st.selectbox("Agenda item", range(len(items)), index=position - 1, format_func=_line)
if picked + 1 != position:
    go_to_item(picked + 1)
    st.rerun()
back, forward, wall = st.columns([1, 1, 3], vertical_alignment="center")
if back.button("Previous item", icon=":material/arrow_back:", disabled=position == 1):
    go_to_item(position - 1)
    st.rerun()
if forward.button("Next item", icon=":material/arrow_forward:", disabled=position == len(items)):
    go_to_item(position + 1)
    st.rerun()
wall.page_link(
    page(PROJECTOR),
    label="Open the projector view",
    icon=":material/open_in_new:",
    query_params=link_params(meeting.id),
)
if presenter_controls(actor, meeting.id, entry.item_id):
    forget(LIVE)

if saved := st.session_state.pop(SAVED_KEY, None):
    st.success(md(saved), icon=":material/check_circle:")


def load() -> tuple[ItemView, object, OnTheWall | None]:
    """The item as this user may see it on the meeting's day, with its tier chart, and what
    the meeting's walls show."""
    view = fresh(
        agenda_item_view, actor, entry.item_id, on=meeting.meeting_date,
        full_names=filters.full_names,
    )  # fmt: skip
    on_wall = fresh(on_the_wall, actor, meeting.id)
    chart = tier_chart(view.tier_history, meeting.meeting_date) if view.tier_history else None
    return view, chart, on_wall


key = (meeting.id, entry.item_id, filters.full_names)
view, _figure, _on_wall = read_live(LIVE, meeting.id, key, load)
seen: dict[int, int | None] = st.session_state.setdefault(SEEN_KEY, {})
seen.setdefault(entry.item_id, view.decision.version if view.decision else None)
detail = cached_query(meeting_detail, actor, meeting.id, scope=OfMeeting(meeting.id))


def reload_item() -> None:
    """Stand the form on the decision saved now (after reading it), keeping what was typed."""
    seen.pop(entry.item_id, None)
    forget(LIVE)


def draw_live(held: tuple[ItemView, object, OnTheWall | None]) -> None:
    """What the walls show, the item as saved now, and a warning when its decision moved on
    since the form was opened."""
    now, figure, on_wall = held
    wall_line(on_wall, entry.item_id)
    saved_version = now.decision.version if now.decision else None
    if saved_version != seen.get(entry.item_id):
        st.warning(
            "This item's decision was changed on another screen. "
            f"{md(decided_line(now))} Reload the item before saving, or your save will be refused.",
            icon=":material/sync_problem:",
        )
        st.button("Reload this item", icon=":material/refresh:", on_click=reload_item)
    draw_item(now, figure)


def after_save(recorded: RecordedDecision, outcome: str) -> None:
    message = f"Decision saved and audited: {DECISION_OUTCOMES[outcome]}."
    message += "".join(f" {warning}" for warning in recorded.warnings)
    seen[entry.item_id] = recorded.version
    st.session_state[SAVED_KEY] = message
    forget(LIVE)
    st.rerun()


form_column, item_column = st.columns([2, 3], gap="large")
with form_column:
    st.header(f"Item {position} of {len(items)}: decision")
    st.caption(md(decided_line(view)))
    decision_form(actor, view, detail, seen[entry.item_id], after_save)
    st.subheader("Actions")
    meeting_actions_panel(actor, meeting, on=filters.on, item_id=entry.item_id)
with item_column:
    live_area(LIVE, meeting.id, key, load, draw_live)
