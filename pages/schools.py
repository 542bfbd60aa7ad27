"""Chairs: each school of the partnership, its roll and membership (R3), pupils at each tier
on the date (R6) and open referrals."""

import streamlit as st

from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.tables import TIER_COLUMNS, schools_frame
from dashboard.widgets import show_chart, show_table, stacked_bars
from seips_core.queries.schools import school_figures

filters = current_filters()
st.title("Schools")
st.caption(filters.scope)

rows = cached_query(school_figures, filters.on, filters.partnership)
if not rows:
    st.info("No schools are recorded for this partnership yet.")
    st.stop()

county_wide = filters.partnership is None
frame = schools_frame(rows, with_partnership=county_wide)
show_table(frame)
st.caption(
    "Tiers from each pupil's tier history on the date (R6), counted at the school "
    "responsible for them (R2). Non-members are served with full cost recovery (R3, R14)."
)
if county_wide:
    st.caption("Choose a partnership in the sidebar to see its schools' tiers as a chart.")
else:
    show_chart(stacked_bars(frame, "School", TIER_COLUMNS, "Pupils at each tier"))
