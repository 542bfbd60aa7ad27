"""Co-ordinators: every flag to act on, filtered by rule and severity, downloadable as CSV.

Pupils are named by case reference and initials in projection mode, by name otherwise.
"""

import streamlit as st

from dashboard.auth import current_actor
from dashboard.parts import paged_table
from dashboard.read_log import logged_download
from dashboard.state import current_filters
from dashboard.store import flag_list_for
from dashboard.tables import filter_flags, flags_csv, flags_frame
from dashboard.text import md
from dashboard.widgets import (
    MAX_TABLE_ROWS,
    SEVERITY_LABELS,
    csv_download,
    rule_label,
    severity_label,
)
from seips_core.rules.flag import rule_order

filters = current_filters()
st.title("Needs attention")
st.caption(md(filters.scope))

listed = flag_list_for(filters.on, filters.partnership, full_names=filters.full_names)
flags, pupils = listed.flags, listed.pupils
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
may_export = current_actor().may("export")  # exports are a chair's right (issue 3)
st.markdown(f"**{len(shown):,}** of {len(flags):,} flags shown, most severe first.")
if len(shown) > MAX_TABLE_ROWS:
    st.info(
        f"The table lists the first {MAX_TABLE_ROWS:,}: choose a rule or a severity to narrow it"
        + (", or download them all." if may_export else ".")
    )
if shown:
    # Capped so that it stays a plain table: messages wrap in full, readable on a projector;
    # a page of them at a time keeps the page within three screens.
    paged_table(
        flags_frame(shown[:MAX_TABLE_ROWS], pupils, icons=True), "flags", "flags",
        search_in=("Subject", "What is wrong"), names_in="Subject",
    )  # fmt: skip
if shown and may_export:
    csv_download(
        f"Download these {len(shown):,} flags (CSV)",
        logged_download(
            lambda: flags_csv(shown, pupils),
            lambda: (flag.subject for flag in shown if pupils.get(flag.subject)),
        ),
        f"seips-flags-{filters.partnership or 'county'}-{filters.on:%Y-%m-%d}.csv",
    )
