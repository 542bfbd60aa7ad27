"""Everyone: the partnership's meetings (past, today, next) and, for one of them, its member
schools with the day each was notified and who attended; the R13a warning before it starts;
links to its agenda, its projector view and its minutes.

Co-ordinators tick attendance during the meeting (saved at once through
``seips_core.services.meetings``, which checks their right to); a chair signs the minutes off.
"""

import streamlit as st

from dashboard.auth import current_actor
from dashboard.meeting_choice import MEETING_PARAM, choose_meeting
from dashboard.navigation import AGENDA, PROJECTOR, RECORD, may_open, page
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.widgets import show_table
from seips_core.db import get_engine
from seips_core.errors import Conflict, NotAllowed, RuleViolation
from seips_core.minutes import minutes_docx, minutes_html
from seips_core.queries.meetings import meeting_detail, meetings_of
from seips_core.services.meetings import set_attendance, sign_off_minutes

DONE_KEY = "_meetings_done"
REFUSALS = (Conflict, NotAllowed, RuleViolation)

actor = current_actor()
filters = current_filters()
st.title("Meetings")
st.caption(filters.scope)
if filters.partnership is None:
    st.info("Choose a partnership in the sidebar (R1): each partnership runs its own meetings.")
    st.stop()
done = st.session_state.pop(DONE_KEY, None)
if done:
    st.success(done)

overview = cached_query(meetings_of, actor, filters.partnership, on=filters.on)
for heading, meetings in (
    ("Today", overview.today),
    ("Next", overview.next),
    ("Past", overview.past),
):
    st.subheader(heading)
    if not meetings:
        st.caption("None.")
        continue
    show_table(
        {
            "Date": [f"{each.meeting_date:%d/%m/%Y}" for each in meetings],
            "Kind": [each.kind_label for each in meetings],
            "Status": [each.status for each in meetings],
            "Warnings": ["; ".join(each.warnings) or "None" for each in meetings],
        }
    )

st.header("One meeting")
meeting_id = choose_meeting([*overview.today, *overview.next, *overview.past])
if meeting_id is None:
    st.info("No meeting is recorded for this partnership yet.")
    st.stop()
detail = cached_query(meeting_detail, actor, meeting_id)
for warning in detail.warnings:
    st.warning(warning, icon=":material/warning:")

links = st.columns(3)
for column, target in zip(links, (PROJECTOR, AGENDA, RECORD), strict=True):
    if may_open(actor, target):
        column.page_link(page(target), query_params={MEETING_PARAM: str(meeting_id)})

st.subheader("Member schools")
engine = get_engine()
may_tick = actor.may("edit_cases") and detail.status != "closed"
for row in detail.invitations:
    notified = f"{row.notified_date:%d/%m/%Y}" if row.notified_date else "Not notified (R13a)"
    school, when, attended = st.columns([3, 2, 2])
    school.markdown(f"**{row.school}**")
    when.markdown(f"Notified: {notified}")
    if not may_tick:
        attended.markdown(f"Attended: {'yes' if row.attended else 'no'}")
        continue
    ticked = attended.checkbox(
        "Attended", value=bool(row.attended), key=f"attended_{meeting_id}_{row.school_id}"
    )
    if ticked != bool(row.attended):
        try:
            set_attendance(
                engine, actor, meeting_id, row.school_id, ticked, expected_version=row.version
            )
        except REFUSALS as refused:
            st.error(f"Attended ({row.school}): {refused}")
        else:
            st.session_state[DONE_KEY] = f"Attendance of {row.school} saved."
            st.rerun()

st.subheader("Minutes")
full_names = filters.full_names
html = cached_query(minutes_html, actor, meeting_id, full_names=full_names)
with st.expander("Printable minutes"):
    st.html(html)
if actor.may("export"):  # a document leaving the dashboard is a chair's right (issue 3)
    st.download_button(
        "Download the minutes (Word)",
        data=lambda: cached_query(minutes_docx, actor, meeting_id, full_names=full_names),
        file_name=f"seips-minutes-{meeting_id}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/download:",
        on_click="ignore",
    )
if detail.signed_off_by:
    st.caption(f"Signed off by {detail.signed_off_by} on {detail.signed_off_at:%d/%m/%Y}.")
elif actor.may("export") and st.button("Sign the minutes off", icon=":material/approval:"):
    try:
        sign_off_minutes(engine, actor, meeting_id)
    except REFUSALS as refused:
        st.error(f"Sign-off: {refused}")
    else:
        st.session_state[DONE_KEY] = "Minutes signed off: the decisions are now locked."
        st.rerun()
