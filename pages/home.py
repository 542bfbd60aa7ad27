"""Everyone, on arrival: the partnership's headline numbers and its flags by rule."""

import streamlit as st

from dashboard.navigation import ATTENTION
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.tables import rule_counts
from dashboard.widgets import Figure, flag_badge, metric_row
from seips_core.queries.flags import county_flags
from seips_core.queries.home import home_figures
from seips_core.rules.flag import RULE_TITLES

LINKS_PER_ROW = 2

filters = current_filters()
st.title("SEIP panel dashboard")
st.caption(filters.scope)

figures = cached_query(home_figures, filters.on, filters.partnership)
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
counts = rule_counts(cached_query(county_flags, filters.on, filters.partnership))
if not counts:
    st.success("No rule raises a flag for these schools on this date.")
for start in range(0, len(counts), LINKS_PER_ROW):
    row = counts[start : start + LINKS_PER_ROW]
    for column, item in zip(st.columns(LINKS_PER_ROW), row, strict=False):
        column.page_link(
            ATTENTION,
            label=f"{flag_badge(item.rule, item.severity)} {RULE_TITLES[item.rule]}: "
            f"**{item.count:,}**",
            query_params={"rule": item.rule},
            help=f"Open the {item.count:,} {item.rule} flag(s) in Needs attention.",
        )
