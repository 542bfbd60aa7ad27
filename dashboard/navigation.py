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

_TITLES = {
    HOME: ("Home", ":material/home:"),
    ATTENTION: ("Needs attention", ":material/flag:"),
    SCHOOLS: ("Schools", ":material/school:"),
}
#: Everyone starts at Home; co-ordinators work the flags; chairs review the schools.
_GROUPS = {"Everyone": [HOME], "Co-ordinators": [ATTENTION], "Chairs": [SCHOOLS]}


def page(path: Path) -> st.Page:
    """The page in ``path`` with its title and icon, for the menu or a link to it.

    Linking with the page itself, not its file path, spares ``st.page_link`` resolving the
    path on disk for every link.
    """
    title, icon = _TITLES[path]
    return st.Page(path, title=title, icon=icon, default=path == HOME)


def sections() -> dict[str, list[st.Page]]:
    """The pages by kind of user, as ``st.navigation`` takes them."""
    return {group: [page(path) for path in paths] for group, paths in _GROUPS.items()}


def sidebar_menu(groups: dict[str, list[st.Page]]) -> None:
    """Each group as a small heading over links to its pages, in reading and tab order."""
    with st.sidebar:
        for heading, pages in groups.items():
            st.subheader(heading)
            for each in pages:
                st.page_link(each)
        st.divider()
