"""The pages, grouped for the three kinds of user, and the sidebar menu that lists them.

``st.Page`` resolves a relative path against the entry point's folder (``dashboard/``), so
the page files in ``pages/`` at the repository root are given by absolute path.

Streamlit's own grouped menu puts each group's ``<li>`` items inside a ``<div>`` within the
``<ul>``, which screen readers cannot announce as a list (axe-core: "list", "listitem",
serious). The menu is therefore hidden and drawn here as headings and page links.
"""

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
HOME = PAGES_DIR / "home.py"
ATTENTION = PAGES_DIR / "attention.py"
SCHOOLS = PAGES_DIR / "schools.py"


def sections() -> dict[str, list[st.Page]]:
    """Everyone starts at Home; co-ordinators work the flags; chairs review the schools."""
    return {
        "Everyone": [st.Page(HOME, title="Home", icon=":material/home:", default=True)],
        "Co-ordinators": [st.Page(ATTENTION, title="Needs attention", icon=":material/flag:")],
        "Chairs": [st.Page(SCHOOLS, title="Schools", icon=":material/school:")],
    }


def sidebar_menu(groups: dict[str, list[st.Page]]) -> None:
    """Each group as a small heading over links to its pages, in reading and tab order."""
    with st.sidebar:
        for heading, pages in groups.items():
            st.subheader(heading)
            for page in pages:
                st.page_link(page)
        st.divider()
