"""The sign-in cookie: what lets a person's sign-in outlive a reload (F5 starts a new Streamlit
session, which knows nothing of the last).

Streamlit cannot set a cookie from the server, so the page sets it with one line of JavaScript,
run in the page itself (``st.html(..., unsafe_allow_javascript=True)`` is not framed):
``seips_session=TOKEN; Path=/; Max-Age=<absolute limit>; SameSite=Strict``, plus ``Secure``
when the page came over https. The browser sends it with the WebSocket handshake of the next
session, where ``st.context.cookies`` reads it. The token is random and signed, and the store
keeps only its hash (``seips_core.auth.browser_sessions``), which decides whether it still
stands: forged, signed out, idle or past the absolute limit, it is refused there.

A cookie set by JavaScript cannot be ``HttpOnly``: a script injected into the page could read
it. The dashboard runs no script but its own (stored text reaches the page only as escaped
Markdown, ``dashboard.text``), the token is worth one session that ends when idle, at the
absolute limit, at sign-out, or when a county admin ends it, and ``SameSite=Strict`` keeps it
off every request another site starts.

Setting or clearing is asked for during a run (a sign-in, a sign-out callback) and drawn by the
shell on the next full run (``flush``): a run ending in ``st.rerun`` never reaches the browser.
The script's element is hidden, so it takes no room on the page.
"""

import json
from datetime import timedelta

import streamlit as st

COOKIE = "seips_session"
_PENDING = "_cookie_pending"
_HIDDEN = "seips_cookie"


def sent() -> str | None:
    """The cookie as this session's browser sent it when the session began (None: none)."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and value else None


def _ask(value: str, max_age: int) -> None:
    assignment = f"{COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Strict"
    st.session_state[_PENDING] = (
        f"document.cookie = {json.dumps(assignment)}"
        ' + (location.protocol === "https:" ? "; Secure" : "");'
    )


def keep(token: str, lasting: timedelta) -> None:
    """Have the browser keep ``token`` for at most ``lasting`` (the session's absolute limit)."""
    _ask(token, int(lasting.total_seconds()))


def forget() -> None:
    """Have the browser drop the cookie (signed out: the store refuses it anyway)."""
    _ask("", 0)


def flush() -> None:
    """Draw the script asked for since the last full run, if any, out of sight."""
    script = st.session_state.pop(_PENDING, None)
    if script is None:
        return
    st.html(f"<style>.st-key-{_HIDDEN} {{display: none}}</style>")
    with st.container(key=_HIDDEN):
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
