"""Entry point: ``streamlit run dashboard/app.py`` (``seips serve`` runs exactly this).

Every run draws the shared frame and then one page. Signed out, the only page there is is
the sign-in page (at every page's address, so a deep link opens its page once signed in).
Signed in, the shell draws the menu of the pages the user's role may open (at another page's
address, only a line saying whose page it is: ``out_of_role_pages``), the sidebar filters the
user may choose from, the sign-out button, and then the chosen page from ``pages/``. A wall
link's screen gets its meeting's projector view alone (``dashboard.wall_link``). A demo
store gets its banner on every page, the sign-in page included, and no page greys while it
reruns (``steady_screen``). All of it runs inside the one error boundary: an unexpected error
shows a plain message and a reference, never a traceback.
"""

from pathlib import Path

import streamlit as st

from dashboard import browser_cookie
from dashboard.auth import (
    auth_mode,
    current_session,
    refuse_unsafe_start,
    sign_in_pages,
    sign_out_button,
)
from dashboard.boundary import error_boundary
from dashboard.navigation import ADDRESSES, out_of_role_pages, sections, sidebar_menu
from dashboard.read_log import on_page
from dashboard.state import sidebar_filters
from dashboard.store import COUNTY_FACTS, cached_query, demo_store
from dashboard.wall_link import wall_screen
from dashboard.widgets import demo_banner, steady_screen
from seips_core.queries.partnerships import partnership_choices

FAVICON = str(Path(__file__).with_name("static") / "favicon.png")

st.set_page_config(
    page_title="SEIP panel dashboard",
    # A file served by the app itself: a Material icon here would make every browser fetch the
    # favicon from fonts.gstatic.com, telling a third party each time a page opens (issue 14).
    page_icon=FAVICON,
    layout="wide",
    initial_sidebar_state="expanded",
)
with error_boundary():
    steady_screen()
    demo = demo_store()
    refuse_unsafe_start(auth_mode(), demo)
    if demo:
        demo_banner()
    signed_in = current_session()
    browser_cookie.flush()
    if signed_in is None:
        st.navigation(sign_in_pages(ADDRESSES), position="hidden").run()
    elif signed_in.wall is not None:
        wall_screen(signed_in.actor).run()
    else:
        groups = sections(signed_in.actor)
        others = out_of_role_pages(signed_in.actor)
        page = st.navigation({**groups, "Other roles": others} if others else groups,
                             position="hidden")  # fmt: skip
        on_page(page.title)
        sidebar_menu(groups)
        sidebar_filters(cached_query(partnership_choices, scope=COUNTY_FACTS), signed_in.actor)
        sign_out_button(signed_in.actor)
        page.run()
