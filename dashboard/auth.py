"""Who is at the keyboard: sign-in (local accounts or the council's single sign-on), session
expiry and sign-out. ``current_session`` is the gate every run passes before any page is drawn.

``SEIPS_AUTH`` chooses the mode: ``local`` (default; email and password checked by
``seips_core.auth.accounts.authenticate``, which throttles wrong passwords by email and by the
browser's address) or ``oidc`` (Streamlit's ``st.login`` with the provider set in
``.streamlit/secrets.toml``; the email it vouches for is mapped to an account by
``actor_for_oidc_user``). Either way the signed-in ``Actor`` and the times of sign-in and of
the last run are kept in the session, and every run asks ``expired`` whether the session has
ended and the store (``seips_core.auth.accounts.current_actor``) whether the account still
stands as it was: a removed account or ended sessions sign the person out; a new role or new
partnerships replace the kept ``Actor`` and are said once.

A sign-in outlives a reload: it is also a row of the store (``browser_sessions``) whose token
the browser keeps in a cookie (``dashboard.browser_cookie``), and a new session picks it up
with its times, so the limits run on. Signing out ends the row, in every tab. A wall link in
the address (``?wall=``) instead lets the room's screen in as its meeting's read-only viewer,
with no idle limit, until the link is revoked or the meeting is over (``dashboard.wall_link``).
"""

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from seips_core.auth import accounts, browser_sessions
from seips_core.auth.accounts import actor_for_oidc_user, authenticate
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.errors import SessionEnded, SignInRefused
from seips_core.auth.roles import Actor
from seips_core.auth.sessions import SessionPolicy, expired
from seips_core.db import get_engine
from seips_core.errors import SeipsError
from seips_core.services.wall_links import WallLinkEnded, check_wall_link, verify_wall_link

from . import browser_cookie
from .boundary import LOG
from .recent import Recent
from .store import demo_store
from .text import md
from .wall_link import ended_page, wall_token

LOCAL, OIDC = "local", "oidc"
#: Where the signed-in user is kept in ``st.session_state``.
SIGNED_IN_KEY = "_signed_in"
#: Why the last session ended, said once on the sign-in page.
_ENDED_KEY = "_session_ended"
#: Why the wall link this screen was opened by has ended, said in place of the meeting.
_WALL_ENDED_KEY = "_wall_link_ended"
#: Set once this session has looked for a sign-in to carry over (wall link, cookie).
_CARRIED_KEY = "_sign_in_carried"
#: Streamlit's ``st.login`` needs these in ``[auth]`` (or its provider's section).
OIDC_SHARED_SETTINGS = ("redirect_uri", "cookie_secret")
OIDC_PROVIDER_SETTINGS = ("client_id", "client_secret", "server_metadata_url")
POLICY = SessionPolicy()
#: Writes the signed-in browsers' activity, one at a time, off the pages' runs.
_ACTIVITY = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seips-activity")
#: The sign-in form's width in pixels: an email address fits, the eye need not travel.
SIGN_IN_WIDTH = 560
#: How long a live tick trusts the store's word that a session stands (``session_stands``).
STANDING_SECONDS = 2.0
_STANDING: Recent[Actor | None] = Recent(STANDING_SECONDS)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SignedIn:
    """The signed-in user and the two times that decide when the session ends."""

    actor: Actor
    signed_in_at: datetime
    last_seen: datetime
    #: The browser's session in the store, which a reload picks up (None: none, as for the
    #: sessions page tests make), and when its activity was last written there.
    browser: int | None = None
    written: datetime | None = None
    #: The wall link the room's screen was opened by (None: a person signed in).
    wall: int | None = None

    @classmethod
    def starting(cls, actor: Actor) -> "SignedIn":
        """A session of ``actor`` that starts now."""
        now = _now()
        return cls(actor, now, now)


def auth_mode() -> str:
    """``SEIPS_AUTH``: "local" (the default) or "oidc"; anything else is a set-up mistake."""
    mode = os.environ.get("SEIPS_AUTH", LOCAL).strip().lower() or LOCAL
    if mode not in (LOCAL, OIDC):
        raise ValueError(f"SEIPS_AUTH must be {LOCAL!r} or {OIDC!r}, not {mode!r}.")
    return mode


def oidc_provider() -> str | None:
    """The named provider (``[auth.NAME]``) of ``SEIPS_OIDC_PROVIDER``; None for ``[auth]``."""
    return os.environ.get("SEIPS_OIDC_PROVIDER") or None


def missing_oidc_settings(secrets: Mapping[str, object], provider: str | None = None) -> list[str]:
    """The settings ``st.login`` needs that ``secrets`` lacks, as ``auth.client_id`` etc.

    Pure, so that the refusal to start without them is tested on plain dictionaries.
    """
    auth = secrets.get("auth")
    auth = auth if isinstance(auth, Mapping) else {}
    section = auth.get(provider) if provider else auth
    section = section if isinstance(section, Mapping) else {}
    where = f"auth.{provider}" if provider else "auth"
    return [f"auth.{key}" for key in OIDC_SHARED_SETTINGS if not auth.get(key)] + [
        f"{where}.{key}" for key in OIDC_PROVIDER_SETTINGS if not section.get(key)
    ]


def _configured_secrets() -> Mapping[str, object]:
    """``st.secrets`` (secrets.toml, or the files and folders that ``secrets.files`` names);
    empty when there are none."""
    return st.secrets if st.secrets.load_if_toml_exists() else {}


def refuse_unsafe_start(mode: str, demo: bool) -> None:
    """Stop, drawing nothing but the reason, if single sign-on is chosen for real data but
    not configured: the app never falls back to a weaker sign-in by itself."""
    if mode != OIDC or demo:
        return
    missing = missing_oidc_settings(_configured_secrets(), oidc_provider())
    if missing:
        st.error(
            "The dashboard cannot start: SEIPS_AUTH is 'oidc' but single sign-on is not set "
            f"up. Add {', '.join(missing)} to .streamlit/secrets.toml "
            "(see .streamlit/secrets.toml.example)."
        )
        st.stop()


def _sign_in(actor: Actor) -> None:
    """Keep ``actor`` signed in, in this session and in the browser's cookie."""
    now = _now()
    browser, token = browser_sessions.start(get_engine(), actor, now=now, policy=POLICY)
    st.session_state[SIGNED_IN_KEY] = SignedIn(actor, now, now, browser=browser, written=now)
    browser_cookie.keep(token, POLICY.absolute)
    st.session_state.pop(_ENDED_KEY, None)


def sign_out(reason: str | None = None) -> None:
    """End the session, in the store too, and drop the cookie; with single sign-on also forget
    the provider's identity cookie (``st.logout``), or it would sign the person straight back
    in and the limits and a county admin's ending of sessions would count for nothing."""
    signed_in: SignedIn | None = st.session_state.pop(SIGNED_IN_KEY, None)
    if signed_in is not None and signed_in.browser is not None:
        browser_sessions.end(get_engine(), signed_in.browser, signed_in.actor.email)
    browser_cookie.forget()
    if reason:
        st.session_state[_ENDED_KEY] = reason
    if auth_mode() == OIDC and st.user.get("is_logged_in"):
        st.logout()


def current_session() -> SignedIn | None:
    """The signed-in user, if the session is still valid; its last activity moved to now and
    its ``Actor`` as the store has the account now.

    An expired session, or one whose account was removed or whose sessions a county admin
    ended, is signed out here, and its reason kept for the sign-in page. A role or partnerships
    changed since the last run apply from this run on, and the person is told once: refreshed
    rather than signed out, so that a co-ordinator given another partnership mid-meeting keeps
    her place and what she has typed (a narrower role takes effect just as fast). A widget's
    callback, which runs before the gate, calls this too before it writes.
    """
    signed_in: SignedIn | None = st.session_state.get(SIGNED_IN_KEY) or _carried_over()
    if signed_in is None:
        return None
    if signed_in.wall is not None:
        return _wall_stands(signed_in)
    now = _now()
    reason = expired(signed_in.signed_in_at, signed_in.last_seen, now, POLICY)
    if reason:
        sign_out(reason)
        return None
    try:
        actor = _read_back(signed_in)
    except SessionEnded as ended:
        sign_out(str(ended))
        return None
    if actor != signed_in.actor:
        st.info(
            f"A county admin has changed your account: you are now {md(actor.described)}. "
            "The menu and what you may do follow the change.",
            icon=":material/manage_accounts:",
        )
    written = signed_in.written
    if signed_in.browser is not None and written is not None and browser_sessions.due(written, now):
        _ACTIVITY.submit(_write_activity, signed_in.browser, now)
        written = now
    signed_in = replace(signed_in, actor=actor, last_seen=now, written=written)
    st.session_state[SIGNED_IN_KEY] = signed_in
    return signed_in


def _write_activity(browser: int, now: datetime) -> None:
    """Write the browser's activity, off the run: a busy store (an import on SQLite holds the
    one write lock) must not hold up the page. A write that fails is tried again a minute on;
    meanwhile a reload may find the session idle a minute early."""
    try:
        browser_sessions.touch(get_engine(), browser, now=now)
    except (SeipsError, SQLAlchemyError):
        LOG.warning("Activity of browser session %s not written", browser, exc_info=True)


def _carried_over() -> SignedIn | None:
    """A new session's sign-in carried over from the address's wall link, else from the
    browser's cookie (a reload). Looked for once per session: after signing out, the cookie
    the session began with is not taken up again."""
    if st.session_state.get(_CARRIED_KEY):
        return None
    st.session_state[_CARRIED_KEY] = True
    if (token := wall_token()) is not None:
        return _wall_opened(token)
    cookie = browser_cookie.sent()
    if cookie is None:
        return None
    try:
        resumed = browser_sessions.resume(get_engine(), cookie, policy=POLICY)
    except SessionEnded as ended:
        sign_out(str(ended))
        return None
    signed_in = SignedIn(
        resumed.actor, resumed.signed_in_at, _now(),
        browser=resumed.session_id, written=resumed.last_seen,
    )  # fmt: skip
    st.session_state[SIGNED_IN_KEY] = signed_in
    return signed_in


def _wall_opened(token: str) -> SignedIn | None:
    """The room's screen let in by the wall link ``token``; None, and why, if it has ended."""
    try:
        wall = verify_wall_link(get_engine(), token)
    except WallLinkEnded as ended:
        st.session_state[_WALL_ENDED_KEY] = str(ended)
        return None
    now = _now()
    signed_in = SignedIn(wall.actor, now, now, wall=wall.link_id)
    st.session_state[SIGNED_IN_KEY] = signed_in
    return signed_in


def _wall_stands(signed_in: SignedIn) -> SignedIn | None:
    """The wall's session while its link stands (no idle limit: nobody touches a wall)."""
    try:
        check_wall_link(get_engine(), signed_in.wall)
    except WallLinkEnded as ended:
        st.session_state.pop(SIGNED_IN_KEY, None)
        st.session_state[_WALL_ENDED_KEY] = str(ended)
        return None
    return signed_in


def session_stands() -> bool:
    """Does the kept session still match the store (not removed, not ended, same role and
    partnerships; a wall's link not revoked, its meeting not over)? For a live fragment's
    timed rerun, which skips the gate: when it does not, the fragment reruns the whole page,
    whose gate signs out, refreshes or ends the wall and says why. Not activity: it leaves the
    idle clock alone, and a person's screen left idle past the limit stops showing the
    meeting at its next tick instead of updating on (a wall link's screen never idles).

    The store's answer is shared by every tab of the session's browser and held for
    ``STANDING_SECONDS`` (``dashboard.recent``): a sign-out, a revoked link or a changed
    account made on this server is seen at the next tick, one made elsewhere within those
    seconds. The gate itself (``current_session``) always asks the store.
    """
    signed_in: SignedIn | None = st.session_state.get(SIGNED_IN_KEY)
    if signed_in is None:
        return False
    if signed_in.wall is None and expired(
        signed_in.signed_in_at, signed_in.last_seen, _now(), POLICY
    ):
        return False
    # Every screen of a wall link shares the link's answer; a person's depends on the browser
    # and on when the session began (a county admin ends sessions begun before a moment).
    key = (
        ("wall", signed_in.wall)
        if signed_in.wall is not None
        else (signed_in.browser, signed_in.actor.email, signed_in.signed_in_at)
    )
    return _STANDING.get(get_engine(), key, lambda: _stands_in_store(signed_in)) == signed_in.actor


def _stands_in_store(signed_in: SignedIn) -> Actor | None:
    """The session's ``Actor`` as the store has it now (a wall's as it was let in, while its
    link stands); None once it has ended."""
    try:
        if signed_in.wall is not None:
            check_wall_link(get_engine(), signed_in.wall)
            return signed_in.actor
        return _read_back(signed_in)
    except (SessionEnded, WallLinkEnded):
        return None


def _read_back(signed_in: SignedIn) -> Actor:
    """The session's account as the store has it now (``SessionEnded`` if it is over, or the
    browser signed out in another tab)."""
    if signed_in.browser is not None:
        browser_sessions.check_open(get_engine(), signed_in.browser)
    return accounts.current_actor(get_engine(), signed_in.actor.email, signed_in.signed_in_at)


def _sign_in_heading() -> None:
    st.title("Sign in")
    ended = st.session_state.pop(_ENDED_KEY, None)
    if ended:
        st.info(ended)


def client_address() -> str | None:
    """The browser's IP address as the server sees it (``st.context.ip_address``): None on
    ``localhost`` and wherever Streamlit knows none (AppTest hands back a stand-in object).

    Behind a reverse proxy it is the proxy's address unless the proxy passes the client's on;
    the throttle then counts everyone as one address, and an address an account signed in
    from before still spares its owner the address's wait.
    """
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def local_sign_in_page() -> None:
    """Email and password (Enter submits); a refusal is said as ``authenticate`` words it."""
    _sign_in_heading()
    # Cleared once submitted: a refused password does not wait in the field on a shared laptop.
    with st.form("sign_in", enter_to_submit=True, clear_on_submit=True, width=SIGN_IN_WIDTH):
        email = st.text_input("Email address", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            actor = authenticate(get_engine(), email, password, address=client_address())
        except SignInRefused as refused:
            st.error(str(refused))
        else:
            _sign_in(actor)
            st.rerun()
    if demo_store():
        demo_accounts()


def demo_accounts() -> None:
    """The demo store's accounts, passwords included: they are synthetic and shown only when
    the store is a demo store."""
    st.subheader("Demo accounts")
    st.caption("For trying the dashboard on the synthetic county only; never on real data.")
    st.table(
        {
            "Email address": [account.email for account in DEMO_ACCOUNTS],
            "Role": [account.role.label for account in DEMO_ACCOUNTS],
            "Partnerships": [
                ", ".join(sorted(account.partnerships)) or "All" for account in DEMO_ACCOUNTS
            ],
            "Password": [account.password for account in DEMO_ACCOUNTS],
        },
        hide_index=True,
        border="horizontal",
    )


def oidc_sign_in_page() -> None:
    """The council's single sign-on: a button to its sign-in page; on return, the account
    for the email it vouches for, or the refusal and a way to sign out."""
    _sign_in_heading()
    if not st.user.get("is_logged_in"):
        st.button(
            "Sign in with your council account",
            type="primary",
            on_click=st.login,
            args=(oidc_provider() or "default",),
        )
        return
    try:
        actor = actor_for_oidc_user(get_engine(), str(st.user.get("email") or ""))
    except SignInRefused as refused:
        st.error(str(refused))
        st.button("Sign out", on_click=st.logout)
        return
    _sign_in(actor)
    st.rerun()


def sign_in_pages(addresses: Iterable[str]) -> list[st.Page]:
    """What a signed-out visitor can reach: the sign-in page, whatever address they asked for.

    It answers at the home address and at every page's own address too (``addresses``), so a
    link to a page (the room's PC opening ``/projector?meeting=12``) shows the sign-in page,
    not "page not found", and once signed in the same address, query included, opens the
    page asked for. A screen whose wall link has ended gets why instead, and no form: the
    room is looking at it.
    """
    ended = st.session_state.get(_WALL_ENDED_KEY)
    if ended is None:
        title, icon = "Sign in", ":material/login:"
        draw = oidc_sign_in_page if auth_mode() == OIDC else local_sign_in_page
    else:
        title, icon = "Wall link ended", ":material/cast:"

        def draw() -> None:
            ended_page(ended)

    return [
        st.Page(draw, title=title, icon=icon, default=True),
        *(st.Page(draw, title=title, icon=icon, url_path=address) for address in addresses),
    ]


def sign_out_button(actor: Actor) -> None:
    """Who is signed in, as what, and the way out, at the foot of the sidebar."""
    with st.sidebar:
        st.caption(f"Signed in as **{md(actor.display_name)}** ({actor.role.label})")
        st.button("Sign out", on_click=sign_out, icon=":material/logout:")


def current_actor() -> Actor:
    """The signed-in user of this run (pages run only once the gate has let them in)."""
    return st.session_state[SIGNED_IN_KEY].actor
