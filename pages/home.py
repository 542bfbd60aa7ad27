"""Everyone, on arrival: the partnership's headline numbers and its flags by rule; a chair or
co-ordinator first sees their meeting of the day (else the next) and what changed since the
last one (``dashboard.meeting_glance``)."""

import streamlit as st

from dashboard.auth import current_actor
from dashboard.meeting_glance import meeting_at_a_glance
from dashboard.navigation import ATTENTION, may_open, page
from dashboard.state import current_filters
from dashboard.store import flag_list_for, home_figures_for
from dashboard.text import md
from dashboard.widgets import Figure, flag_badge, metric_row
from seips_core.rules.flag import RULE_TITLES

filters = current_filters()
st.title("SEIP panel dashboard")
st.caption(md(filters.scope))
if meeting_at_a_glance(current_actor(), filters):
    st.header("Headline figures")

figures = home_figures_for(filters.on, filters.partnership)
metric_row(
    [
        Figure("Open referrals", figures.open_referrals, "Received and not closed on the date."),
        Figure(
            "Pupils at Tier 4",
            figures.pupils_at_tier4,
            "Programme managed at Tier 4 on the date, from the tier history (R5, R6).",
        ),
        Figure(
            "Fair Access waiting",
            figures.fair_access_waiting,
            "Accepted under Fair Access, no school allocated yet (R21: 20 school days).",
        ),
        Figure(
            "Placements running",
            figures.placements_running,
            "AP and work-experience placements running on the date (R7–R12).",
        ),
    ]
)

st.header("Flags by rule")
# The same cached answer as Needs attention: the flags are worked out once for both pages.
counts = flag_list_for(filters.on, filters.partnership).by_rule
if not counts:
    st.success("No rule raises a flag for these schools on this date.")
# Two newspaper columns: down the first, then the second, in R-number order. Each rule links
# to its flags for those who may open Needs attention; others see the counts alone.
half = (len(counts) + 1) // 2
attention = page(ATTENTION) if may_open(current_actor(), ATTENTION) else None
for column, items in zip(st.columns(2), (counts[:half], counts[half:]), strict=True):
    for item in items:
        label = f"{flag_badge(item.rule, item.severity)} {RULE_TITLES[item.rule]}: "
        label += f"**{item.count:,}**"
        if attention is None:
            column.markdown(label)
        else:
            column.page_link(
                attention,
                label=label,
                query_params={"rule": item.rule},
                help=f"Open the {item.count:,} {item.rule} flag(s) in Needs attention.",
            )
