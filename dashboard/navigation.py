"""The pages, grouped for the three kinds of user, and where each page's file lives.

``st.Page`` resolves a relative path against the entry point's folder (``dashboard/``), so
the page files in ``pages/`` at the repository root are given by absolute path.
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
        "Co-ordinators": [
            st.Page(ATTENTION, title="Needs attention", icon=":material/flag:"),
        ],
        "Chairs": [st.Page(SCHOOLS, title="Schools", icon=":material/school:")],
    }
