"""Chairs: each school of the partnership, its roll and membership (R3), pupils at each tier
on the date (R6) and open referrals."""

import streamlit as st

from dashboard.charts import show_chart
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.text import md
from dashboard.views import schools_view

filters = current_filters()
st.title("Schools")
st.caption(md(filters.scope))

view = cached_query(schools_view, filters.on, filters.partnership, scope=filters.partnership)
if view.table.empty:
    st.info("No schools are recorded for this partnership yet.")
    st.stop()

show_chart(
    view.chart, view.table,
    alt="Bars of each school's pupils at Tiers 1 to 4, the most pupils first; the figures are "
    "in the table below.",
)  # fmt: skip
st.caption(
    "Tiers from each pupil's tier history on the date (R6), counted at the school "
    "responsible for them (R2). Non-members are served with full cost recovery (R3, R14)."
)
if view.chart is None:
    st.caption("Choose a partnership in the sidebar to see its schools' tiers as a chart.")
