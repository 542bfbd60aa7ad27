"""The pages' one way to read the store: a query answered once per change of what it shows.

A page calls ``cached_query(home_figures, on, partnership, scope=partnership)``. The answer is
cached, keyed on the database URL, the query, its arguments and the change markers of its
``scope`` (``seips_core.change_scopes``, kept by every audited write in its own transaction):

- a partnership's code, or ``OfMeeting(id)``: that partnership's marker and the county-wide
  one, so a write in another partnership leaves the answer warm (issue 13);
- ``COUNTY_FACTS``: the county-wide marker alone (providers, placements, settings...);
- None (the default): the newest marker of all, for the whole county or several partnerships.

Nothing is recomputed while the store stands still. The markers are read at most once a second
per process and scope, so another process's change shows on the first run after that second;
a write committed through this process's engine forgets them at once, so the user who saved
sees their own change on the very next run. The cache's time limit only bounds memory and
covers writes made outside the audited sessions.
"""

import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import streamlit as st
from sqlalchemy import event

from seips_core.auth.demo import is_demo_store
from seips_core.auth.roles import Actor
from seips_core.auth.scope import item_in_scope
from seips_core.config import database_url
from seips_core.db import get_engine, read_session
from seips_core.queries.agenda_item import ItemView, agenda_item_view
from seips_core.queries.change_marker import CountyFacts, OfMeeting, Scope, scope_marker
from seips_core.queries.meeting_marker import meeting_marker

CACHE_SECONDS = 600
CACHE_ENTRIES = 512
#: How long a change marker read from the store is trusted.
MARKER_SECONDS = 1.0

#: The scope of answers resting on county-wide facts alone.
COUNTY_FACTS = CountyFacts.ONLY
__all__ = ["COUNTY_FACTS", "OfMeeting", "cached_query", "demo_store", "wall_item_view"]

R = TypeVar("R")

#: Per database URL, per scope: when its marker was read (monotonic seconds) and its value.
#: Shared by every session of the process; a race only means one extra read.
_markers: dict[str, dict[Scope, tuple[float, object]]] = {}


def _read(url: str, query: Callable[..., R], *args: object, **kwargs: object) -> R:
    # The store named in the cache key, so that an answer is always filed under its source.
    with read_session(get_engine(url)) as session:
        return query(session, *args, **kwargs)


@st.cache_resource(show_spinner=False)
def _forget_marker_on_commit(url: str) -> None:
    """Once per engine: every commit through it (reads never commit) drops the held markers."""
    event.listen(get_engine(url), "commit", lambda _connection: _markers.pop(url, None))


def _change_marker(url: str, scope: Scope) -> object:
    memo = _markers.setdefault(url, {})
    now = time.monotonic()
    read_at, marker = memo.get(scope, (-MARKER_SECONDS, None))
    if now - read_at >= MARKER_SECONDS:
        marker = _read(url, scope_marker, scope)
        memo[scope] = (now, marker)
    return marker


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached(key: tuple, _query: Callable[..., R]) -> R:
    """One cache for every query, keyed on (URL, query name, change marker, arguments, keyword
    arguments).

    ``cache_resource``, not ``cache_data``: every session gets the same answer object instead
    of unpickling its own copy on each run (tens of milliseconds for a national flag list).
    The answers are frozen dataclasses and tuples of them; pages only read them. One hashed
    parameter, not four: Streamlit inspects the signature once per parameter on every call.
    """
    url, _name, _marker, args, kwargs = key
    return _read(url, _query, *args, **dict(kwargs))


def cached_query(
    query: Callable[..., R], *args: object, scope: Scope = None, **kwargs: object
) -> R:
    """``query(session, *args, **kwargs)``, recomputed only when what ``scope`` covers has
    changed: pass the partnership the answer is about (its code, or ``OfMeeting``), or
    ``COUNTY_FACTS``; the default, None, is the whole store. A scope narrower than what the
    query reads would serve stale answers: the query must read only that partnership's rows
    and county-wide facts."""
    url = database_url()
    _forget_marker_on_commit(url)
    name = f"{query.__module__}.{query.__qualname__}"
    marker = _change_marker(url, scope)
    return _cached((url, name, (scope, marker), args, tuple(sorted(kwargs.items()))), query)


def wall_item_view(viewer: Actor, item_id: int, on: date) -> ItemView:
    """Agenda item ``item_id`` as a wall shows it (initials only), computed once per change
    of the store for every screen of the meeting (issue 13), not once per screen.

    Each screen's own right to read the item is checked first (``item_in_scope``: the
    meeting's partnership, the pupil's); with names off, nothing else in the view depends on
    who is looking, so the view computed for the first screen serves the others. Keyed on the
    meeting's own marker as well as its partnership's and the county's: a live area that has
    just seen the meeting change (a save in another server process, say) never gets the view
    from before it, and a write in another partnership leaves it warm.
    """
    url = database_url()
    _forget_marker_on_commit(url)
    with read_session(get_engine(url)) as session:
        meeting_id = item_in_scope(session, viewer, item_id).item.meeting_id
        meeting = meeting_marker(session, meeting_id)

    def view(session, item: int, day: date) -> ItemView:
        return agenda_item_view(session, viewer, item, on=day, full_names=False)

    marker = (_change_marker(url, OfMeeting(meeting_id)), meeting)
    return _cached((url, "wall_item_view", marker, (item_id, on), ()), view)


def demo_store() -> bool:
    """Is the store the synthetic demo county (banner on, demo accounts listed)?"""
    return cached_query(is_demo_store)
