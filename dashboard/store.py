"""The pages' one way to read the store: a query answered once per change of the store.

A page calls ``cached_query(home_figures, on, partnership)``. The answer is cached with
``st.cache_data``, keyed on the database URL, the query, its arguments and the store's change
marker (the newest audit id): any audited write makes every page recompute, and nothing is
recomputed while the store stands still. The time limit only bounds memory and covers writes
made outside the audited sessions.
"""

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from seips_core.config import database_url
from seips_core.db import get_engine, read_session
from seips_core.queries.change_marker import change_marker

CACHE_SECONDS = 600

R = TypeVar("R")


def _read(url: str, query: Callable[..., R], *args: object) -> R:
    # The URL is passed explicitly: ``get_engine()`` without one would keep the first URL seen.
    with read_session(get_engine(url)) as session:
        return query(session, *args)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _cached(url: str, query_name: str, marker: int, args: tuple, _query: Callable[..., R]) -> R:
    """One cache for every query; ``query_name`` keeps their answers apart, ``_query`` runs."""
    return _read(url, _query, *args)


def cached_query(query: Callable[..., R], *args: object) -> R:
    """``query(session, *args)``, recomputed only when the store has changed."""
    url = database_url()
    marker = _read(url, change_marker)
    return _cached(url, f"{query.__module__}.{query.__qualname__}", marker, args, query)
