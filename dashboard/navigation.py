"""The pages each role may open, grouped by who uses them, and the sidebar menu that lists them.

``st.navigation`` is given the pages the signed-in user's role may open, and at the address of
each other page a short page of its own that says whose page it is and runs nothing of it
(``out_of_role_pages``): a page left out of the menu cannot be reached by its address, and
whoever follows a colleague's link learns why instead of landing on Home without a word.
Which role has which capability is ``seips_core.auth.roles``'s to say; here each page names
the capability it needs.

``st.Page`` resolves a relative path against the entry point's folder (``dashboard/``), so
the page files in ``pages/`` at the repository root are given by absolute path.

Streamlit's own grouped menu puts each group's ``<li>`` items inside a ``<div>`` within the
``<ul>``, which screen readers cannot announce as a list (axe-core: "list", "listitem",
serious). The menu is therefore hidden and drawn here as headings and page links.
"""

from copy import copy
from functools import cache
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.text import md
from seips_core.auth.roles import CAPABILITIES, Actor, Capability, Role

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
HOME = PAGES_DIR / "home.py"
SCHOOLS = PAGES_DIR / "schools.py"
MEETINGS = PAGES_DIR / "meetings.py"
ATTENTION = PAGES_DIR / "attention.py"
AUDIT = PAGES_DIR / "audit.py"
USERS = PAGES_DIR / "users.py"
AGENDA = PAGES_DIR / "agenda.py"
RECORD = PAGES_DIR / "record.py"
PROJECTOR = PAGES_DIR / "projector.py"
FAIR_ACCESS = PAGES_DIR / "fair_access.py"
FAIRNESS = PAGES_DIR / "fairness.py"
PLACEMENTS = PAGES_DIR / "placements.py"
PROVIDERS = PAGES_DIR / "providers.py"
TIERS = PAGES_DIR / "tiers.py"
TRENDS = PAGES_DIR / "trends.py"
CHARGES = PAGES_DIR / "charges.py"
SUBJECT_ACCESS = PAGES_DIR / "subject_access.py"
RETENTION = PAGES_DIR / "retention.py"

_TITLES = {
    HOME: ("Home", ":material/home:"),
    SCHOOLS: ("School profile", ":material/school:"),
    MEETINGS: ("Meetings", ":material/event:"),
    ATTENTION: ("Needs attention", ":material/flag:"),
    AUDIT: ("Audit trail", ":material/history:"),
    USERS: ("Users", ":material/manage_accounts:"),
    AGENDA: ("Agenda builder", ":material/list_alt:"),
    RECORD: ("Record decisions", ":material/edit_note:"),
    PROJECTOR: ("Projector view", ":material/cast:"),
    FAIR_ACCESS: ("Fair Access cases", ":material/pending_actions:"),
    FAIRNESS: ("Fairness between schools", ":material/balance:"),
    PLACEMENTS: ("AP placements", ":material/calendar_view_week:"),
    PROVIDERS: ("AP providers", ":material/storefront:"),
    TIERS: ("Tier counts", ":material/stacked_bar_chart:"),
    TRENDS: ("Trends", ":material/trending_up:"),
    CHARGES: ("Charges", ":material/payments:"),
    SUBJECT_ACCESS: ("Subject access", ":material/folder_shared:"),
    RETENTION: ("Retention", ":material/auto_delete:"),
}
#: Every page's address but the home page's (``st.Page`` takes it from the file's name).
ADDRESSES = tuple(path.stem for path in _TITLES if path != HOME)
#: The menu's groups, by what the pages are for; each user sees only the pages their role may
#: open. Everyone reads the statistics (fairness too: R13b asks that it be seen) and the wall;
#: co-ordinators build agendas, record decisions and work the cases; chairs see the charges
#: and who changed what; county admins manage who may sign in, answer subject access requests
#: and keep records only as long as the retention schedule says.
_GROUPS = {
    "Overview": [HOME, SCHOOLS, TIERS, TRENDS, FAIRNESS, PROVIDERS],
    "Meetings": [MEETINGS, PROJECTOR, AGENDA, RECORD],
    "Casework": [ATTENTION, FAIR_ACCESS, PLACEMENTS],
    "Chairs": [CHARGES, AUDIT],
    "County admins": [USERS, SUBJECT_ACCESS, RETENTION],
}
#: The capability that lets a user open each page.
NEEDS = {
    HOME: Capability.READ_STATISTICS,
    SCHOOLS: Capability.READ_STATISTICS,
    MEETINGS: Capability.READ_AGENDA,
    ATTENTION: Capability.EDIT_CASES,
    AUDIT: Capability.VIEW_AUDIT,
    USERS: Capability.MANAGE_USERS,
    AGENDA: Capability.EDIT_CASES,
    RECORD: Capability.EDIT_CASES,
    PROJECTOR: Capability.READ_AGENDA,
    FAIR_ACCESS: Capability.EDIT_CASES,
    FAIRNESS: Capability.READ_STATISTICS,
    PLACEMENTS: Capability.EDIT_CASES,
    PROVIDERS: Capability.READ_STATISTICS,
    TIERS: Capability.READ_STATISTICS,
    TRENDS: Capability.READ_STATISTICS,
    CHARGES: Capability.EXPORT,
    SUBJECT_ACCESS: Capability.SUBJECT_ACCESS,
    RETENTION: Capability.MANAGE_REFERENCE_DATA,
}


def _make(path: Path) -> st.Page:
    title, icon = _TITLES[path]
    return st.Page(path, title=title, icon=icon, default=path == HOME)


#: Each page as ``st.Page`` makes it, once per process: making one resolves its path and
#: checks the file on disk, 17 pages on every run of every page (issue 13).
_made = cache(_make)


def page(path: Path) -> st.Page:
    """The page in ``path`` with its title and icon, for the menu or a link to it.

    A copy of the one made for the process: ``st.navigation`` marks the page it returns as
    the one a run may call, so sessions running at once must not share the object. Outside a
    script run ``st.Page`` leaves a page half made: that one is not kept. Linking with the
    page itself, not its file path, spares ``st.page_link`` resolving the path on disk for
    every link.
    """
    if get_script_run_ctx() is None:
        return _make(path)
    return copy(_made(path))


def may_open(actor: Actor, path: Path) -> bool:
    """Does the actor's role have what the page ``path`` needs? A wall link's screen opens the
    projector view only."""
    if actor.wall_meeting is not None:
        return path == PROJECTOR
    return actor.may(NEEDS[path])


def wall_pages() -> list[st.Page]:
    """What a wall link's screen runs: the projector view at its own address and at the home
    address, where Streamlit puts the default page (one page alone would be the default, and
    its own address would be "page not found")."""
    title, icon = _TITLES[PROJECTOR]
    return [
        st.Page(PROJECTOR, title=title, icon=icon, url_path="wall", default=True),
        page(PROJECTOR),
    ]


def sections(actor: Actor) -> dict[str, list[st.Page]]:
    """The pages ``actor`` may open, by kind of user, as ``st.navigation`` takes them; a
    group with none of them is left out."""
    groups = {
        group: [page(path) for path in paths if may_open(actor, path)]
        for group, paths in _GROUPS.items()
    }
    return {group: pages for group, pages in groups.items() if pages}


def out_of_role_message(actor: Actor, path: Path) -> str:
    """ "Audit trail is for chairs and county admins: you are signed in as a co-ordinator of
    NW." The roles in order, least to most; as Markdown, the partnership codes (stored text)
    escaped."""
    roles = [f"{role.label}s" for role in Role if role in CAPABILITIES[NEEDS[path]]]
    who = roles[0] if len(roles) == 1 else f"{', '.join(roles[:-1])} and {roles[-1]}"
    return f"{_TITLES[path][0]} is for {who}: you are signed in as {md(actor.described)}."


def _out_of_role(actor: Actor, path: Path) -> st.Page:
    """What answers at the address of ``path``, a page ``actor`` may not open: the reason and
    the way home, never the page's own file."""

    def draw() -> None:
        st.title(_TITLES[path][0])
        st.info(
            f"{out_of_role_message(actor, path)} The pages you may open are in the menu.",
            icon=":material/lock:",
        )
        st.page_link(page(HOME), label="Go to Home", icon=":material/home:")

    title, icon = _TITLES[path]
    return st.Page(draw, title=title, icon=icon, url_path=path.stem, visibility="hidden")


def out_of_role_pages(actor: Actor) -> list[st.Page]:
    """A page at the address of each page ``actor`` may not open, saying so (not in the
    menu)."""
    return [_out_of_role(actor, path) for path in _TITLES if not may_open(actor, path)]


def sidebar_menu(groups: dict[str, list[st.Page]]) -> None:
    """Each group as a small heading over links to its pages, in reading and tab order."""
    with st.sidebar:
        for heading, pages in groups.items():
            st.subheader(heading)
            for each in pages:
                st.page_link(each)
        st.divider()
