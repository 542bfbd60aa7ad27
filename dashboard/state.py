"""The filters every page shares, kept in the session as the user moves between pages.

The app shell draws them in the sidebar on every run, before the page (so Streamlit keeps
their values across pages); pages read them through ``current_filters``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from seips_core.queries.partnerships import PartnershipChoice

PARTNERSHIP_KEY = "partnership"
AS_ON_KEY = "as_on"
_FILTERS_KEY = "_filters"
COUNTY = "All partnerships"


@dataclass(frozen=True)
class Filters:
    """What every page shows: one partnership (R1) or the county (None), as on a date."""

    partnership: str | None
    on: date
    #: What the figures cover, said in words under each page title.
    scope: str


def sidebar_filters(choices: Sequence[PartnershipChoice]) -> Filters:
    """Draw the partnership filter and the "as on" date in the sidebar; remember the choice."""
    names = {choice.code: choice.name for choice in choices}
    if st.session_state.get(PARTNERSHIP_KEY) not in names:
        # First visit, or a partnership that no longer exists: the whole county.
        st.session_state.pop(PARTNERSHIP_KEY, None)
    st.session_state.setdefault(AS_ON_KEY, date.today())
    with st.sidebar:
        code = st.selectbox(
            "Partnership (R1)",
            [None, *names],
            format_func=lambda option: COUNTY if option is None else names[option],
            key=PARTNERSHIP_KEY,
        )
        on = st.date_input("Figures as on", key=AS_ON_KEY, format="DD/MM/YYYY") or date.today()
    where = COUNTY if code is None else names[code]
    filters = Filters(partnership=code, on=on, scope=f"{where} · as on {on.day} {on:%B %Y}")
    st.session_state[_FILTERS_KEY] = filters
    return filters


def current_filters() -> Filters:
    """The filters chosen in the sidebar on this run."""
    return st.session_state[_FILTERS_KEY]
