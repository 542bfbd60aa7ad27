"""Everyone: "is it fair?" (issue 5). For a partnership, a period and a year group, each member
school's Fair Access allocations against its fair share in proportion to its roll (R13b, R23),
the refusals and delays logged against it (R22), and who has gone longest without one; for
chairs, the annual report to the Schools Adjudicator (R24) as Excel and CSV.

No pupil is named here: these are counts per school.
"""

from datetime import date
from functools import partial

import streamlit as st

from dashboard.auth import current_actor
from dashboard.charts import show_chart
from dashboard.state import choose_partnership, current_filters
from dashboard.store import cached_query
from dashboard.text import md, md_join
from dashboard.views import FairnessPicture, fairness_picture
from dashboard.widgets import (
    XLSX,
    Download,
    Figure,
    download_row,
    metric_row,
    rule_label,
    year_group_filter,
)
from seips_core.auth.roles import Capability
from seips_core.errors import SeipsError
from seips_core.reports.fair_access_annual import (
    annual_csv,
    annual_workbook,
    fair_access_annual,
)
from seips_core.school_days import academic_year_label, academic_year_start

actor = current_actor()
filters = current_filters()
st.title("Fairness between schools")
st.caption(md(filters.scope))
this_year = academic_year_start(filters.on)


def annual_report() -> None:
    """R24: admissions under Fair Access per school, for the Adjudicator: the whole county for
    a county admin with no partnership chosen (the LA's return), else the chosen partnership's
    part of it."""
    st.header("Annual report to the Schools Adjudicator", help=rule_label("R24"))
    years = list(range(this_year, this_year - 4, -1))
    start_year = st.selectbox(
        "Academic year",
        years,
        index=1 if filters.on.month < 11 else 0,  # before November: last year's is due
        format_func=academic_year_label,
    )
    covers = (
        "every partnership of the county" if filters.partnership is None else "this partnership"
    )
    st.caption(
        f"Due by 31 October {start_year + 1}: the number of children each school admitted under "
        f"Fair Access in the year, for {covers}."
    )
    report = cached_query(
        fair_access_annual,
        actor,
        start_year,
        partnership=filters.partnership,
        scope=filters.partnership,
    )
    name = f"fair-access-admissions-{academic_year_label(start_year).replace('/', '-')}"
    download_row(
        [
            Download("Download the report (Excel)", partial(annual_workbook, report),
                     f"{name}.xlsx", XLSX),
            Download("Download the report (CSV)", partial(annual_csv, report), f"{name}.csv",
                     "text/csv"),
        ]
    )  # fmt: skip


if filters.partnership is None:
    choose_partnership(actor, "Fair shares are shared within one partnership (R1).")
    if actor.may(Capability.EXPORT):
        annual_report()
    st.stop()

first, last, year_box = st.columns(3, vertical_alignment="bottom")
start = first.date_input("From", value=date(this_year, 9, 1), format="DD/MM/YYYY")
end = last.date_input("To", value=filters.on, format="DD/MM/YYYY")
year_group = year_group_filter(year_box)
try:
    picture: FairnessPicture = cached_query(
        fairness_picture,
        actor,
        filters.partnership,
        scope=filters.partnership,
        start=start,
        end=end,
        year_group=year_group,
    )
except SeipsError as refused:
    st.error(md(refused))
    st.stop()
view, totals = picture.view, picture.view.totals
metric_row(
    [
        Figure("Allocations", totals.allocations, "Fair Access decisions in the period (R13)."),
        Figure(
            "Schools over their share",
            sum(row.standing == "over" for row in view.schools),
            "R13b: a whole allocation or more above the share its roll gives it.",
        ),
        Figure(
            "Schools under their share",
            sum(row.standing == "under" for row in view.schools),
            "R13b: a whole allocation or more below the share its roll gives it.",
        ),
        Figure("Refusals and delays", totals.refusals + totals.delays, "R22: logged, not hidden."),
    ]
)
whose = "Year " + str(year_group) if year_group else "all year groups"
if totals.allocations == 0:
    st.info(f"No Fair Access allocation was decided in this period for {whose}.")
if view.longest_without:
    st.markdown(
        f"**Longest without an allocation:** {md_join(view.longest_without)} (whose turn it "
        "is, R23)."
    )
show_chart(
    picture.chart if totals.allocations else None, picture.table,
    alt=f"Each school's Fair Access allocations minus its fair share, {whose}, the most over "
    "its share first; the figures are in the table below.",
)  # fmt: skip
st.caption(
    "Fair share: the period's allocations shared in proportion to each member school's number "
    "on roll (R13b). An allocation counts on the day the panel decided it."
)
if actor.may(Capability.EXPORT):
    annual_report()
