"""Who viewed a pupil's named record (issue 16): the names each page run shows, logged cheaply.

A page that draws pupils' names (projection mode off) says which pupils it drew in this run
(``names_shown`` with its rows, ``labels_shown`` with the labels of a table's shown slice), and
a download with names says whose names its file holds when it is made (``logged_download``).
What counts as drawn is what reached the browser: the rows of the page of a table that is
shown, not the whole list behind it; every option of a pupil selectbox, as the browser holds
them all. In projection mode (initials only) nothing is logged: no name is shown.

Cheap, because a wall reruns twice a second and a list page on every click:

- A view is logged once per browser session (Streamlit's), pupil, page and kind in a
  ``WINDOW``: a rerun within it costs a dictionary look-up per pupil shown, and no write.
- Views wait in a buffer shared by the server process, and go to the store in one
  transaction per store (``services.record_views``) every ``FLUSH_EVERY`` seconds from a
  background thread, sooner once ``FLUSH_AT`` are waiting, and at the process's exit.
- A batch that fails to write is kept and tried again at the next flush, and the failure is
  logged as an error: nothing is lost silently. ``reset`` (tests) drops what waits, and a
  write failing after it does not bring its batch back.
"""

import atexit
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar

import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.auth import current_actor
from dashboard.state import current_filters
from dashboard.widgets import named_case_ref
from seips_core.db import get_engine
from seips_core.models.choices import VIEW_KINDS
from seips_core.services.record_views import View, record_views

NAMES_SHOWN, DOWNLOAD = VIEW_KINDS
#: One entry per session, pupil, page and kind in this many seconds.
WINDOW = 600.0
#: Seconds between the background flushes.
FLUSH_EVERY = 5.0
#: Waiting views that bring the next flush forward.
FLUSH_AT = 1_000
#: Where the app shell keeps the title of the page this run draws (``on_page``).
PAGE_KEY = "_read_log_page"
#: ``RecordView.page``'s length.
_PAGE_CHARS = 60

#: Beside the pages' failures, in the server's log (``boundary``'s handler).
LOG = logging.getLogger("seips.dashboard.read_log")
Made = TypeVar("Made")


class Labelled(Protocol):
    """A row a page draws a pupil from: the case reference, and the name (or initials, or
    None when the viewer may not read the pupil) the query gave."""

    @property
    def case_ref(self) -> str: ...

    @property
    def label(self) -> str | None: ...


@dataclass(frozen=True)
class Reader:
    """Who is reading, where: what each view logged in a run has in common."""

    engine: Engine
    actor: str
    session: str
    page: str


class _Log:
    """The process's views waiting to be written, and when each was last logged."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[Engine, list[View]] = {}
        self.waiting = 0
        #: (session, page, kind) → case reference → when it was last logged (monotonic).
        self.logged: dict[tuple[str, str, str], dict[str, float]] = {}
        #: Bumped by ``reset``: a batch taken before it is not put back after a failure.
        self.generation = 0
        self.wake = threading.Event()
        self.flusher: threading.Thread | None = None


_log = _Log()


def on_page(title: str) -> None:
    """Remember the page this run draws, by its menu title (the app shell calls it)."""
    st.session_state[PAGE_KEY] = title[:_PAGE_CHARS]


def _reader() -> Reader:
    context = get_script_run_ctx()
    return Reader(
        engine=get_engine(),
        actor=current_actor().email,
        session=context.session_id if context else "",
        page=st.session_state.get(PAGE_KEY, ""),
    )


def named_refs(rows: Iterable[Labelled]) -> Iterator[str]:
    """The case references of ``rows`` that carry a label (the pupil's name, names on)."""
    return (row.case_ref for row in rows if row.label)


def labelled_refs(labels: Iterable[str]) -> Iterator[str]:
    """The case references of the ``widgets.pupil_label`` texts (a table's column) that carry
    a label; bare case references, schools and providers are passed over."""
    return (ref for ref in map(named_case_ref, labels) if ref)


def names_shown(rows: Iterable[Labelled]) -> None:
    """This run drew ``rows``' pupils by name: log those with a label, if names are on."""
    if current_filters().full_names:
        _record(_reader(), named_refs(rows), NAMES_SHOWN)


def labels_shown(labels: Iterable[str]) -> None:
    """This run drew these pupil labels (``widgets.pupil_label``, as in a table's column):
    log the pupils named in them, if names are on."""
    if current_filters().full_names:
        _record(_reader(), labelled_refs(labels), NAMES_SHOWN)


def logged_download(
    make: Callable[[], Made], case_refs: Callable[[], Iterable[str]]
) -> Callable[[], Made]:
    """``make`` for a download button, logging the pupils named in the file (``case_refs``,
    asked only then) as downloaded once it is made: on the click, outside the page's run, so
    who and where are taken now. In projection mode the file holds initials only, and
    ``make`` is handed back as it is."""
    if not current_filters().full_names:
        return make
    reader = _reader()

    def make_and_log() -> Made:
        made = make()
        _record(reader, case_refs(), DOWNLOAD)
        return made

    return make_and_log


def _record(reader: Reader, case_refs: Iterable[str], kind: str) -> None:
    """Buffer a view of each of ``case_refs`` not logged for the reader in the ``WINDOW``."""
    now = time.monotonic()
    with _log.lock:
        logged = _log.logged.setdefault((reader.session, reader.page, kind), {})
        fresh = []
        for case_ref in case_refs:
            last = logged.get(case_ref)
            if last is None or now - last >= WINDOW:
                logged[case_ref] = now
                fresh.append(case_ref)
        if not fresh:
            return
        at = datetime.now(UTC)
        _log.pending.setdefault(reader.engine, []).extend(
            View(at, reader.actor, case_ref, reader.page, kind) for case_ref in fresh
        )
        _log.waiting += len(fresh)
        full = _log.waiting >= FLUSH_AT
    _start_flusher()
    if full:
        _log.wake.set()


def flush() -> int:
    """Write every waiting view now, a transaction per store; the number written. A batch
    that fails is kept for the next flush, and the failure logged."""
    with _log.lock:
        batches, _log.pending, _log.waiting = _log.pending, {}, 0
        generation = _log.generation
        _forget_old(time.monotonic())
    written = 0
    for engine, views in batches.items():
        try:
            written += record_views(engine, views)
        except Exception:  # the flusher must outlive any failure, and keep the views
            LOG.exception("Could not log %d views of named records: kept to try again", len(views))
            with _log.lock:
                if _log.generation == generation:
                    _log.pending.setdefault(engine, [])[:0] = views
                    _log.waiting += len(views)
    return written


def _forget_old(now: float) -> None:
    """Drop the times past the ``WINDOW``: a view then is logged again anyway."""
    for key, logged in list(_log.logged.items()):
        for case_ref, last in list(logged.items()):
            if now - last >= WINDOW:
                del logged[case_ref]
        if not logged:
            del _log.logged[key]


def waiting() -> int:
    """How many views wait to be written."""
    return _log.waiting


def reset() -> None:
    """Forget every waiting view and every time logged (a test's end: nothing carries over)."""
    with _log.lock:
        _log.pending, _log.waiting, _log.logged = {}, 0, {}
        _log.generation += 1


def _flush_forever() -> None:
    while True:
        _log.wake.wait(FLUSH_EVERY)
        _log.wake.clear()
        flush()


def _start_flusher() -> None:
    """Start the background flush on the first view logged (once per process)."""
    if _log.flusher is not None:
        return
    with _log.lock:
        if _log.flusher is None:
            _log.flusher = threading.Thread(target=_flush_forever, name="read-log", daemon=True)
            _log.flusher.start()
            atexit.register(flush)
