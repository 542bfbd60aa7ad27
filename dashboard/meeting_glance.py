"""Home for a chair or co-ordinator: the partnership's meeting today (else the next) at a
glance, with a link to it, and what changed since the last meeting (issue 12).

Every figure comes from ``seips_core.queries.meeting_glance`` in one cached read. A count
links to the page that lists what it counts, for those who may open it; others see the count.
Viewers and county admins (who look after the whole county, not one panel), and the whole
county (no one meeting), get none of this: Home shows them its headline figures as before.
"""

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
    glance = cached_query(
        meeting_glance, actor, filters.partnership, on=filters.on, scope=filters.partnership
    )
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
    """The counts in two rows of figures (cases, then provision), then links to the pages
    that list them."""
    st.subheader(f"Since the last meeting ({since.since:%d/%m/%Y})")
    after = f"after {since.since:%d/%m/%Y}, up to the date in the sidebar"
    metric_row(
        [
            Figure("New referrals", since.referrals, f"Referrals received {after}."),
            Figure("Fair Access referred", since.fair_access_referred,
                   f"Fair Access cases referred to the partnership {after} (R13)."),
            Figure("Fair Access allocated", since.fair_access_allocated,
                   f"Fair Access cases allocated a school {after} (R13)."),
            Figure("Suspensions and exclusions", since.exclusions,
                   f"Suspensions and permanent exclusions {after} (R25)."),
            Figure("Placements started", since.placements_started,
                   f"AP placements started {after}."),
            Figure("Placements ended", since.placements_ended, f"AP placements ended {after}."),
            Figure("Tier changes", since.tier_changes, f"Pupils moved to a new tier {after} (R6)."),
        ],
        per_row=4,
    )  # fmt: skip
    pages = [path for path in (FAIR_ACCESS, PLACEMENTS, TIERS) if may_open(actor, path)]
    for column, path in zip(st.columns(len(pages) or 1), pages, strict=False):
        column.page_link(page(path), label=f"Open {page(path).title}")
