"""Co-ordinators, before the meeting: what could go on the agenda and why (open referrals,
Fair Access cases waiting, AP and Tier 4 reviews due), the agenda as it stands, and buttons to
add, remove and move items (plain labelled buttons: usable from the keyboard).

EHCP pupils are listed with the reason they go to their annual review instead (R15) and
cannot be added; a city-address pupil reaching Tier 4 is marked for the home LA (R4). Every
change goes through ``seips_core.services.agenda``, which checks the right to make it.
"""

from functools import partial

import streamlit as st

from dashboard.auth import current_actor
from dashboard.meeting_choice import choose_meeting
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.widgets import pupil_label
from seips_core.db import get_engine
from seips_core.errors import Conflict, NotAllowed, RuleViolation
from seips_core.queries.meetings import agenda, meetings_of
from seips_core.services.agenda import (
    add_agenda_item,
    move_agenda_item,
    remove_agenda_item,
    suggest_agenda,
)

DONE_KEY = "_agenda_done"

actor = current_actor()
filters = current_filters()
engine = get_engine()
st.title("Agenda builder")
st.caption(filters.scope)
if filters.partnership is None:
    st.info("Choose a partnership in the sidebar (R1): each partnership runs its own meetings.")
    st.stop()
overview = cached_query(meetings_of, actor, filters.partnership, on=filters.on)
meeting_id = choose_meeting([*overview.today, *overview.next])
if meeting_id is None:
    st.info("No meeting is planned for this partnership: agendas are built for coming ones.")
    st.stop()
done = st.session_state.pop(DONE_KEY, None)
if done:
    st.success(done)


def change(step, message: str) -> None:
    """Run one agenda change; say it on the next run, or say the refusal as it is."""
    try:
        step()
    except (Conflict, NotAllowed, RuleViolation) as refused:
        st.error(str(refused))
    else:
        st.session_state[DONE_KEY] = message
        st.rerun()


st.header("Agenda")
items = cached_query(agenda, actor, meeting_id, full_names=filters.full_names)
if not items:
    st.info("Nothing on the agenda yet: add items from the suggestions below.")
for index, entry in enumerate(items):
    who = pupil_label(entry.case_ref, entry.label)
    text, up, down, remove = st.columns([6, 1, 1, 1], vertical_alignment="center")
    text.markdown(f"**{entry.position}.** {who} · {entry.purpose_label} · {entry.school}")
    if up.button(
        "Up",
        key=f"up_{entry.item_id}",
        disabled=index == 0,
        help=f"Move {entry.case_ref} up one place",
    ):
        change(
            partial(move_agenda_item, engine, actor, entry.item_id, entry.position - 1),
            f"{entry.case_ref} moved up.",
        )
    if down.button(
        "Down",
        key=f"down_{entry.item_id}",
        disabled=index == len(items) - 1,
        help=f"Move {entry.case_ref} down one place",
    ):
        change(
            partial(move_agenda_item, engine, actor, entry.item_id, entry.position + 1),
            f"{entry.case_ref} moved down.",
        )
    if remove.button(
        "Remove", key=f"remove_{entry.item_id}", help=f"Take {entry.case_ref} off the agenda"
    ):
        change(
            partial(
                remove_agenda_item, engine, actor, entry.item_id, expected_version=entry.version
            ),
            f"{entry.case_ref} taken off the agenda.",
        )

st.header("Suggestions")
suggestions = cached_query(suggest_agenda, actor, meeting_id, on=filters.on)
if not suggestions:
    st.info("Nothing waits for this meeting.")
for suggestion in suggestions:
    text, add = st.columns([7, 2], vertical_alignment="center")
    marks = "".join(f" · **{mark}**" for mark in suggestion.marks)
    text.markdown(
        f"{pupil_label(suggestion.case_ref, suggestion.label)} · {suggestion.reason}{marks}"
    )
    if suggestion.routed_to == "ehcp_annual_review":
        add.markdown("Annual review (R15)")
        continue
    if add.button(
        "Add", key=f"add_{suggestion.key}", help=f"Add {suggestion.case_ref} to the agenda"
    ):
        change(
            partial(add_agenda_item, engine, actor, meeting_id, suggestion),
            f"{suggestion.case_ref} added to the agenda.",
        )
