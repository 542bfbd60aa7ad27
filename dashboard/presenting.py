"""The presenter's controls (issue 12): put the item on the meeting's walls (the case or its
history), "present as I go", and what the walls show now and who put it up.

Drawn on Record decisions and beside the Meetings page's agenda for those who may present
(``EDIT_CASES``); a viewer's screen and a wall have none of them, so a wall cannot move the
room. Writing is ``seips_core.services.presenting.present``; the walls follow through the
meeting's change marker.
"""

import streamlit as st

from dashboard.store import OfMeeting, cached_query, call
from dashboard.text import md
from dashboard.widgets import pupil_label
from seips_core.auth.local_time import clock_time
from seips_core.auth.roles import Actor, Capability
from seips_core.errors import SeipsError
from seips_core.queries.meetings import agenda
from seips_core.queries.presenting import OnTheWall, on_the_wall
from seips_core.services.presenting import present

#: The "present as I go" switch, kept for the session across items and pages.
PRESENT_AS_I_GO_KEY = "present_as_i_go"
#: By meeting, the item this screen last put on the wall ("present as I go" moves the wall
#: when another item is opened, not on every rerun, so another presenter's click stands).
_PUT_UP_KEY = "_put_up"


def show_on_wall(actor: Actor, meeting_id: int, item_id: int, panel: str = "item") -> bool:
    """Put the item (``panel``) on the walls; a refusal is said here. True once it is up."""
    try:
        call(present, actor, meeting_id, item_id, panel=panel)
    except SeipsError as refused:
        st.error(f"Not shown on the wall. {md(refused)}", icon=":material/block:")
        return False
    st.session_state.setdefault(_PUT_UP_KEY, {})[meeting_id] = item_id
    return True


def presenter_controls(actor: Actor, meeting_id: int, item_id: int) -> bool:
    """ "Show on the wall", "Show its history on the wall" and "Present as I go" for the item
    open on this screen; True when this run moved the wall (the caller reloads what it shows).
    """
    if not actor.may(Capability.EDIT_CASES):
        return False
    case, history, as_i_go = st.columns([2, 3, 2], vertical_alignment="center")
    moved = False
    if case.button("Show on the wall", icon=":material/cast:", type="primary"):
        moved = show_on_wall(actor, meeting_id, item_id)
    if history.button("Show its history on the wall", icon=":material/timeline:"):
        moved = show_on_wall(actor, meeting_id, item_id, panel="history")
    going = as_i_go.toggle(
        "Present as I go",
        key=PRESENT_AS_I_GO_KEY,
        help="Every item you open here goes on the meeting's walls (issue 12). Another "
        "presenter can still move them: the last click wins.",
    )
    put_up = st.session_state.get(_PUT_UP_KEY, {})
    if going and not moved and put_up.get(meeting_id) != item_id:
        moved = show_on_wall(actor, meeting_id, item_id)
    return moved


def wall_line(on_wall: OnTheWall | None, item_id: int | None = None) -> None:
    """What the walls show now and who put it up: every presenter reads who moved it last
    (said as "this item" when it is ``item_id``, the item on the presenter's screen)."""
    if on_wall is None:
        st.caption("Nobody has put an item on the wall yet: walls show the item their link names.")
        return
    when = f"put up by {md(on_wall.presented_by)} at {clock_time(on_wall.presented_at)}"
    panel = " (its history)" if on_wall.panel == "history" else ""
    if on_wall.item_id == item_id:
        st.success(f"**On the wall now: this item{panel}**, {when}.", icon=":material/cast:")
    elif on_wall.position is None:
        st.info(f"The wall shows no item (the one {when} left the agenda).", icon=":material/cast:")
    else:
        st.info(f"On the wall now: item {on_wall.position}{panel}, {when}.", icon=":material/cast:")


def present_from_agenda(actor: Actor, meeting_id: int) -> None:
    """Beside the Meetings page's agenda: what the walls show, and any item put up from here
    (case reference and initials in the box: the laptop may be mirrored to the projector)."""
    if not actor.may(Capability.EDIT_CASES):
        return
    entries = {
        entry.item_id: entry
        for entry in cached_query(agenda, actor, meeting_id, scope=OfMeeting(meeting_id))
    }
    if not entries:
        return
    wall_line(cached_query(on_the_wall, actor, meeting_id, scope=OfMeeting(meeting_id)))
    pick, show = st.columns([4, 1], vertical_alignment="bottom")
    item_id = pick.selectbox(
        "Agenda item to show on the wall",
        list(entries),
        format_func=lambda each: (
            f"{entries[each].position}. "
            f"{pupil_label(entries[each].case_ref, entries[each].label)} · "
            f"{entries[each].purpose_label}"
        ),
    )
    clicked = show.button("Show on the wall", icon=":material/cast:", key=f"wall-{meeting_id}")
    if clicked and show_on_wall(actor, meeting_id, item_id):
        st.rerun()
