"""Co-ordinators: every flag to act on, filtered by rule and severity, downloadable as CSV."""

import streamlit as st

from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.tables import MAX_TABLE_ROWS, filter_flags, flags_csv, flags_frame
from dashboard.widgets import SEVERITY_LABELS, rule_label, severity_label
from seips_core.queries.flags import county_flags
from seips_core.queries.pupils import pupil_initials
from seips_core.rules.flag import rule_order

filters = current_filters()
st.title("Needs attention")
st.caption(filters.scope)

flags = cached_query(county_flags, filters.on, filters.partnership)
rules = sorted({flag.rule for flag in flags}, key=rule_order)
# The home page's links arrive with ?rule=R8: start filtered to that rule.
linked_rule = st.query_params.get("rule")

rule_column, severity_column = st.columns(2)
chosen_rules = rule_column.multiselect(
    "Rule",
    rules,
    default=[linked_rule] if linked_rule in rules else None,
    format_func=rule_label,
    placeholder="All rules",
)
chosen_severities = severity_column.multiselect(
    "Severity", list(SEVERITY_LABELS), format_func=severity_label, placeholder="All severities"
)

shown = filter_flags(flags, chosen_rules, chosen_severities)
initials = cached_query(pupil_initials, tuple(sorted({flag.subject for flag in shown})))
st.markdown(f"**{len(shown):,}** of {len(flags):,} flags shown, most severe first.")
if len(shown) > MAX_TABLE_ROWS:
    st.info(
        f"The table lists the first {MAX_TABLE_ROWS:,}: choose a rule or a severity to narrow it, "
        "or download them all."
    )
if shown:
    # A table, not a data grid: messages wrap in full and read well on a projector.
    st.table(
        flags_frame(shown[:MAX_TABLE_ROWS], initials, icons=True),
        hide_index=True,
        border="horizontal",
    )
    st.download_button(
        f"Download these {len(shown):,} flags (CSV)",
        flags_csv(shown, initials),
        file_name=f"seips-flags-{filters.partnership or 'county'}-{filters.on:%Y-%m-%d}.csv",
        mime="text/csv",
        icon=":material/download:",
    )
