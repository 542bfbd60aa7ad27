"""Long pages split by purpose (issue 15): no page longer than three screens at 1920×1080.

A page shows one of its parts at a time (``one_part``: tabs of which only the open one is
built, so a hidden part costs a run nothing), and a long table a page of rows at a time with a
search box (``paged_table``): what a panel reads on the wall is one screen, not a scroll.
"""

from collections.abc import Callable, Mapping, Sequence
from math import ceil

import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from dashboard.read_log import labels_shown
from dashboard.text import md
from dashboard.widgets import show_table

#: Rows of a long table shown at once: about one screen at projection size.
ROWS_PER_PAGE = 20


def one_part(parts: Mapping[str, Callable[[], None]], key: str) -> None:
    """Tabs, one per part; only the open one is built (``on_change="rerun"``), so the page is
    as long, and its run as slow, as the part in view. ``key`` keeps the choice across reruns
    (and lets a test choose: ``app.session_state[key] = label``)."""
    tabs = st.tabs(list(parts), key=key, on_change="rerun")
    for tab, part in zip(tabs, parts.values(), strict=True):
        if tab.open:
            with tab:
                part()


def matching(table: pa.Table, columns: Sequence[str], words: str) -> pa.Table:
    """The rows of ``table`` whose ``columns`` contain ``words`` (any case)."""
    found = None
    for column in columns:
        hit = pc.fill_null(
            pc.match_substring(pc.cast(table[column], pa.string()), words, ignore_case=True),
            False,
        )
        found = hit if found is None else pc.or_(found, hit)
    return table if found is None else table.filter(found)


def paged_table(
    table: pa.Table,
    key: str,
    what: str,
    search_in: Sequence[str] = (),
    rows: int = ROWS_PER_PAGE,
    *,
    names_in: str | None = None,
) -> None:
    """``table`` ``rows`` rows at a time, with how many there are and which are shown
    (``what``: "placements"), a page number, and a search over ``search_in`` when given and
    there is more than a page. ``names_in``: the column of pupil labels, whose pupils on the
    rows shown (not the rest of the table) are logged as seen by name (``read_log``).

    The page number is kept under ``{key}_page`` and the search under ``{key}_search``; a search
    that leaves fewer pages brings the page number back within them.
    """
    search_box, page_box = st.columns([3, 1], vertical_alignment="bottom")
    words = ""
    if search_in and len(table) > rows:
        words = search_box.text_input(
            f"Search the {what}", key=f"{key}_search", placeholder="Part of a name or reference"
        ).strip()
    shown = matching(table, search_in, words) if words else table
    pages = max(1, ceil(len(shown) / rows))
    page_key = f"{key}_page"
    if st.session_state.get(page_key, 1) > pages:
        st.session_state[page_key] = pages
    page = 1
    if pages > 1:
        page = page_box.number_input(f"Page (of {pages})", 1, pages, step=1, key=page_key)
    first = (page - 1) * rows
    last = min(first + rows, len(shown))
    among = f" matching “{md(words)}”" if words else ""
    if not len(shown):
        st.info(f"No {what}{among}.")
        return
    st.caption(f"{what.capitalize()} {first + 1:,}–{last:,} of {len(shown):,}{among}.")
    page_rows = shown.slice(first, rows)
    show_table(page_rows)
    if names_in is not None:
        labels_shown(page_rows[names_in].to_pylist())
