"""Which meeting and which agenda item a meeting page shows.

The address says it (``?meeting=ID&item=N``), so the room's PC opens the projector view
straight from a link, and a co-ordinator's "Record decisions" tab can be bookmarked for the
day. A choice made on the page is written back to the address, so the link stays true.
"""

from collections.abc import Sequence
from datetime import date

import streamlit as st

from dashboard.state import Filters, choose_partnership
from dashboard.store import cached_query
from dashboard.text import md, md_join
from seips_core.auth.roles import Actor
from seips_core.queries.meetings import MeetingRow, meetings_of

MEETING_PARAM, ITEM_PARAM = "meeting", "item"
MEETING_KEY = "meeting"


def partnership_meetings(title: str, actor: Actor, filters: Filters) -> tuple[MeetingRow, ...]:
    """A meeting page's heading and the chosen partnership's meetings, newest first; with no
    partnership chosen (a county admin's whole county, R1) the page asks for one; it stops
    with the reason when the partnership has no meeting."""
    st.title(title)
    st.caption(md(filters.scope))
    if filters.partnership is None:
        choose_partnership(actor, "Each partnership runs its own meetings.")
        st.stop()
    meetings = cached_query(meetings_of, actor, filters.partnership, scope=filters.partnership)
    if not meetings:
        st.info("This partnership has no meetings recorded.")
        st.stop()
    return meetings


def _param(name: str) -> int | None:
    raw = st.query_params.get(name)
    return int(raw) if raw is not None and raw.isdigit() else None


def wanted_meeting() -> int | None:
    """The meeting id the address names, if it names one."""
    return _param(MEETING_PARAM)


def default_meeting(rows: Sequence[MeetingRow], on: date) -> MeetingRow:
    """Today's meeting, else the next one to come, else the latest held (``rows`` newest
    first, as ``meetings_of`` gives them)."""
    coming = [row for row in rows if row.meeting_date >= on]
    return coming[-1] if coming else rows[0]


def when(row: MeetingRow, on: date) -> str:
    """ "today", "coming" or "held", said beside the meeting's name."""
    if row.meeting_date == on:
        return "today"
    return "coming" if row.meeting_date > on else "held"


def choose_meeting(rows: Sequence[MeetingRow], on: date) -> MeetingRow:
    """The meeting box: the address's meeting if it is one of ``rows``, else the default.

    The choice goes back into the address; choosing another meeting starts at its first item.
    """
    by_id = {row.id: row for row in rows}
    start = by_id.get(wanted_meeting()) or default_meeting(rows, on)
    # The box holds ids, not rows: a row's counts change as decisions are saved, an id not.
    chosen = st.selectbox(
        "Meeting",
        list(by_id),
        index=list(by_id).index(start.id),
        format_func=lambda meeting_id: f"{by_id[meeting_id].label} ({when(by_id[meeting_id], on)})",
        key=MEETING_KEY,
    )
    if wanted_meeting() != chosen:
        st.query_params[MEETING_PARAM] = str(chosen)
        st.query_params.pop(ITEM_PARAM, None)
    return by_id[chosen]


def item_position(count: int) -> int:
    """The agenda position (1-based) the address names, kept within 1..``count``."""
    return min(max(_param(ITEM_PARAM) or 1, 1), max(count, 1))


def go_to_item(position: int) -> None:
    """Show item ``position`` (1-based) from now on: written to the address."""
    st.query_params[ITEM_PARAM] = str(position)


def link_params(meeting_id: int, position: int | None = None) -> dict[str, str]:
    """The address of a meeting (and an item) for ``st.page_link``."""
    params = {MEETING_PARAM: str(meeting_id)}
    if position is not None:
        params[ITEM_PARAM] = str(position)
    return params


def notification_warning(row: MeetingRow, on: date) -> None:
    """R13a, said while there is still time to act: a member school not notified of a coming
    meeting makes its Fair Access allocations unenforceable; after it, they are."""
    if not row.unnotified:
        return
    schools = md_join(row.unnotified)
    if row.meeting_date >= on:
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
