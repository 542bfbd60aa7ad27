"""Chairs: what each school pays for its Tier 4 and permanently excluded pupils in a financial
year (issue 7; R14, R15, R3, R4): Average Pupil Cost pro rata for the days in the programme, pupil
premium where it applies, full cost recovery for non-member schools, top-up that follows the
pupil, from the rates held as data; per school, or per pupil with the working shown (one at a
time, a page of rows at a time: issue 15).
"""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.auth import current_actor
from dashboard.parts import one_part, paged_table
from dashboard.read_log import logged_download, named_refs
from dashboard.state import current_filters
from dashboard.stats_views import ChargesPicture, charges_picture
from dashboard.store import cached_query
from dashboard.tables import csv_text
from dashboard.text import md
from dashboard.widgets import csv_download, show_table
from seips_core.school_days import financial_year_start

actor = current_actor()
filters = current_filters()
st.title("Charges")
st.caption(md(filters.scope))
this_year = financial_year_start(filters.on)
year = st.selectbox(
    "Financial year (April to March)",
    [this_year, this_year - 1, this_year - 2],
    format_func=lambda start: f"{start}/{str(start + 1)[-2:]}",
)
picture: ChargesPicture = cached_query(
    charges_picture, actor, filters.partnership, scope=filters.partnership,
    financial_year_start=year, full_names=filters.full_names,
)  # fmt: skip
view = picture.view
for missing in view.missing:
    st.warning(md(missing), icon=":material/warning:")
st.metric(
    md(f"Total for {view.label}" + (" so far" if view.counted_to < view.last else "")),
    f"£{view.total.total:,.2f}",
    help=md(f"{view.total.pupils} pupils, {view.total.days:,} days in the programme; {view.basis}"),
    border=True,
)


def per_school() -> None:
    """Each school's total, and each partnership's when there are several."""
    paged_table(picture.schools, "charges_schools", "schools", search_in=("School",))
    if len(view.partnerships) > 1:
        st.subheader("Per partnership")
        show_table(
            pd.DataFrame(
                {
                    "Partnership": [p.name for p in view.partnerships],
                    "Total": [f"£{p.totals.total:,.2f}" for p in view.partnerships],
                }
            )
        )


def per_pupil() -> None:
    """Each pupil's charge with the working, a page at a time; all of them in the download."""
    st.caption(md(view.basis))
    paged_table(
        picture.pupils, "charges_pupils", "pupils", search_in=("School", "Pupil"), names_in="Pupil"
    )
    csv_download(
        "Download the charges per pupil (CSV)",
        logged_download(
            lambda: csv_text(picture.pupils),
            lambda: named_refs(row for school in view.schools for row in school.rows),
        ),
        f"seips-charges-{filters.partnership or 'county'}-{year}-{date.today():%Y-%m-%d}.csv",
    )


one_part({"Per school": per_school, "Per pupil, with the working": per_pupil}, key="charges_part")
