"""Entry point: ``streamlit run dashboard/app.py`` (``seips serve`` runs exactly this).

Every run draws the shared frame (page setup, the menu, the sidebar filters) and then the
chosen page from ``pages/``.
"""

import streamlit as st

from dashboard.navigation import sections, sidebar_menu
from dashboard.state import sidebar_filters
from dashboard.store import cached_query
from seips_core.queries.partnerships import partnership_choices

st.set_page_config(
    page_title="SEIP panel dashboard",
    page_icon=":material/groups:",
    layout="wide",
    initial_sidebar_state="expanded",
)
groups = sections()
page = st.navigation(groups, position="hidden")
sidebar_menu(groups)
sidebar_filters(cached_query(partnership_choices))
page.run()
