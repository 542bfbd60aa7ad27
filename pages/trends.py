"""Everyone: how the partnership is changing (issue 7). Tier counts on the first day of each term
over three years (R6), moves between tiers in a period as a flow, how long pupils stay at
Tier 4, and suspensions and permanent exclusions per school and term with the pupils near the
45-day limit (R25; by case reference and initials, for co-ordinators and up only), one part at
a time (issue 15: a page of three screens at most). Chairs download the termly partnership
report (Excel with charts, or a printable page).
"""

from collections.abc import Callable
from datetime import date
from functools import partial

import streamlit as st

from dashboard.auth import current_actor
from dashboard.charts import show_chart
from dashboard.parts import one_part, paged_table
from dashboard.state import current_filters
from dashboard.stats_views import TrendsPicture, trends_picture
from dashboard.store import cached_query, fresh
from dashboard.text import md
from dashboard.widgets import XLSX, Download, download_row, rule_label, school_filter, show_table
from seips_core.auth.roles import Capability
from seips_core.queries.trends import Term
from seips_core.reports.termly import TermlyReport, termly_report, termly_workbook
from seips_core.reports.termly_page import termly_html
from seips_core.school_days import academic_year_label, academic_year_start

actor = current_actor()
filters = current_filters()
st.title("Trends")
st.caption(md(filters.scope))
this_year = academic_year_start(filters.on)
school_box, first, last = st.columns([2, 1, 1], vertical_alignment="bottom")
school_id = school_filter(school_box, actor, filters.partnership)
start = first.date_input("Period from", value=date(this_year, 9, 1), format="DD/MM/YYYY")
end = last.date_input("to", value=filters.on, format="DD/MM/YYYY")
picture: TrendsPicture = cached_query(
    trends_picture, actor, filters.partnership, scope=filters.partnership, start=start, end=end,
    academic_year=this_year, school_id=school_id,
)  # fmt: skip


def tiers_by_term() -> None:
    """Pupils at each tier on the first day of each term (R6)."""
    show_chart(
        picture.trend_chart, picture.trend_table, beside=True,
        alt="Pupils at each tier on the first day of each term: Tiers 1 to 3 on the upper panel, "
        "Tier 4 on the lower panel on a scale of its own; the figures are in the table beside.",
    )  # fmt: skip


def moves() -> None:
    """Moves from tier to tier in the period, as a flow."""
    if picture.flow is not None:
        show_chart(
            picture.flow, picture.moves_table, beside=True,
            alt="Moves from tier to tier in the period, Tier 1 at the top; the figures are in the "
            "table beside.",
        )  # fmt: skip
    else:
        st.info("No pupil moved between tiers in the period.")


def time_at_tier4() -> None:
    """How long pupils stay at Tier 4, in school days."""
    tier4 = picture.tier4
    median = tier4.median_all
    st.markdown(
        f"Median **{median:.0f} school days** at Tier 4 (stays ended in the period and stays "
        "still running)."
        if median is not None
        else "No Tier 4 stay in the period."
    )
    show_chart(
        picture.tier4_chart, picture.tier4_table, beside=True,
        alt="Tier 4 stays by school days spent; the figures are in the table beside.",
    )  # fmt: skip


def exclusions() -> None:
    """Suspensions and permanent exclusions per school and term, and the pupils near R25's
    45 days (co-ordinators and up only)."""
    st.caption(f"Academic year {academic_year_label(this_year)} (R25).")
    paged_table(picture.exclusions_table, "exclusions", "schools", search_in=("School",))
    if actor.may(Capability.EDIT_CASES):
        st.subheader("Pupils near the 45 suspension days", help=rule_label("R25"))
        if len(picture.near_limit):
            show_table(picture.near_limit)
        else:
            st.markdown("None.")


one_part(
    {
        "Tiers, term by term": tiers_by_term,
        "Moves between tiers in the period": moves,
        "Time at Tier 4": time_at_tier4,
        "Suspensions and exclusions": exclusions,
    },
    key="trends_part",
)


def _report(term: Term, render: Callable[[TermlyReport], bytes | str]) -> bytes | str:
    """The termly report as ``render`` writes it: counts only, no pupil named."""
    return render(fresh(termly_report, actor, filters.partnership, term_start=term.first_day,
                        today=filters.on))  # fmt: skip


if actor.may(Capability.EXPORT) and filters.partnership is not None and picture.trend.terms:
    st.header("Termly partnership report")
    terms = list(reversed(picture.trend.terms))
    term = st.selectbox(
        "Term", terms, format_func=lambda t: f"{t.season} {academic_year_label(t.academic_year)}"
    )
    st.caption(
        "Tier counts, trends, Fair Access, AP and charges for the term, with the charts: for the "
        "chair and the governance board. Counts per school only."
    )
    name = f"termly-report-{filters.partnership}-{term.season}-{term.first_day:%Y}".lower()
    download_row(
        [
            Download("Download the report (Excel)", partial(_report, term, termly_workbook),
                     f"{name}.xlsx", XLSX),
            Download("Download the report (printable page, print to PDF)",
                     partial(_report, term, termly_html), f"{name}.html", "text/html"),
        ]
    )  # fmt: skip
