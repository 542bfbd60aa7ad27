"""Co-ordinators: every Fair Access case with its stage and its clocks (issue 5).

The clocks the protocol sets: school days from acceptance to allocation against the 20-day
limit (R21), calendar days from the decision to the child being on roll against a week (R13),
and the days out of education so far. A case near or past a limit stands out with a symbol and
a word (never colour alone) and its rule; a case not on roll a week after the decision says
"tell Admissions and follow up". R20's eligibility check is said for each case.
"""

import streamlit as st

from dashboard.auth import current_actor
from dashboard.read_log import logged_download, named_refs, names_shown
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.tables import csv_text, steps_table
from dashboard.text import md, md_join
from dashboard.views import FairAccessListing, fair_access_listing
from dashboard.widgets import (
    Figure,
    csv_download,
    metric_row,
    rule_label,
    show_table,
    year_group_filter,
)
from seips_core.auth.roles import Capability
from seips_core.queries.fair_access_cases import CaseRow

actor = current_actor()
filters = current_filters()
st.title("Fair Access cases")
st.caption(md(filters.scope))
year_box, closed_box = st.columns([1, 2], vertical_alignment="bottom")
year_group = year_group_filter(year_box)
show_closed = closed_box.toggle("Also show cases already on roll", value=False)
listing: FairAccessListing = cached_query(
    fair_access_listing,
    actor,
    filters.partnership,
    scope=filters.partnership,
    on=filters.on,
    full_names=filters.full_names,
    year_group=year_group,
)
rows = listing.rows
open_rows = listing.open_rows
shown = rows if show_closed else open_rows
metric_row(
    [
        Figure("Open cases", len(open_rows), "R13: referred and not yet on roll."),
        Figure(
            "Past a limit",
            listing.past,
            "R21: over 20 school days without a school, or R13: not on roll a week after the "
            "decision.",
        ),
        Figure(
            "Near the 20 days",
            listing.near,
            "R21: 15 or more school days since acceptance, no school yet.",
        ),
        Figure(
            "Not eligible",
            listing.ineligible,
            "R20: not unplaced, or no Fair Access category recorded.",
        ),
    ]
)
if not shown:
    st.info("No open Fair Access case for these filters.")
    st.stop()


table = listing.all_table if show_closed else listing.open_table
st.header(f"{len(shown)} case(s), most urgent first")
show_table(table)
names_shown(shown)  # the table, and the case chooser below: the same cases
if actor.may(Capability.EXPORT):
    csv_download(
        f"Download these {len(shown):,} cases (CSV)",
        logged_download(lambda: csv_text(table), lambda: named_refs(shown)),
        f"seips-fair-access-{filters.partnership or 'county'}-{filters.on:%Y-%m-%d}.csv",
    )

st.header("One case")
# The labels come made with the list: a national list offers thousands of cases.
labels = listing.all_labels if show_closed else listing.open_labels
chosen: CaseRow = shown[st.selectbox("Case", range(len(shown)), format_func=labels.__getitem__)]
steps, about = st.columns(2, gap="large")
with steps:
    st.subheader("Steps", help=rule_label("R13"))
    show_table(steps_table(chosen.stage))
    if chosen.stage.skipped:
        st.warning(
            "Reached without a date recorded: " + md_join(chosen.stage.skipped) + ".",
            icon=":material/warning:",
        )
with about:
    st.subheader("Eligibility", help=rule_label("R20"))
    st.markdown(md(chosen.eligibility.reason))
    st.markdown("\n".join(f"- {md(category)}" for category in chosen.categories) or "No category.")
    for clock in (chosen.allocation_clock, chosen.on_roll_clock):
        if clock is not None and clock.status != "ok":
            st.warning(md(clock.summary), icon=":material/timer:")
        elif clock is not None:
            st.info(md(clock.summary), icon=":material/timer:")
    if chosen.refusals or chosen.delays:
        st.markdown(
            f"R22: {chosen.refusals} refusal(s) and {chosen.delays} delay(s) logged against the "
            "allocated school."
        )
    st.subheader("Flags")
    st.markdown(
        "\n".join(f"- **{flag.rule}**: {md(flag.message)}" for flag in chosen.flags)
        or "No rule raises a flag on this case."
    )
