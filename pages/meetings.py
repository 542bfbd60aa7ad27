"""Everyone: the partnership's meetings (past, today, next), each with its schools'
notification and attendance, its agenda and decisions, and its minutes; co-ordinators tick
attendance during the meeting and open the agenda builder or the recording screen; a chair
signs the minutes off, which locks the decisions (issue 4).

The R13a warning stands above a coming meeting while there is still time to notify the school:
a Fair Access allocation at a meeting where a member school was not notified will not bind.
"""

from functools import partial

import streamlit as st

from dashboard.auth import current_actor, current_session
from dashboard.meeting_link import (
    choose_meeting,
    link_params,
    notification_warning,
    partnership_meetings,
)
from dashboard.navigation import AGENDA, PROJECTOR, RECORD, may_open, page
from dashboard.state import current_filters
from dashboard.store import cached_query
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
from seips_core.db import get_engine, read_session
from seips_core.errors import SeipsError
from seips_core.minutes import minutes_docx, minutes_html
from seips_core.queries.meetings import InvitationRow
from seips_core.services.meetings import set_attendance, sign_off_minutes

_NOTICE = "_meetings_notice"
_NOTICE_DONE = "_meetings_done"

filters = current_filters()
actor = current_actor()
meetings = partnership_meetings("Meetings", actor, filters)
chosen = choose_meeting(meetings, filters.on)
metric_row(
    [
        Figure("Agenda items", chosen.items, "Items on this meeting's agenda."),
        Figure("Decided", chosen.decided, "Items with a decision recorded."),
        Figure("Schools not notified", len(chosen.unnotified), "R13a: member schools not told."),
    ]
)
notification_warning(chosen, filters.on)
links = [(PROJECTOR, "Open the projector view"), (RECORD, "Record decisions")]
if chosen.status != "closed":
    links.append((AGENDA, "Build the agenda"))
for column, (path, label) in zip(st.columns(3), [ln for ln in links if may_open(actor, ln[0])],
                                 strict=False):  # fmt: skip
    column.page_link(page(path), label=label, query_params=link_params(chosen.id))
wall_links_section(actor, chosen)

st.header("Schools invited")
tables: MeetingTables = cached_query(
    meeting_tables, actor, filters.partnership, chosen.id, full_names=filters.full_names
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
        set_attendance(
            get_engine(), signed_in.actor, chosen.id, row.school_id, bool(st.session_state[key]),
            expected_version=row.version,
        )  # fmt: skip
    except SeipsError as refused:
        st.session_state[_NOTICE] = str(refused)


if notice := st.session_state.pop(_NOTICE, None):
    st.error(md(notice))
if done := st.session_state.pop(_NOTICE_DONE, None):
    st.success(md(done), icon=":material/check_circle:")
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
else:
    st.info("Nothing on this meeting's agenda.")

st.header("Minutes")


def _minutes(render) -> bytes | str:
    """The minutes as ``render`` writes them, with names only as the sidebar allows."""
    with read_session(get_engine()) as session:
        return render(session, actor, chosen.id, full_names=filters.full_names)


# The co-ordinator writes up and sends the minutes (and the chair signs them off); viewers,
# the schools' representatives, read the decisions above and get the minutes from them.
if actor.may(Capability.EDIT_CASES):
    signed = (
        "signed off: decisions locked" if chosen.status == "closed" else "draft until signed off"
    )
    st.caption(
        f"Attendance, each item's decision and rationale, and the actions, {signed}. "
        + ("Pupils by case reference and initials." if not filters.full_names else "Pupils named.")
    )
    name = f"minutes-{chosen.label.replace(' ', '-')}"
    download_row(
        [
            Download("Download the minutes (Word)", partial(_minutes, minutes_docx),
                     f"{name}.docx", DOCX, ":material/description:"),
            Download("Download the minutes (printable page, print to PDF)",
                     partial(_minutes, minutes_html), f"{name}.html", "text/html",
                     ":material/print:"),
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
            sign_off_minutes(get_engine(), actor, chosen.id)
        except SeipsError as refused:
            st.error(f"Not signed off. {md(refused)}")
        else:
            st.session_state[_NOTICE_DONE] = "Minutes signed off: the decisions are locked."
            st.rerun()

st.header("All meetings")
show_table(tables.meetings)
