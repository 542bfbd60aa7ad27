"""A meeting's actions on screen, for Meetings and Record decisions: tick done, edit, add.

Each action is one line whose tick box *is* the action ("Send the EP report · SENCO · due
18/03/2026"): ticking it saves "done" at once, as attendance ticks do, and unticking undoes it.
The wording, owner and due date change in a small form behind **Edit** with its own **Save**:
a slip of the mouse never rewrites an action, and a grid of editable cells (which saves cell
by cell, or asks for a separate save of the whole grid) would be slower to use right and
easier to use wrong. A change made on another screen first is refused by the service naming
who made it, never overwritten. An overdue action says so in words, not colour alone; a pupil
appears by case reference only. Viewers read the list; they have no tick boxes.
"""

from collections.abc import Sequence
from datetime import date, timedelta

import streamlit as st

from dashboard.auth import current_session
from dashboard.form_problems import FormProblems
from dashboard.store import OfMeeting, cached_query, call
from dashboard.text import md
from seips_core.auth.roles import Actor, Capability
from seips_core.errors import SeipsError
from seips_core.queries.actions import ActionRow, meeting_actions
from seips_core.queries.meetings import MeetingRow
from seips_core.services.meetings import add_action, edit_action, set_action_done

NOTICE_KEY = "_actions_notice"
_ADDED_KEY = "_actions_added"
#: The edit form's width in pixels: an action's usual wording reads whole in it.
EDIT_WIDTH = 520
#: How long a new action's due date is from the meeting, unless changed.
DUE_AFTER = timedelta(days=14)


def describe(row: ActionRow, on: date, *, show_meeting: bool) -> str:
    """The action as one line of Markdown: what, who, by when, and where it stands."""
    parts = [f"**{md(row.description)}**", md(row.owner), f"due {row.due_date:%d/%m/%Y}"]
    if row.done_date is not None:
        parts.append(f"done {row.done_date:%d/%m/%Y}")
    elif row.overdue(on):
        parts.append("**⚠ overdue**")
    if row.case_ref:
        parts.append(md(row.case_ref))
    if show_meeting:
        parts.append(f"set at {md(row.meeting)}")
    return " · ".join(parts)


def _tick(row: ActionRow, key: str, on: date) -> None:
    """Save one done tick at once. A callback runs before the run's sign-in gate, so it asks
    the gate itself: a removed account saves nothing and is signed out."""
    signed_in = current_session()
    if signed_in is None:
        return
    done = bool(st.session_state[key])
    try:
        call(set_action_done, signed_in.actor, row.id, done, expected_version=row.version, on=on)
    except SeipsError as refused:
        st.session_state[NOTICE_KEY] = ("error", f"Not saved. {refused}")
    else:
        said = "done" if done else "open again"
        st.session_state[NOTICE_KEY] = ("success", f"Action {said}: {row.description}.")


def _edit(actor: Actor, row: ActionRow, key: str) -> None:
    """The Edit button and its form; the description is fixed once the minutes are signed.

    The form is built only while its popover is open (issue 13): a list of actions costs a
    button a line on each run, not a form of four fields a line that nobody has opened.
    """
    popover = st.popover(
        "Edit", icon=":material/edit:", help=f"Change: {md(row.description)}", key=key,
        on_change="rerun",
    )  # fmt: skip
    if not popover.open:
        return
    with popover:
        with st.form(f"{key}-form", enter_to_submit=False, border=False):
            problems = FormProblems()
            description = st.text_input(
                "Action",
                value=row.description,
                width=EDIT_WIDTH,
                disabled=row.meeting_closed,
                help="Fixed once the minutes are signed off." if row.meeting_closed else None,
            )
            problems.beside("Action")
            owner = st.text_input("Owner (who does it)", value=row.owner)
            problems.beside("Owner")
            due = st.date_input("Due date", value=row.due_date, format="DD/MM/YYYY")
            problems.beside("Due date")
            if not st.form_submit_button("Save the action", icon=":material/save:"):
                return
        try:
            call(
                edit_action, actor, row.id, description=description, owner=owner,
                due_date=due, expected_version=row.version,
            )  # fmt: skip
        except SeipsError as refused:
            problems.show(refused)
            return
    st.session_state[NOTICE_KEY] = ("success", f"Action saved: {description.strip()}.")
    st.rerun()


def action_notice() -> None:
    """What the last tick, edit or addition did (or why it was refused), once, where the page
    puts it: above its first list of actions."""
    if said := st.session_state.pop(NOTICE_KEY, None):
        kind, text = said
        if kind == "error":
            st.error(md(text), icon=":material/block:")
        else:
            st.success(md(text), icon=":material/check_circle:")


def action_lines(
    actor: Actor, rows: Sequence[ActionRow], *, on: date, key: str, show_meeting: bool = False
) -> None:
    """``rows`` one to a line: a done tick and Edit for those who edit cases, text for others.
    ``on`` is the day a tick records and what "overdue" is judged on."""
    if not actor.may(Capability.EDIT_CASES):
        st.markdown("\n".join(f"- {describe(r, on, show_meeting=show_meeting)}" for r in rows))
        return
    for row in rows:
        # The version in the key: a row saved anywhere comes back as a new box showing the
        # store's value, not the one this screen last held.
        tick_key = f"{key}-done-{row.id}-{row.version}"
        tick, edit = st.columns([9, 1], vertical_alignment="center")
        tick.checkbox(
            describe(row, on, show_meeting=show_meeting),
            value=row.done_date is not None,
            key=tick_key,
            on_change=_tick,
            args=(row, tick_key, on),
        )
        with edit:
            _edit(actor, row, f"{key}-edit-{row.id}-{row.version}")


def add_action_form(actor: Actor, meeting: MeetingRow, item_id: int | None, *, key: str) -> None:
    """A form to add an action to ``meeting`` (about agenda item ``item_id``, or none); a new
    blank form after each one saved, a refused one keeps what was typed."""
    added = st.session_state.setdefault(_ADDED_KEY, 0)
    form = f"{key}-add-{item_id}-{added}"
    with st.form(form, enter_to_submit=False):
        problems = FormProblems()
        what = st.text_input("Action", key=f"{form}-what")
        problems.beside("Action")
        owner = st.text_input("Owner (who does it)", key=f"{form}-owner")
        problems.beside("Owner")
        due = st.date_input(
            "Due date",
            value=meeting.meeting_date + DUE_AFTER,
            format="DD/MM/YYYY",
            key=f"{form}-due",
        )
        problems.beside("Due date")
        if not st.form_submit_button("Add the action", icon=":material/add_task:"):
            return
    try:
        call(add_action, actor, meeting.id, item_id, what, owner, due)
    except SeipsError as refused:
        problems.show(refused)
    else:
        st.session_state[_ADDED_KEY] = added + 1
        st.session_state[NOTICE_KEY] = ("success", f"Action added for {owner.strip()}.")
        st.rerun()


def meeting_actions_panel(
    actor: Actor, meeting: MeetingRow, *, on: date, item_id: int | None = None
) -> None:
    """The actions ``meeting`` set (only item ``item_id``'s, when given) to tick and edit, and,
    while the meeting is not signed off, a form to add one. Record decisions calls it with the
    item on screen; Meetings with none, for the meeting's own actions."""
    action_notice()
    rows = cached_query(
        meeting_actions, actor, meeting.id, item_id=item_id, scope=OfMeeting(meeting.id)
    )
    if rows:
        action_lines(actor, rows, on=on, key=f"actions-{meeting.id}-{item_id}")
    else:
        st.markdown("No actions yet.")
    if meeting.status == "closed" or not actor.may(Capability.EDIT_CASES):
        return
    if item_id is not None:
        add_action_form(actor, meeting, item_id, key=f"actions-{meeting.id}")
        return
    # The meeting's own actions (about no one pupil) are fewer: the form waits, folded, and is
    # built only once unfolded.
    folded = st.expander(
        "Add an action about no one agenda item", icon=":material/add_task:",
        key=f"actions-{meeting.id}-add-open", on_change="rerun",
    )  # fmt: skip
    if folded.open:
        with folded:
            add_action_form(actor, meeting, None, key=f"actions-{meeting.id}")
