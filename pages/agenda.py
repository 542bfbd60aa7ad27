"""Co-ordinators, before the meeting: the agenda as it stands, with buttons to move and remove
items, and what could go on it and why (issue 4): open referrals, Fair Access cases waiting,
AP reviews due and Tier 4 reviews due. Beside them, the actions of earlier meetings this one
takes forward (due by its day, not done): the room hears them again, and one done meanwhile is
ticked off here (issue 12).

EHCP pupils are listed with the reason they go to their annual review instead (R15) and
cannot be added; a city-address pupil reaching Tier 4 carries the home-LA mark (R4). Buttons
are plain labelled buttons, usable from the keyboard. Every change goes through
``seips_core.services.agenda``, which checks the right to make it and refuses a stale one.
"""

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.actions import action_lines, action_notice
from dashboard.auth import current_actor
from dashboard.meeting_link import choose_meeting, notification_warning, partnership_meetings
from dashboard.state import current_filters
from dashboard.store import OfMeeting, cached_query
from dashboard.text import md
from dashboard.widgets import pupil_label, show_table
from seips_core.db import get_engine
from seips_core.errors import SeipsError
from seips_core.queries.actions import carried_forward
from seips_core.queries.agenda_suggestions import suggest_agenda
from seips_core.queries.meetings import AgendaEntry, agenda
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


def agenda_line(entry: AgendaEntry, count: int) -> None:
    """One item: where it stands, who, why, what was decided; move up/down, remove."""
    who = pupil_label(entry.case_ref, entry.label)
    text, up, down, remove = st.columns([7, 1, 1, 1.2], vertical_alignment="center")
    decided = f" · **decided: {md(entry.decision)}**" if entry.decision else ""
    text.markdown(
        f"**{entry.position}.** {md(who)} · {entry.purpose_label} · "
        f"{md(entry.school) if entry.school else 'no school'}{decided}"
    )
    engine = get_engine()
    if up.button(
        "Up",
        key=f"up_{entry.item_id}",
        disabled=entry.position == 1,
        help=f"Move {md(entry.case_ref)} up one place",
    ):
        change(
            partial(move_agenda_item, engine, actor, entry.item_id, entry.position - 1),
            f"{entry.case_ref} moved up to item {entry.position - 1}.",
        )
    if down.button(
        "Down",
        key=f"down_{entry.item_id}",
        disabled=entry.position == count,
        help=f"Move {md(entry.case_ref)} down one place",
    ):
        change(
            partial(move_agenda_item, engine, actor, entry.item_id, entry.position + 1),
            f"{entry.case_ref} moved down to item {entry.position + 1}.",
        )
    if remove.button(
        "Remove",
        key=f"remove_{entry.item_id}",
        disabled=entry.decision is not None,
        help=f"Take {md(entry.case_ref)} off the agenda (not once decided)",
    ):
        change(
            lambda: remove_agenda_item(
                engine, actor, entry.item_id, expected_version=entry.version
            ),
            f"{entry.case_ref} taken off the agenda.",
        )


st.header("Agenda")
notification_warning(meeting, filters.on)
items = cached_query(
    agenda, actor, meeting.id, full_names=filters.full_names, scope=OfMeeting(meeting.id)
)
if not items:
    st.info("Nothing on the agenda yet: add items from the suggestions below.")
for entry in items:
    agenda_line(entry, len(items))

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
suggestions = cached_query(
    suggest_agenda, actor, meeting.id, on=meeting.meeting_date, scope=OfMeeting(meeting.id)
)
if not suggestions:
    st.info("Nothing is waiting for this meeting.")
routed = [each for each in suggestions if each.routed_to]
for suggestion in (each for each in suggestions if not each.routed_to):
    text, add = st.columns([8, 2], vertical_alignment="center")
    marks = "".join(f" · **{md(mark)}**" for mark in suggestion.marks)
    text.markdown(
        f"{md(pupil_label(suggestion.case_ref, suggestion.label))} · "
        f"**{suggestion.purpose_label}** · "
        f"{md(suggestion.school) if suggestion.school else 'no school'} · "
        f"{md(suggestion.reason)}{marks}"
    )
    if add.button(
        "Add",
        key=f"add_{suggestion.key}",
        icon=":material/add:",
        help=f"Add {md(suggestion.case_ref)} to the agenda",
    ):
        change(
            partial(add_agenda_item, get_engine(), actor, meeting.id, suggestion),
            f"{suggestion.case_ref} added as item {len(items) + 1}.",
        )
if routed:
    st.subheader("Not for the panel: EHCP annual review (R15)")
    show_table(
        pd.DataFrame(
            {
                "Pupil": [pupil_label(each.case_ref, each.label) for each in routed],
                "Came up as": [each.purpose_label for each in routed],
                "Why not the panel": [each.reason for each in routed],
            }
        )
    )
