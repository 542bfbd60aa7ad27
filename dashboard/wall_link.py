"""Wall links on screen: made and revoked on the Meetings page, and the room's screen that
opens one (``/projector?wall=TOKEN``) with no one signed in on it.

The screen gets the projector view of the link's meeting and nothing else: no menu, no sidebar
filters, no sign-out, initials only. The sign-in gate (``dashboard.auth``) checks the link on
every run and every live tick; once it has ended, the screen says so in place of the meeting
(``ended_page``) within a tick.
"""

from datetime import UTC, datetime

import streamlit as st

from seips_core.auth.local_time import COUNTY_TIME, clock_time
from seips_core.auth.roles import Actor, Capability
from seips_core.errors import SeipsError
from seips_core.queries.meetings import MeetingRow
from seips_core.services.wall_links import (
    WALL_PARAM,
    WallLinkRow,
    create_wall_link,
    live_wall_links,
    revoke_wall_link,
)

from .meeting_link import MEETING_PARAM
from .navigation import MEETINGS, PROJECTOR, wall_pages
from .state import wall_filters
from .store import call, fresh
from .text import md

#: The link just made, shown in this session to the one who made it (with its meeting) until
#: revoked: (meeting id, link id, address). The store keeps only the token's hash.
_MADE = "_wall_link_made"
_NOTICE = "_wall_link_notice"


def wall_token() -> str | None:
    """The wall link's token in the address, if the screen was opened by one."""
    return st.query_params.get(WALL_PARAM) or None


def wall_screen(actor: Actor) -> st.Page:
    """The page a wall link's screen may run: its meeting's projector view, the meeting put
    in the address (whatever else the address says) and the filters fixed, nothing drawn."""
    meeting = str(actor.wall_meeting)
    if st.query_params.get(MEETING_PARAM) != meeting:
        st.query_params[MEETING_PARAM] = meeting
    wall_filters(next(iter(actor.partnerships)))
    return st.navigation(wall_pages(), position="hidden")


def ended_page(reason: str) -> None:
    """What the room's screen shows once its link has ended: why, and whom to ask."""
    st.title("Wall link ended")
    st.warning(md(reason), icon=":material/cast:")


def _when(moment: datetime) -> str:
    day = moment.astimezone(COUNTY_TIME)
    return f"{clock_time(moment)} on {day.day} {day:%b}"


def _address(token: str) -> str:
    """The link's full address, from the page's own (this page's path taken off)."""
    here = st.context.url
    base = here.removesuffix(f"/{MEETINGS.stem}") if isinstance(here, str) else ""
    return f"{base}/{PROJECTOR.stem}?{WALL_PARAM}={token}"


def _make(actor: Actor, meeting_id: int) -> None:
    try:
        row, token = call(create_wall_link, actor, meeting_id)
    except SeipsError as refused:
        st.session_state[_NOTICE] = str(refused)
    else:
        st.session_state[_MADE] = (meeting_id, row.id, _address(token))


def _revoke(actor: Actor, link: WallLinkRow) -> None:
    try:
        call(revoke_wall_link, actor, link.id)
    except SeipsError as refused:
        st.session_state[_NOTICE] = str(refused)
    made = st.session_state.get(_MADE)
    if made is not None and made[1] == link.id:
        del st.session_state[_MADE]


def _listed(link: WallLinkRow, actor: Actor) -> None:
    said, button = st.columns([4, 1], vertical_alignment="center")
    said.write(
        f"Made by {md(link.made_by)} at {_when(link.created_at)}; ends at {_when(link.expires_at)}."
    )
    if button.button("Revoke", key=f"revoke_wall_link_{link.id}", icon=":material/link_off:"):
        _revoke(actor, link)
        st.rerun()


def wall_links_section(actor: Actor, meeting: MeetingRow) -> None:
    """The Meetings page's wall links for ``meeting``: make one (its address shown once, to
    copy), the live ones with who made them, and a way to revoke each. For those who run
    meetings, while the meeting's day (UK clock) is not over."""
    now = datetime.now(UTC)
    if (
        not actor.may(Capability.EDIT_CASES)
        or meeting.meeting_date < now.astimezone(COUNTY_TIME).date()
    ):
        return
    st.header("Wall link")
    st.caption(
        "For the room's screen: this meeting's projector view, initials only, with no one "
        "signed in on it. Open the link on the room's PC; it ends at midnight after the "
        "meeting's day, or when revoked."
    )
    if notice := st.session_state.pop(_NOTICE, None):
        st.error(md(notice))
    made = st.session_state.get(_MADE)
    if made is not None and made[0] == meeting.id:
        st.success(
            "Copy this link now: the store keeps no copy of it (a lost link: revoke it and "
            "make another).",
            icon=":material/link:",
        )
        st.code(made[2], language=None, wrap_lines=True)
    if st.button("Make a wall link", icon=":material/cast:"):
        _make(actor, meeting.id)
        st.rerun()
    links = fresh(live_wall_links, actor, meeting.id, now=now)
    if not links:
        st.caption("No wall link is open for this meeting.")
    for link in links:
        _listed(link, actor)
