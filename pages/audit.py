"""Chairs and county admins: who changed what and when, filtered by case, user and dates; a
case's whole history when its reference is given, with who viewed the pupil's record by name
(issue 16); downloadable as CSV.

What a chair may read (their partnerships' cases and their colleagues' work) is decided by
``seips_core.queries.audit``, which also never lets a name or a date of birth out.
"""

from datetime import date, timedelta

import streamlit as st

from dashboard.auth import current_actor
from dashboard.parts import one_part, paged_table
from dashboard.store import cached_query, fresh
from dashboard.tables import audit_frame, csv_text, views_table
from dashboard.text import md
from dashboard.widgets import csv_download, show_table
from seips_core.errors import NotAllowed
from seips_core.queries.audit import audit_entries, case_history
from seips_core.queries.record_views import views_of_case

#: Entries listed at most when no case is chosen: the newest first.
LIMIT = 500
#: The dates the trail opens on: the last four weeks.
OPENING_DAYS = 28
DATES_KEY = "audit_dates"

actor = current_actor()
st.title("Audit trail")
st.caption(
    (
        "Every partnership"
        if actor.sees_all
        else "Your partnerships' cases and your colleagues' work"
    )
    + " · names and dates of birth show only as changed"
)

case_column, user_column, dates_column = st.columns(3)
case_ref = case_column.text_input("Case reference", placeholder="such as SEIP-25-000123").strip()
whole_case = bool(case_ref)
why_off = "A case's history is shown whole: clear the case reference to filter by user or date."
user = user_column.text_input(
    "User (email address)", disabled=whole_case, help=why_off if whole_case else None
).strip()
today = date.today()
chosen = dates_column.date_input(
    "Changed between",
    value=(today - timedelta(days=OPENING_DAYS), today),
    format="DD/MM/YYYY",
    key=DATES_KEY,
    disabled=whole_case,
    help=why_off if whole_case else None,
)
since, until = (*chosen, None, None)[:2]  # a range half chosen has no end yet

try:
    if whole_case:
        rows = cached_query(case_history, actor, case_ref)
    else:
        rows = cached_query(
            audit_entries, actor, actor_email=user or None, since=since, until=until, limit=LIMIT
        )
except NotAllowed as refused:
    st.error(md(refused))
    st.stop()


def changes() -> None:
    """The changes listed, newest first, and their CSV for those who may export."""
    if not rows:
        st.info(
            f"No case {md(case_ref)} in the store, or no change to it yet."
            if whole_case
            else "No change matches these filters."
        )
        return
    st.markdown(f"**{len(rows):,}** change(s), newest first.")
    if len(rows) == LIMIT and not whole_case:
        st.info(f"Only the newest {LIMIT:,} are listed: narrow the dates or choose a user.")
    table = audit_frame(rows)
    show_table(table)
    if actor.may("export"):
        csv_download(
            f"Download these {len(rows):,} changes (CSV)",
            lambda: csv_text(table),
            f"seips-audit-{case_ref or 'trail'}-{today:%Y-%m-%d}.csv",
        )


def viewers() -> None:
    """Who saw the pupil's name (on screen with names shown, or in a download), newest first,
    a page at a time. Read afresh: a view moves no change marker, so no cache would see it."""
    seen = fresh(views_of_case, actor, case_ref)
    if seen:
        paged_table(views_table(seen), "record_views", "views")
    else:
        st.info("No one has viewed this record with names shown, nor downloaded it with names.")


if whole_case:
    st.subheader(f"History of case {md(case_ref)}")
    one_part({"Changes": changes, "Who viewed this record": viewers}, key="case_history_part")
else:
    changes()
