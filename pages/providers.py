"""Everyone: the AP providers and the load on them (issue 6). Counts only: no pupil is named.

The register lists every provider with its safeguarding record (R10, R27), its LEBC check for
work experience (R12), and the number of pupils in substantial provision there across the whole
county, every partnership and school together, against the R8 line: the illegal-school risk no
single co-ordinator can see. A provider at or over the line, or one pupil away, comes first and
says so in words. Beside it, one part at a time (issue 15: a page of three screens at most), the
load: pupils per provider per weekday, pupils by days a week at AP, and pupils in AP week by
week (past weeks as they were then).
"""

from datetime import timedelta

import streamlit as st

from dashboard.auth import current_actor
from dashboard.charts import show_chart
from dashboard.parts import one_part
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.text import md
from dashboard.views import ProvidersPicture, providers_picture
from dashboard.widgets import Figure, metric_row, show_table

actor = current_actor()
filters = current_filters()
st.title("AP providers")
st.caption(md(filters.scope))
first, last = st.columns(2)
weeks_from = first.date_input(
    "Weeks from", value=filters.on - timedelta(weeks=12), format="DD/MM/YYYY"
)
weeks_to = last.date_input("Weeks to", value=filters.on, format="DD/MM/YYYY")
picture: ProvidersPicture = cached_query(
    providers_picture,
    actor,
    filters.partnership,
    scope=filters.partnership,
    on=filters.on,
    weeks_from=weeks_from,
    weeks_to=weeks_to,
)
rows = picture.rows
threshold = rows[0].threshold if rows else 0
metric_row(
    [
        Figure("Providers", len(rows), "Every AP and work-experience provider the county uses."),
        Figure(
            "At or over the line",
            picture.at_or_over,
            "R8: substantial provision to the threshold's number of pupils, or to one LAC or "
            "EHCP pupil: at risk of being an unregistered school.",
        ),
        Figure(
            "One pupil away",
            picture.one_away,
            "R8: one more pupil in substantial provision would reach the line.",
        ),
        Figure(
            "No safeguarding training",
            sum(row.staff_training_date is None for row in rows),
            "R10: no training record held.",
        ),
    ]
)


def register() -> None:
    """Every provider, county-wide, with its standing against R8's line."""
    if rows:
        st.caption(
            f"R8 line: {threshold} pupils ({md(rows[0].threshold_source)}), or 1 LAC/EHCP pupil."
        )
    show_table(picture.register)


def load() -> None:
    """Pupils per provider per weekday, and pupils by days a week at AP."""
    st.caption("The partnership chosen in the sidebar (or the county): pupils in AP on the day.")
    heat, days = st.columns([3, 2], gap="large")
    with heat:
        show_chart(
            picture.heat_map, picture.load,
            alt="Pupils at each provider on each weekday, the busiest first; the counts are in the "
            "table below.",
        )  # fmt: skip
    with days:
        show_chart(
            picture.histogram_chart, picture.histogram,
            alt="Pupils by days a week at AP; the counts are in the table below.",
        )  # fmt: skip


def week_by_week() -> None:
    """Pupils in AP week by week, past weeks as they were then."""
    show_chart(
        picture.weeks_chart, picture.weeks,
        alt="Pupils in AP and in substantial AP each week; the figures are in the table below.",
    )  # fmt: skip


one_part(
    {
        "Register (county-wide)": register,
        "Load on the providers": load,
        "Week by week": week_by_week,
    },
    key="providers_part",
)
