"""Everyone: the partnership's meetings (past, today, next), each with its schools'
notification and attendance, its quorum, its agenda and decisions, its actions and its minutes;
co-ordinators tick attendance during the meeting, tick actions done and edit them, and open the
agenda builder or the recording screen; a chair signs the minutes off, which locks the
decisions (issue 4), and sets the partnership's quorum (issue 12).

The R13a warning stands above a coming meeting while there is still time to notify the school:
a Fair Access allocation at a meeting where a member school was not notified will not bind.
The quorum line stands apart from it: expected from the schools told before the meeting, from
the attendance ticks once they start. The partnership's overdue actions, of any meeting, are
listed under the meeting's own.
"""

from collections.abc import Iterator
from functools import partial

import streamlit as st

from dashboard.actions import action_lines, meeting_actions_panel
from dashboard.auth import current_actor, current_session
from dashboard.meeting_link import (
    choose_meeting,
    link_params,
    notification_warning,
    partnership_meetings,
)
from dashboard.navigation import AGENDA, PROJECTOR, RECORD, may_open, page
from dashboard.parts import one_part
from dashboard.presenting import present_from_agenda
from dashboard.quorum import quorum_box, quorum_form
from dashboard.read_log import labelled_refs, labels_shown, logged_download
from dashboard.state import current_filters
from dashboard.store import OfMeeting, cached_query, call, fresh
from dashboard.tables import notified_text
from dashboard.text import md
from dashboard.views import MeetingTables, meeting_tables
from dashboard.wall_link import wall_links_section
from dashboard.widgets import (
    DOCX,
    Download,
    Figure,
    download_row,
    metric_row,
    show_table,
)
from seips_core.auth.roles import Capability, Role
from seips_core.errors import SeipsError
from seips_core.minutes import minutes_docx, minutes_html
from seips_core.queries.actions import overdue_actions
from seips_core.queries.meetings import InvitationRow, meeting_quorum
from seips_core.services.meetings import set_attendance, sign_off_minutes

_NOTICE = "_meetings_notice"
_NOTICE_DONE = "_meetings_done"

filters = current_filters()
actor = current_actor()
meetings = partnership_meetings("Meetings", actor, filters)
chosen = choose_meeting(meetings, filters.on)
overdue = cached_query(
    overdue_actions, actor, filters.partnership, on=filters.on, scope=filters.partnership
)
metric_row(
    [
        Figure("Agenda items", chosen.items, "Items on this meeting's agenda."),
        Figure("Decided", chosen.decided, "Items with a decision recorded."),
        Figure("Schools not notified", len(chosen.unnotified), "R13a: member schools not told."),
        Figure(
            "Actions overdue",
            len(overdue),
            "Actions of any of the partnership's meetings, not done and due before today: "
            "listed under Actions.",
        ),
    ]
)
notification_warning(chosen, filters.on)
quorum_box(cached_query(meeting_quorum, actor, chosen.id, scope=OfMeeting(chosen.id)))
quorum_form(actor, filters.partnership)
links = [(PROJECTOR, "Open the projector view"), (RECORD, "Record decisions")]
if chosen.status != "closed":
    links.append((AGENDA, "Build the agenda"))
for column, (path, label) in zip(st.columns(3), [ln for ln in links if may_open(actor, ln[0])],
                                 strict=False):  # fmt: skip
    column.page_link(page(path), label=label, query_params=link_params(chosen.id))
wall_links_section(actor, chosen)
tables: MeetingTables = cached_query(
    meeting_tables,
    actor,
    filters.partnership,
    chosen.id,
    full_names=filters.full_names,
    scope=filters.partnership,
)
rows = tables.invitations
may_tick = actor.may("edit_cases") and chosen.status != "closed"


def _tick(row: InvitationRow, key: str) -> None:
    """Save one attendance tick at once; a tick made stale by another screen is refused.

    A callback runs before the run's sign-in gate, so it asks the gate itself: a removed
    account saves nothing and is signed out.
    """
    signed_in = current_session()
    if signed_in is None:
        return
    try:
        call(
            set_attendance, signed_in.actor, chosen.id, row.school_id, bool(st.session_state[key]),
            expected_version=row.version,
        )  # fmt: skip
    except SeipsError as refused:
        st.session_state[_NOTICE] = str(refused)


if notice := st.session_state.pop(_NOTICE, None):
    st.error(md(notice))
if done := st.session_state.pop(_NOTICE_DONE, None):
    st.success(md(done), icon=":material/check_circle:")


def attendance_and_agenda() -> None:
    """Who came (ticked as they arrive, by co-ordinators) and what the meeting decides."""
    st.header("Schools invited")
    if may_tick:
        st.caption("Tick each school as its representative arrives; each tick is saved at once.")
        for row in rows:
            key = f"attended-{chosen.id}-{row.school_id}"
            st.checkbox(
                f"{md(row.school)} ({notified_text(row)})",
                value=bool(row.attended),
                key=key,
                disabled=row.version is None,
                on_change=_tick,
                args=(row, key),
            )
    else:
        show_table(tables.attendance)
    st.header("Agenda and decisions")
    if len(tables.agenda):
        show_table(tables.agenda)
        labels_shown(tables.agenda["Pupil"].to_pylist())
        present_from_agenda(actor, chosen.id)
    else:
        st.info("Nothing on this meeting's agenda.")


def actions() -> None:
    """The actions set at this meeting, and the partnership's overdue ones."""
    st.subheader("Set at this meeting")
    meeting_actions_panel(actor, chosen, on=filters.on)
    st.subheader(f"Overdue, from every meeting of {md(filters.partnership)}")
    if overdue:
        action_lines(actor, overdue, on=filters.on, key="overdue", show_meeting=True)
    else:
        st.markdown("None: every action due before today is done.")


def _minutes(render) -> bytes | str:
    """The minutes as ``render`` writes them, with names only as the sidebar allows."""
    return fresh(render, actor, chosen.id, full_names=filters.full_names)


def _agenda_named() -> Iterator[str]:
    """The pupils the minutes name: the agenda's, as the agenda table names them."""
    return labelled_refs(tables.agenda["Pupil"].to_pylist())


def minutes() -> None:
    """The minutes to download, and the chair's sign-off, which locks the decisions."""
    # The co-ordinator writes up and sends the minutes (and the chair signs them off); viewers,
    # the schools' representatives, read the decisions on the agenda and get the minutes from them.
    if actor.may(Capability.EDIT_CASES):
        signed = (
            "signed off: decisions locked"
            if chosen.status == "closed"
            else "draft until signed off"
        )
        st.caption(
            f"Attendance and the quorum, each item's decision and rationale, the actions set and "
            f"those carried forward, {signed}. "
            + (
                "Pupils by case reference and initials."
                if not filters.full_names
                else "Pupils named."
            )
        )
        name = f"minutes-{chosen.label.replace(' ', '-')}"
        download_row(
            [
                Download("Download the minutes (Word)",
                         logged_download(partial(_minutes, minutes_docx), _agenda_named),
                         f"{name}.docx", DOCX, ":material/description:"),
                Download("Download the minutes (printable page, print to PDF)",
                         logged_download(partial(_minutes, minutes_html), _agenda_named),
                         f"{name}.html", "text/html", ":material/print:"),
            ]
        )  # fmt: skip
    else:
        st.caption("The co-ordinator circulates the minutes once the chair has signed them off.")
    if chosen.status != "closed" and actor.role in (Role.CHAIR, Role.COUNTY_ADMIN):
        st.subheader("Sign the minutes off")
        sure = st.checkbox(
            "I have read the minutes: sign them off and lock this meeting's decisions "
            "(a later change becomes an audited amendment).",
            key=f"sign_off_{chosen.id}",
        )
        if st.button("Sign off the minutes", type="primary", disabled=not sure,
                     icon=":material/verified:"):  # fmt: skip
            try:
                call(sign_off_minutes, actor, chosen.id)
            except SeipsError as refused:
                st.error(f"Not signed off. {md(refused)}")
            else:
                st.session_state[_NOTICE_DONE] = "Minutes signed off: the decisions are locked."
                st.rerun()


one_part(
    {
        "Attendance and agenda": attendance_and_agenda,
        "Actions": actions,
        "Minutes": minutes,
        "All meetings": lambda: show_table(tables.meetings),
    },
    key="meetings_part",
)
