"""Co-ordinators, before the meeting: the agenda as it stands, with an item to pick and
buttons to move it or take it off, and what could go on it and why, to pick and add (issue 4):
open referrals, Fair Access cases waiting, AP reviews due and Tier 4 reviews due. Beside them,
the actions of earlier meetings this one takes forward (due by its day, not done): the room
hears them again, and one done meanwhile is ticked off here (issue 12).

EHCP pupils are listed with the reason they go to their annual review instead (R15) and
cannot be added; a city-address pupil reaching Tier 4 carries the home-LA mark (R4). The
agenda and the suggestions are tables, each with one set of controls under it rather than
buttons on every line (issue 13: a page's run costs by the element): plain labelled boxes and
buttons, usable from the keyboard. Every change goes through
``seips_core.services.agenda``, which checks the right to make it and refuses a stale one.
"""

from collections.abc import Callable, Sequence
from functools import partial

import streamlit as st

from dashboard.actions import action_lines, action_notice
from dashboard.auth import current_actor
from dashboard.meeting_link import choose_meeting, notification_warning, partnership_meetings
from dashboard.parts import paged_table
from dashboard.read_log import names_shown
from dashboard.state import current_filters
from dashboard.store import OfMeeting, cached_query, call
from dashboard.text import md
from dashboard.views import AgendaBuilderView, agenda_builder_view
from dashboard.widgets import pupil_label, rule_label, show_table
from seips_core.errors import SeipsError
from seips_core.queries.actions import carried_forward
from seips_core.queries.agenda_suggestions import Suggestion
from seips_core.queries.meetings import AgendaEntry
from seips_core.services.agenda import add_agenda_item, move_agenda_item, remove_agenda_item

DONE_KEY = "_agenda_done"

actor = current_actor()
filters = current_filters()
open_meetings = [
    row
    for row in partnership_meetings("Agenda builder", actor, filters)
    if row.status != "closed" and row.meeting_date >= filters.on
]
if not open_meetings:
    st.info("No meeting of this partnership is coming: agendas are built for coming meetings.")
    st.stop()
meeting = choose_meeting(open_meetings, filters.on)
#: The boxes below say pupils by name or by initials, as the toggle says; each is keyed on it
#: too. A keyed box keeps its widget across runs, and the browser then goes on showing the
#: chosen line as it was first drawn: a name after "Hide names" (issue 15). A new key draws it
#: afresh, at its first line.
NAMES = "names" if filters.full_names else "initials"
if notice := st.session_state.pop(DONE_KEY, None):
    st.success(md(notice), icon=":material/check_circle:")


def change(step: Callable[[], object], message: str) -> None:
    """Run one agenda change: say it on the next run, or show the refusal as it is."""
    try:
        step()
    except SeipsError as refused:
        st.error(f"Not changed. {md(refused)}", icon=":material/block:")
    else:
        st.session_state[DONE_KEY] = message
        st.rerun()


def item_line(entry: AgendaEntry) -> str:
    """An agenda item as the box that picks it says it (plain text: a box shows no Markdown)."""
    return f"{entry.position}. {pupil_label(entry.case_ref, entry.label)} · {entry.purpose_label}"


def change_controls(items: Sequence[AgendaEntry]) -> None:
    """Pick an item, then move it up or down or take it off: one box and three buttons for
    the whole agenda, not three buttons a line (issue 13). The item stays picked as it moves,
    so that it can be moved again at once."""
    by_id = {entry.item_id: entry for entry in items}
    box, up, down, remove = st.columns([6, 1, 1, 1.4], vertical_alignment="bottom")
    entry = by_id[
        box.selectbox(
            "Item to move or take off",
            list(by_id),
            format_func=lambda item_id: item_line(by_id[item_id]),
            key=f"agenda_item_{meeting.id}_{NAMES}",
        )
    ]
    if up.button(
        "Up", disabled=entry.position == 1, help=f"Move {md(entry.case_ref)} up one place"
    ):
        change(
            partial(call, move_agenda_item, actor, entry.item_id, entry.position - 1),
            f"{entry.case_ref} moved up to item {entry.position - 1}.",
        )
    if down.button(
        "Down",
        disabled=entry.position == len(items),
        help=f"Move {md(entry.case_ref)} down one place",
    ):
        change(
            partial(call, move_agenda_item, actor, entry.item_id, entry.position + 1),
            f"{entry.case_ref} moved down to item {entry.position + 1}.",
        )
    if remove.button(
        "Remove",
        disabled=entry.decision is not None,
        help=f"Take {md(entry.case_ref)} off the agenda (not once decided)",
    ):
        change(
            partial(call, remove_agenda_item, actor, entry.item_id, expected_version=entry.version),
            f"{entry.case_ref} taken off the agenda.",
        )


def add_control(offered: Sequence[Suggestion], count: int) -> None:
    """Pick a suggestion and add it at the end of the agenda: one box and one button for the
    whole list, not a button a line (EHCP pupils are not offered: R15 routes them to their
    annual review). The first is picked to begin with, as the list's first line was nearest
    to hand before."""
    by_key = {suggestion.key: suggestion for suggestion in offered}
    box, add = st.columns([8.4, 1.6], vertical_alignment="bottom")
    suggestion = by_key[
        box.selectbox(
            "Suggestion to add",
            list(by_key),
            format_func=lambda key: (
                f"{pupil_label(by_key[key].case_ref, by_key[key].label)} · "
                f"{by_key[key].purpose_label}"
            ),
            key=f"agenda_add_{meeting.id}_{NAMES}",
        )
    ]
    if add.button(
        "Add", icon=":material/add:", help=f"Add {md(suggestion.case_ref)} to the agenda"
    ):
        change(
            partial(call, add_agenda_item, actor, meeting.id, suggestion),
            f"{suggestion.case_ref} added as item {count + 1}.",
        )


#: Suggestions a page at a time: the agenda, the actions and the box to add stay on three screens.
SUGGESTIONS_PER_PAGE = 10

st.header("Agenda")
notification_warning(meeting, filters.on)
view: AgendaBuilderView = cached_query(
    agenda_builder_view, actor, meeting.id, on=meeting.meeting_date,
    full_names=filters.full_names, scope=OfMeeting(meeting.id),
)  # fmt: skip
items = view.items
if items:
    show_table(view.agenda)
    names_shown(items)  # the table, and the item chooser of the controls
    change_controls(items)
else:
    st.info("Nothing on the agenda yet: add items from the suggestions below.")

st.header("Actions carried forward")
st.caption(
    "Actions of earlier meetings due by this one and not done: they come back to the room. "
    "Tick one that is done; it leaves the list."
)
action_notice()
carried = cached_query(carried_forward, actor, meeting.id, scope=OfMeeting(meeting.id))
if carried:
    action_lines(actor, carried, on=filters.on, key="carried", show_meeting=True)
else:
    st.info("None: every earlier action due by this meeting is done.")

st.header("Suggestions")
st.caption(
    "Open referrals, Fair Access cases waiting, AP reviews due and Tier 4 reviews due that are "
    "not on this agenda yet."
)
if view.offered:
    paged_table(view.suggestions, f"suggestions_{meeting.id}", "suggestions",
                search_in=("Pupil", "School", "Why now"), rows=SUGGESTIONS_PER_PAGE)  # fmt: skip
    add_control(view.offered, len(items))
    names_shown(view.offered)  # the chooser holds every suggestion, the table a page of them
elif not view.routed:
    st.info("Nothing is waiting for this meeting.")
if view.routed:
    st.subheader("Not for the panel: EHCP annual review", help=rule_label("R15"))
    show_table(view.routed_table)
