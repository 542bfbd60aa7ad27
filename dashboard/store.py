"""The pages' one door to the store: a query answered once per change of what it shows, a
read made afresh, and a service handed the engine.

Pages import nothing from ``seips_core.db`` or ``seips_core.models`` (``tests/test_layout.py``
says so): they read through ``cached_query`` (or the named readers below), ``fresh`` for what
must be read as it is now, and write through ``call``.

A page calls ``cached_query(home_figures, on, partnership, scope=partnership)``. The answer is
cached, keyed on the database URL, the query, its arguments and the change markers of its
``scope`` (``seips_core.change_scopes``, kept by every audited write in its own transaction):

- a partnership's code, or ``OfMeeting(id)``: that partnership's marker and the county-wide
  one, so a write in another partnership leaves the answer warm (issue 13);
- ``COUNTY_FACTS``: the county-wide marker alone (providers, placements, settings...);
- None (the default): the newest marker of all, for the whole county or several partnerships.

The county's flag list (``flag_list_for``) is refreshed from the one before with the flags of
the partnerships written in alone. Nothing is recomputed while the store stands still. The
markers are all read together, at most once a second per process, so another process's change
shows on the first run after that second; a write committed through this process's engine
forgets them at once, so the user who saved sees their own change on the very next run. The
cache's time limit only bounds memory and covers writes made outside the audited sessions.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Concatenate, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Engine, event
from sqlmodel import Session

from seips_core.auth.demo import is_demo_store
from seips_core.auth.roles import Actor
from seips_core.auth.scope import item_in_scope
from seips_core.config import database_url
from seips_core.db import get_engine, read_session
from seips_core.queries.agenda_item import ItemView, agenda_item_view
from seips_core.queries.change_marker import (
    CountyFacts,
    Markers,
    OfMeeting,
    Scope,
    markers,
    meeting_partnership,
)
from seips_core.queries.flag_list import FlagList, flag_list, refreshed
from seips_core.queries.home import HomeFigures, home_figures
from seips_core.queries.meeting_marker import meeting_marker

CACHE_SECONDS = 600
CACHE_ENTRIES = 512
#: How long change markers read from the store are trusted.
MARKER_SECONDS = 1.0

#: The scope of answers resting on county-wide facts alone.
COUNTY_FACTS = CountyFacts.ONLY
__all__ = [
    "COUNTY_FACTS",
    "OfMeeting",
    "cached_query",
    "call",
    "demo_store",
    "flag_list_for",
    "fresh",
    "home_figures_for",
    "wall_item_view",
]

R = TypeVar("R")
P = ParamSpec("P")


@dataclass
class _Held:
    """The markers of one store as read at ``read_at`` (monotonic seconds), and the
    partnership of each meeting asked about since (read again with the markers)."""

    read_at: float
    markers: Markers
    meetings: dict[int, str | None] = field(default_factory=dict)


#: Per database URL. Shared by every session of the process; a race only means one extra read.
_held: dict[str, _Held] = {}


def _read(url: str, query: Callable[..., R], *args: object, **kwargs: object) -> R:
    # The store named in the cache key, so that an answer is always filed under its source.
    with read_session(get_engine(url)) as session:
        return query(session, *args, **kwargs)


@st.cache_resource(show_spinner=False)
def _forget_marker_on_commit(url: str) -> None:
    """Once per engine: every commit through it (reads never commit) drops the held markers."""
    event.listen(get_engine(url), "commit", lambda _connection: _held.pop(url, None))


def _markers_now(url: str) -> _Held:
    """Every marker of the store at ``url``, read at most once a second (one statement)."""
    _forget_marker_on_commit(url)
    held = _held.get(url)
    now = time.monotonic()
    if held is None or now - held.read_at >= MARKER_SECONDS:
        held = _Held(now, _read(url, markers))
        _held[url] = held
    return held


def _marker(url: str, scope: Scope) -> object:
    held = _markers_now(url)
    if isinstance(scope, OfMeeting):
        if scope.meeting_id not in held.meetings:
            held.meetings[scope.meeting_id] = _read(url, meeting_partnership, scope.meeting_id)
        return held.markers.of(held.meetings[scope.meeting_id])
    return held.markers.of(scope)


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached(key: tuple, _query: Callable[..., R]) -> R:
    """One cache for every query, keyed on (URL, query name, scope and its marker, arguments,
    keyword arguments).

    ``cache_resource``, not ``cache_data``: every session gets the same answer object instead
    of unpickling its own copy on each run (tens of milliseconds for a national flag list).
    The answers are frozen dataclasses and tuples of them; pages only read them. One hashed
    parameter, not four: Streamlit inspects the signature once per parameter on every call.
    """
    url, _name, _marker, args, kwargs = key
    return _read(url, _query, *args, **dict(kwargs))


def _answer(
    url: str, marker: object, scope: Scope, query: Callable[..., R], args: tuple, kwargs: dict
) -> R:
    name = f"{query.__module__}.{query.__qualname__}"
    return _cached((url, name, (scope, marker), args, tuple(sorted(kwargs.items()))), query)


def cached_query(
    query: Callable[..., R], *args: object, scope: Scope = None, **kwargs: object
) -> R:
    """``query(session, *args, **kwargs)``, recomputed only when what ``scope`` covers has
    changed: pass the partnership the answer is about (its code, or ``OfMeeting``), or
    ``COUNTY_FACTS``; the default, None, is the whole store. A scope narrower than what the
    query reads would serve stale answers: the query must read only that partnership's rows
    and county-wide facts."""
    url = database_url()
    return _answer(url, _marker(url, scope), scope, query, args, kwargs)


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _composed(key: tuple, _build: Callable[[], R]) -> R:
    """A county answer composed from the one before it, keyed on (URL, name, the newest
    marker of all, arguments): one look-up while nothing changes anywhere."""
    return _build()


#: The county's flag lists last composed, per (URL, day, names), with the markers they were
#: composed on: the base the next one is refreshed from. A few days' at most are kept.
_county_flags: dict[tuple, tuple[Markers, FlagList]] = {}
COUNTY_FLAG_LISTS = 8
#: More partnerships changed than this share of them (and more than two): the whole store's
#: flags, read at once, are quicker than each changed partnership's.
REFRESH_SHARE = 0.25


def home_figures_for(on: date, partnership: str | None) -> HomeFigures:
    """The home page's figures for ``partnership`` (on its markers), or for the county (None,
    on the newest marker of all: a few counts in one round trip)."""
    return cached_query(home_figures, on, partnership, scope=partnership)


def flag_list_for(on: date, partnership: str | None, *, full_names: bool = False) -> FlagList:
    """``flag_list`` for ``partnership`` (on its markers), or for the county (None): after
    writes in a few partnerships, the county's previous list refreshed with their flags alone
    (``refreshed``), not the whole store's worked out again (issue 13); on a first visit, or
    after a county-wide change or changes in many partnerships, the whole store's.

    Every marker comes from one reading, and the answer is filed under the newest of them: the
    partnerships found changed are exactly those whose markers differ from the base's.
    """
    if partnership is not None:
        return cached_query(flag_list, on, partnership, full_names=full_names, scope=partnership)
    url = database_url()
    now = _markers_now(url).markers
    base_key = (url, on, full_names)

    def build() -> FlagList:
        base = _county_flags.get(base_key)
        changed = None
        if base is not None and base[0].county == now.county:
            codes = set(base[0].partnerships) | set(now.partnerships)
            changed = {c for c in codes if base[0].of(c) != now.of(c)}
        if changed is None or len(changed) > max(REFRESH_SHARE * len(now.partnerships), 2):
            answer = _read(url, flag_list, on, None, full_names=full_names)
        else:
            answer = _read(url, refreshed, base[1], sorted(changed), on, full_names)
        _county_flags[base_key] = (now, answer)
        while len(_county_flags) > COUNTY_FLAG_LISTS:
            _county_flags.pop(next(iter(_county_flags)))
        return answer

    return _composed((url, "flag_list", now.newest, (on, full_names)), build)


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
    with read_session(get_engine(url)) as session:
        meeting_id = item_in_scope(session, viewer, item_id).item.meeting_id
        meeting = meeting_marker(session, meeting_id)

    def view(session, item: int, day: date) -> ItemView:
        return agenda_item_view(session, viewer, item, on=day, full_names=False)

    marker = (_marker(url, OfMeeting(meeting_id)), meeting)
    return _cached((url, "wall_item_view", marker, (item_id, on), ()), view)


def demo_store() -> bool:
    """Is the store the synthetic demo county (banner on, demo accounts listed)? A setting:
    county-wide."""
    return cached_query(is_demo_store, scope=COUNTY_FACTS)


def fresh(query: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``query(session, *args, **kwargs)`` read now, in a read session of its own, not cached:
    for what a live area follows on its own marker (``dashboard.live``), and for a file made
    when its button is clicked, which must hold what the store holds at that moment."""
    with read_session(get_engine()) as session:
        return query(session, *args, **kwargs)


def call(service: Callable[Concatenate[Engine, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``service(engine, *args, **kwargs)``: a ``seips_core`` service, given the store's
    engine. The service checks the actor's right and makes its write one transaction; a
    commit through this engine drops the held change markers, so the next run of every page
    of this process sees the change. Also the account reads (``list_users``), which take the
    engine and are never cached: accounts move no change marker."""
    return service(get_engine(), *args, **kwargs)
