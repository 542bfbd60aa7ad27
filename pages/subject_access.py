"""County admins: answer a subject access request for one pupil (issue 16).

Enter a case reference, see how many records each table holds about the pupil (numbers only:
nothing of the child is on screen), then prepare the files: a zip of one CSV per table with
README.txt, and the printable page. Preparing them is the export, recorded with who and when
in the same transaction that reads the rows (``seips_core.subject_access``); the buttons then
hand out what was prepared, so a second click records nothing new.
"""

import pandas as pd
import streamlit as st

from dashboard.auth import current_actor
from dashboard.store import cached_query, call
from dashboard.text import md
from dashboard.widgets import Download, download_row, show_table
from seips_core.errors import SeipsError
from seips_core.subject_access import PAGE_FILE, counts_for, export_subject_access

#: The files prepared for the case reference entered: (case reference, zip, printable page).
PREPARED_KEY = "_subject_access_prepared"

actor = current_actor()
st.title("Subject access")
st.caption(
    "Everything the store holds about one pupil, for a request under UK GDPR "
    "(answer within one calendar month). Preparing the files is recorded."
)
case_ref = st.text_input("Case reference", placeholder="such as SEIP-25-000123").strip()
if not case_ref:
    st.info("Enter the pupil's case reference to see what the store holds about them.")
    st.stop()
try:
    counts = cached_query(counts_for, case_ref)
except SeipsError as refused:
    st.error(md(refused))
    st.stop()

st.subheader(f"Held about pupil {md(case_ref)}")
show_table(pd.DataFrame({"Records": list(counts), "Rows": list(counts.values())}))
st.markdown(f"**{sum(counts.values()):,}** rows in all.")

prepared = st.session_state.get(PREPARED_KEY)
if prepared is not None and prepared[0] != case_ref:
    # Another pupil's files are not kept in the session once a new case reference is entered.
    del st.session_state[PREPARED_KEY]
    prepared = None
if prepared is None:
    if st.button("Prepare the files", type="primary", icon=":material/folder_zip:"):
        try:
            bundle = call(export_subject_access, actor, case_ref)
        except SeipsError as refused:
            st.error(md(refused))
            st.stop()
        st.session_state[PREPARED_KEY] = (case_ref, bundle.zipped(), bundle.files[PAGE_FILE])
        st.rerun()
    st.stop()

_, archive, page = prepared
st.success(f"Files prepared for pupil {md(case_ref)}; the export is recorded.")
name = f"subject-access-{case_ref}"
download_row(
    [
        Download("Download the files (zip)", lambda: archive, f"{name}.zip", "application/zip"),
        Download("Download the printable page", lambda: page, f"{name}.html", "text/html"),
    ]
)
