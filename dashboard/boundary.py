"""The shell's one error boundary: a user sees a plain message and a reference, never internals.

A page's unexpected error is logged on the server in full (traceback included) under a short
reference, and the user gets the reference with a plain message: no traceback, file path or
SQL reaches the browser. (Errors outside the boundary, such as in a widget's callback, are
redacted by Streamlit's ``client.showErrorDetails = "none"``.) A ``SeipsError`` is written for
users (the store is busy, a change not allowed): its own message is shown instead.
"""

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from seips_core.errors import SeipsError

from .text import md

LOG = logging.getLogger("seips.dashboard")
#: How every failure message starts, so that a test can tell one from a page's own error.
FAILED = "Sorry, this page could not be shown"


def _log_to_stderr() -> None:
    """The server's log (stderr, beside Streamlit's own) gets the tracebacks, with a time."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)


@contextmanager
def error_boundary() -> Iterator[None]:
    """Run the page inside: its uncaught error becomes a plain message (Streamlit's own
    control flow, ``st.rerun`` and ``st.stop``, are no ``Exception`` and pass through)."""
    try:
        yield
    except SeipsError as refused:
        st.error(md(refused))
    except Exception:
        reference = secrets.token_hex(4)
        _log_to_stderr()
        LOG.exception("Page failed, reference %s", reference)
        st.error(
            f"{FAILED}: something went wrong in the dashboard. Nothing you saved is lost. "
            f"Try again; if it happens again, tell your system administrator the reference "
            f"{reference}.",
            icon=":material/error:",
        )
