"""The wall (issues 4 and 12): the item the presenter put up, very large type, nothing else.

The room's PC opens a wall link (``?wall=TOKEN``: no sign-in, read-only, this meeting only) or
the meeting's link (``?meeting=ID``) signed in as anyone. One panel of the item fills the
screen with no scrolling: what the room decides on, or the item's history. It follows the
presenter: whatever item a co-ordinator or chair shows on the wall (Record decisions, the
Meetings page's agenda) is current for the meeting in the store, and every wall shows it within
a second, in the panel the presenter chose. Until someone presents, the address's item
(``&item=N``) and panel (``&panel=history``) show. A wall cannot move the room; a laptop on
this page may look ahead (Previous/Next, then the switch between the panels) without moving
it, and go back to the room's item.

Always case reference and initials, whoever is signed in and whatever their projection toggle
says: a wall is never a private screen.
"""

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.auth import current_actor
from dashboard.item_display import (
    PROJECTOR_CSS,
    draw_wall_panel,
    panel_switch,
    tier_chart,
    wall_panel,
)
from dashboard.live import WALL_SECONDS, live_area
from dashboard.meeting_link import (
    MEETING_PARAM,
    default_meeting,
    item_position,
    wanted_meeting,
)
from dashboard.navigation import MEETINGS, may_open, page
from dashboard.state import choose_partnership, current_filters
from dashboard.store import OfMeeting, cached_query, fresh, wall_item_view
from dashboard.text import md
from dashboard.widgets import pupil_label
from seips_core.errors import SeipsError
from seips_core.queries.agenda_item import ItemView
from seips_core.queries.meetings import (
    AgendaEntry,
    MeetingDetail,
    agenda,
    meeting_detail,
    meetings_of,
)
from seips_core.queries.presenting import OnTheWall, on_the_wall

#: The item this screen looks at instead of the room's, by meeting; none: it follows the room.
LOOK_KEY = "_projector_look"

st.html(PROJECTOR_CSS)
actor = current_actor()
filters = current_filters()


def _meeting_id() -> int | None:
    """The meeting in the address; else the partnership's meeting today or next."""
    if (named := wanted_meeting()) is not None:
        return named
    if filters.partnership is None:
        return None
    rows = cached_query(meetings_of, actor, filters.partnership, scope=filters.partnership)
    if not rows:
        return None
    chosen = default_meeting(rows, filters.on).id
    st.query_params[MEETING_PARAM] = str(chosen)
    return chosen


def leave(container: DeltaGenerator) -> None:
    """The way out to Meetings: the wall hides the menu. Not on a wall link's screen, which
    has nowhere else to go."""
    if may_open(actor, MEETINGS):
        container.page_link(
            page(MEETINGS), label="Leave the projector view", icon=":material/logout:"
        )


meeting_id = _meeting_id()
if meeting_id is None:
    st.title("Projector view")
    if filters.partnership is None:
        choose_partnership(actor, "The projector view shows one partnership's meeting.")
    else:
        st.info("This partnership has no meetings recorded.")
    leave(st.container())
    st.stop()
try:
    detail: MeetingDetail = cached_query(
        meeting_detail, actor, meeting_id, scope=OfMeeting(meeting_id)
    )
except SeipsError as refused:
    st.title("Projector view")
    st.error(md(refused))
    st.stop()
looks: dict[int, int] = st.session_state.setdefault(LOOK_KEY, {})
#: Before anyone presents, the item the address names.
addressed = item_position(len(cached_query(agenda, actor, meeting_id, scope=OfMeeting(meeting_id))))


@dataclass(frozen=True)
class Shown:
    """What this screen shows: the agenda, the item at ``position`` (None: nothing to show),
    its tier chart, the panel, and what the room's walls show."""

    items: list[AgendaEntry]
    position: int | None
    view: ItemView | None
    chart: object
    panel: str
    on_wall: OnTheWall | None


def _room_position(on_wall: OnTheWall | None) -> int | None:
    """The item the room is on: the presented one, the address's before anyone presents,
    none when the presented item was taken off the agenda."""
    return addressed if on_wall is None else on_wall.position


def load() -> Shown:
    """The agenda and the item this screen shows, as the wall may show them (initials only)."""
    looked_at = looks.get(meeting_id)
    items = fresh(agenda, actor, meeting_id)
    on_wall = fresh(on_the_wall, actor, meeting_id)
    position = looked_at or _room_position(on_wall)
    if not items or position is None:
        return Shown(items, None, None, None, "item", on_wall)
    position = min(position, len(items))
    # One computation per change for every screen of the meeting (each screen's scope checked).
    view = wall_item_view(actor, items[position - 1].item_id, detail.meeting_date)
    # Following the presenter, the presenter's panel; else this screen's own switch.
    panel = on_wall.panel if on_wall is not None and looked_at is None else own_panel
    # Built only for the panel that shows it: a wall on the item pays nothing for it.
    chart = None
    if panel == "history" and view.tier_history:
        chart = tier_chart(view.tier_history, detail.meeting_date)
    return Shown(items, position, view, chart, panel, on_wall)


def look_at(position: int | None) -> None:
    """Look at item ``position`` on this screen only (None: follow the room again), from the
    whole page's next run on: what the live area shows is keyed on it."""
    if position is None:
        looks.pop(meeting_id, None)
    else:
        looks[meeting_id] = position
    st.rerun()


def _progress(shown: Shown, strip: DeltaGenerator) -> None:
    """ "Item 4 of 11 · 3 of 11 decided", as a bar; on the history panel, whose history it is
    (the panel itself has no room for the case's heading)."""
    position, count = shown.position or 1, len(shown.items)
    decided = sum(entry.decision is not None for entry in shown.items)
    whose = ""
    if shown.panel == "history" and shown.view is not None:
        whose = f" · history of {md(pupil_label(shown.view.case_ref, shown.view.label))}"
    strip.progress(
        position / count,
        text=f"**Item {position} of {count}**{whose} · {decided} of {count} decided",
    )


def _look_ahead_controls(shown: Shown) -> None:
    """Previous/next for this screen alone, and the way back to the room's item."""
    room = _room_position(shown.on_wall)
    position, count = shown.position or 1, len(shown.items)
    back, strip, forward = st.columns([1, 3, 1], vertical_alignment="center")
    if back.button(
        "Previous item", icon=":material/arrow_back:", disabled=position <= 1, width="stretch"
    ):
        look_at(position - 1)
    _progress(shown, strip)
    if forward.button(
        "Next item", icon=":material/arrow_forward:", disabled=position >= count, width="stretch"
    ):
        look_at(position + 1)
    if meeting_id in looks:
        where = f"item {room}" if room else "no item"
        st.warning(
            f"This screen shows item {position} and no longer follows the wall: the room is "
            f"on {where}.",
            icon=":material/visibility:",
        )
        if st.button("Back to the room's item", icon=":material/cast:"):
            look_at(None)


def draw(shown: Shown) -> None:
    """The progress strip (with look-ahead for a person's screen), and the item's panel."""
    if not shown.items:
        st.info("This meeting's agenda is empty.")
        return
    if shown.view is None:
        st.info("Waiting for the presenter to put an item on the wall.", icon=":material/cast:")
        return
    if actor.wall_meeting is None:
        _look_ahead_controls(shown)
    else:  # a wall link's screen: the room's item, never moved from here
        _progress(shown, st.container())
    draw_wall_panel(shown.view, shown.chart, shown.panel)


# The meeting's name, the panel switch of a screen looking ahead (outside the live area: a
# whole rerun), and the way out. A screen following the room shows the presenter's panel (the
# address's before anyone presents); a wall link's screen has no switch and no way out.
title, switch, way_out = st.columns([5, 2, 2], vertical_alignment="center")
title.title(md(detail.label))
own_panel = wall_panel()
if actor.wall_meeting is None and meeting_id in looks:
    own_panel = panel_switch(switch)
leave(way_out)
live_area(
    "projector",
    meeting_id,
    (meeting_id, looks.get(meeting_id), own_panel, addressed),
    load,
    draw,
    every=WALL_SECONDS,
    shared_by=actor,  # every screen of one wall link reads the room's item once per change
)
