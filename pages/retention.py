"""County admins: the retention schedule (issue 16): whose files fall due this term, by kind of
record and case reference (never a name), the periods in force with their sources, changing a
period, and anonymising what is due today.

What is due is ``seips_core.retention``'s to say; anonymising is ``services.retention``'s, in
one audited transaction (the same as ``seips retention --apply``); a period is a setting,
changed through ``services.set_setting``. Nothing here decides or writes by itself.
"""

from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.auth import current_actor
from dashboard.store import cached_query, call
from dashboard.text import md
from dashboard.widgets import show_table
from seips_core.errors import SeipsError
from seips_core.retention import KINDS, DueRecords, Period, by_kind, overview
from seips_core.services import set_setting
from seips_core.services.retention import apply_retention

DONE_KEY = "_retention_done"
CONFIRM_KEY = "retention_confirm"


def due_frame(due: Sequence[DueRecords]) -> pd.DataFrame:
    """One row per kind of record: how many pupils' files and how many records fall due."""
    groups = by_kind(list(due))
    return pd.DataFrame(
        {
            "Kind of record": [kind.label for kind in groups],
            "Pupils": [len(found) for found in groups.values()],
            "Records": [sum(r.rows for r in found) for found in groups.values()],
        }
    )


def cases_frame(due: Sequence[DueRecords]) -> pd.DataFrame:
    """One row per pupil, by case reference: the day the whole file falls due (the latest of
    its kinds') and the kinds of record it holds."""
    files: dict[str, list[DueRecords]] = {}
    for records in due:
        files.setdefault(records.case_ref, []).append(records)
    return pd.DataFrame(
        {
            "Case reference": list(files),
            "Due on": [f"{max(r.due for r in found):%-d %b %Y}" for found in files.values()],
            "Records": [
                ", ".join(r.kind.key.replace("_", " ") for r in found) for found in files.values()
            ],
        }
    )


def periods_frame(periods: Sequence[Period]) -> pd.DataFrame:
    """One row per kind: the birthday it is kept until, whether the council set it, the source."""
    return pd.DataFrame(
        {
            "Kind of record": [period.kind.label for period in periods],
            "Kept until the pupil's birthday": [period.age for period in periods],
            "Set by the council": ["Yes" if period.is_set else "No: default" for period in periods],
            "Source of the default": [period.kind.source for period in periods],
        }
    )


def pupils(due: Sequence[DueRecords]) -> int:
    return len({records.pupil_id for records in due})


def changed(message: str) -> None:
    """Say what was done on the next run, which shows the schedule as it now is."""
    st.session_state[DONE_KEY] = message
    st.rerun()


actor = current_actor()
today = date.today()
view = cached_query(overview, today)

st.title("Retention")
st.caption(
    "How long the store keeps each kind of record about a pupil. A file that falls due is "
    "anonymised, not deleted: the statistics and reports keep their counts."
)
done = st.session_state.pop(DONE_KEY, None)
if done:
    st.success(md(done))

st.header(f"Due by the end of this term ({view.term_end:%-d %B %Y})")
if view.this_term:
    st.write(
        f"{pupils(view.this_term)} pupils' files, {pupils(view.due_now)} of them due today. "
        "By case reference: names stay off this page."
    )
    show_table(due_frame(view.this_term))
    show_table(cases_frame(view.this_term))
else:
    st.write("No pupil's file falls due this term.")

st.header("Periods in force")
show_table(periods_frame(view.periods))
with st.form("retention_period"):
    kind = st.selectbox(
        "Kind of record", KINDS, format_func=lambda each: each.label, key="retention_kind"
    )
    age = st.number_input(
        "Kept until the pupil's birthday at age", min_value=18, max_value=100, value=25, step=1
    )
    if st.form_submit_button("Save period"):
        try:
            call(set_setting, actor, kind.setting, int(age))
        except SeipsError as error:
            st.error(md(error))
        else:
            changed(f"{kind.label}: kept until the pupil's birthday at {int(age)}.")

st.header("Anonymise what is due")
st.write(
    "Removes the names, the day of birth (the school year stays) and the free text of every "
    "pupil whose whole file is due today, from their records and from the audit trail, in "
    "one transaction; each change is audited. The same as `seips retention --apply` on the "
    "server."
)
due_now = pupils(view.due_now)
if not due_now:
    st.info("No pupil's file is due today: there is nothing to anonymise.")
else:
    with st.form("retention_apply"):
        confirmed = st.checkbox(
            f"I have checked the {due_now} files due today against the council's retention "
            "schedule: anonymise them. This cannot be undone.",
            key=CONFIRM_KEY,
        )
        if st.form_submit_button(f"Anonymise {due_now} files", type="primary"):
            if not confirmed:
                st.error("Tick the box to confirm first: anonymising cannot be undone.")
            else:
                try:
                    applied = call(apply_retention, actor, today)
                except SeipsError as error:
                    st.error(md(error))
                else:
                    changed(
                        f"Anonymised {applied.pupils} pupils' files: {applied.rows} rows changed, "
                        f"each audited; {applied.redacted_entries} audit entries redacted."
                    )
