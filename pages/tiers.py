"""Everyone: pupils at each tier in each school on a day (issue 7, R5, R6).

From the tier history as it stood on the sidebar's "as on" day (a change counts on its own
day), as a stacked bar chart and a table; per 1,000 on roll as an option, so small and large
schools compare fairly. City-address pupils show the City's PSP label beside the tier (R5).
Counts only: no pupil is named.
"""

import streamlit as st

from dashboard.auth import current_actor
from dashboard.charts import show_chart
from dashboard.state import current_filters
from dashboard.stats_views import TierPicture, tier_picture
from dashboard.store import cached_query
from dashboard.text import md
from dashboard.widgets import Figure, metric_row, school_filter

actor = current_actor()
filters = current_filters()
st.title("Tier counts")
st.caption(md(filters.scope))
school_box, scale_box = st.columns([2, 1], vertical_alignment="bottom")
school_id = school_filter(school_box, actor, filters.partnership)
per_thousand = scale_box.toggle("Per 1,000 pupils on roll", value=False)
picture: TierPicture = cached_query(
    tier_picture, actor, filters.partnership, scope=filters.partnership, on=filters.on,
    school_id=school_id, per_thousand=per_thousand,
)  # fmt: skip
totals = picture.view.totals
metric_row(
    [
        Figure(f"Tier {tier}", totals.pupils_by_tier[tier - 1],
               f"Pupils at Tier {tier} on the day, from the tier history (R6).")
        for tier in (1, 2, 3, 4)
    ]
)  # fmt: skip
show_chart(
    picture.chart, picture.table,
    alt="Pupils at each tier in each school, stacked from Tier 4 at the axis, the most pupils "
    "first; the figures are in the table below.",
)  # fmt: skip
st.caption(
    "R5: beside a tier, the City's label counts the city-address pupils among them (PSP1 = "
    "Tier 2, PSP2a = Tier 3, PSP3 = Tier 4). Per 1,000 uses today's number on roll; a school "
    "with none shows —."
)
