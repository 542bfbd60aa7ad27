"""Home for a chair or co-ordinator: the partnership's meeting today (else the next) at a
glance, with a link to it, and what changed since the last meeting (issue 12).

Every figure comes from ``seips_core.queries.meeting_glance`` in one cached read. A count
links to the page that lists what it counts, for those who may open it; others see the count.
Viewers and county admins (who look after the whole county, not one panel), and the whole
county (no one meeting), get none of this: Home shows them its headline figures as before.
"""

from pathlib import Path

import streamlit as st

from dashboard.meeting_link import link_params
from dashboard.navigation import FAIR_ACCESS, MEETINGS, PLACEMENTS, TIERS, may_open, page
from dashboard.quorum import quorum_box
from dashboard.state import Filters
from dashboard.store import cached_query
from dashboard.text import md
from dashboard.widgets import Figure, metric_row
from seips_core.auth.roles import Actor, Role
from seips_core.queries.meeting_glance import SinceLast, meeting_glance


def meeting_at_a_glance(actor: Actor, filters: Filters) -> bool:
    """The glance, for those who run meetings and with one partnership chosen; says whether
    it drew one."""
    if actor.role not in (Role.COORDINATOR, Role.CHAIR):
        return False
    if filters.partnership is None:
        st.caption("Choose a partnership in the sidebar to see its meeting here.")
        return False
    glance = cached_query(meeting_glance, actor, filters.partnership, on=filters.on)
    meeting = glance.meeting
    if meeting is None:
        st.header("Meetings")
        st.info("No meeting of this partnership is in the diary.")
    else:
        st.header(f"{'Today' if glance.is_today else 'Next'}: {md(meeting.label)}")
        st.page_link(
            page(MEETINGS),
            label="Open the meeting",
            icon=":material/event:",
            query_params=link_params(meeting.id),
        )
        metric_row(
            [
                Figure("Agenda items", meeting.items, "Items on the meeting's agenda."),
                Figure("Decided", meeting.decided, "Items with a decision recorded."),
                Figure(
                    "Schools not notified",
                    len(meeting.unnotified),
                    "R13a: member schools not told of the meeting; a Fair Access allocation "
                    "there would not bind.",
                ),
                Figure(
                    "Actions overdue",
                    glance.overdue_actions,
                    "Actions of any of the partnership's meetings, not done and due before "
                    "today: listed on Meetings.",
                ),
            ]
        )
        quorum_box(glance.quorum)
    if glance.since_last is not None:
        _since_last(actor, glance.since_last)
    return True


def _since_last(actor: Actor, since: SinceLast) -> None:
    st.subheader(f"Since the last meeting ({since.since:%d/%m/%Y})")
    lines: list[tuple[str, int, Path | None]] = [
        ("New referrals", since.referrals, None),
        ("Fair Access cases referred", since.fair_access_referred, FAIR_ACCESS),
        ("Fair Access cases allocated a school", since.fair_access_allocated, FAIR_ACCESS),
        ("AP placements started", since.placements_started, PLACEMENTS),
        ("AP placements ended", since.placements_ended, PLACEMENTS),
        ("Tier changes", since.tier_changes, TIERS),
        ("Exclusions", since.exclusions, None),
    ]
    half = (len(lines) + 1) // 2
    for column, part in zip(st.columns(2), (lines[:half], lines[half:]), strict=True):
        for label, count, path in part:
            text = f"{label}: **{count:,}**"
            if path is not None and may_open(actor, path):
                column.page_link(page(path), label=text, help=f"Open {page(path).title}.")
            else:
                column.markdown(text)
