"""Everyone: the partnership's meetings; co-ordinators tick attendance during the meeting.

The R13a warning stands above a coming meeting while there is still time to notify the school:
a Fair Access allocation at a meeting where a member school was not notified will not bind.
"""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.auth import current_actor
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.widgets import Figure, metric_row, show_table
from seips_core.db import get_engine
from seips_core.errors import SeipsError
from seips_core.queries.meetings import InvitationRow, MeetingRow, invitations, meetings_of
from seips_core.services.meetings import set_attendance

_NOTICE = "_meetings_notice"

filters = current_filters()
actor = current_actor()
st.title("Meetings")
st.caption(filters.scope)
if filters.partnership is None:
    st.info("Choose one partnership in the sidebar to see its meetings.")
    st.stop()

meetings = cached_query(meetings_of, actor, filters.partnership)
if not meetings:
    st.info("This partnership has no meetings recorded.")
    st.stop()


def _default(rows: tuple[MeetingRow, ...], on: date) -> int:
    """Today's meeting, else the next one, else the latest."""
    coming = [row for row in rows if row.meeting_date >= on]
    return rows.index(coming[-1]) if coming else 0


def _when(row: MeetingRow, on: date) -> str:
    if row.meeting_date == on:
        return "today"
    return "coming" if row.meeting_date > on else "held"


chosen: MeetingRow = st.selectbox(
    "Meeting",
    meetings,
    index=_default(meetings, filters.on),
    format_func=lambda row: f"{row.label} ({_when(row, filters.on)})",
    key="meeting",
)
metric_row(
    [
        Figure("Agenda items", chosen.items, "Items on this meeting's agenda."),
        Figure("Decided", chosen.decided, "Items with a decision recorded."),
        Figure("Schools not notified", len(chosen.unnotified), "R13a: member schools not told."),
    ]
)
if chosen.unnotified:
    schools = ", ".join(chosen.unnotified)
    if chosen.meeting_date >= filters.on:
        st.warning(
            f"R13a: {schools} not notified of this meeting. Notify every member school before "
            "it starts, or a Fair Access allocation made there will be unenforceable.",
            icon=":material/warning:",
        )
    else:
        st.error(
            f"R13a: {schools} not notified: Fair Access allocations at this meeting are "
            "unenforceable.",
            icon=":material/error:",
        )

st.header("Schools invited")
rows = cached_query(invitations, actor, filters.partnership, chosen.id)
may_tick = actor.may("edit_cases") and chosen.status != "closed"


def _tick(row: InvitationRow, key: str) -> None:
    """Save one attendance tick at once; a tick made stale by another screen is refused."""
    try:
        set_attendance(
            get_engine(), actor, chosen.id, row.school_id, bool(st.session_state[key]),
            expected_version=row.version,
        )  # fmt: skip
    except SeipsError as refused:
        st.session_state[_NOTICE] = str(refused)


if notice := st.session_state.pop(_NOTICE, None):
    st.error(notice)
if may_tick:
    st.caption("Tick each school as its representative arrives; each tick is saved at once.")
    for row in rows:
        if row.version is None:
            notified = "not invited: NOT notified"
        elif row.notified_date:
            notified = f"notified {row.notified_date:%d/%m/%Y}"
        else:
            notified = "NOT notified"
        key = f"attended-{chosen.id}-{row.school_id}"
        st.checkbox(
            f"{row.school} ({notified})",
            value=bool(row.attended),
            key=key,
            disabled=row.version is None,
            on_change=_tick,
            args=(row, key),
        )
else:
    show_table(
        pd.DataFrame(
            {
                "School": [row.school for row in rows],
                "Notified": [
                    f"{row.notified_date:%d/%m/%Y}" if row.notified_date else "Not notified (R13a)"
                    for row in rows
                ],
                "Attended": [
                    "—" if row.attended is None else ("Yes" if row.attended else "No")
                    for row in rows
                ],
            }
        )
    )

st.header("All meetings")
show_table(
    pd.DataFrame(
        {
            "Date": [f"{row.meeting_date:%d/%m/%Y}" for row in meetings],
            "Meeting": [row.label for row in meetings],
            "Status": [row.status for row in meetings],
            "Decided": [f"{row.decided} of {row.items}" for row in meetings],
            "R13a": [f"{len(row.unnotified)} not notified" if row.unnotified else "All notified"
                     for row in meetings],
        }
    )
)  # fmt: skip
