"""Wall links: the room's screen shows one meeting's projector view with no one signed in on it.

A co-ordinator, chair or county admin of the meeting's partnership makes a link
(``/projector?wall=TOKEN``) on the Meetings page and opens it on the room's PC. The token is
signed and random (``auth.signed_tokens``), stored only as a hash, and shown once. It lets the
screen read that one meeting as a viewer of its partnership would, by initials only
(``wall_actor``: ``auth.scope`` refuses it any other meeting, and a viewer writes nothing). It
never idles out and survives a reload, as it is in the address; it ends at midnight after the
meeting's day (UK clock) or when revoked, and a screen showing it is told so within a live
tick (``check_wall_link``).

Making and revoking are audited changes, checked against the maker's partnerships.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlmodel import Session

from ..auth.local_time import start_of_day
from ..auth.roles import Actor, Capability, Role, require
from ..auth.scope import meeting_in_scope
from ..auth.signed_tokens import checked_hash, new_token
from ..concurrency import locked, retried, who_at
from ..db import read_session, write_session
from ..errors import Conflict, InvalidValue, SeipsError
from ..models import Meeting, Partnership, User, WallLink
from ..rules.flag import when

PURPOSE = "wall"
WALL_PARAM = "wall"
ASK = "Ask the co-ordinator for a new one."
NOT_RECOGNISED = f"This wall link is not recognised. {ASK}"


class WallLinkEnded(SeipsError):
    """A wall link that no longer opens its meeting: the message says why, for the room."""


@dataclass(frozen=True)
class WallLinkRow:
    """A live link as the Meetings page lists it (never its token)."""

    id: int
    meeting_id: int
    made_by: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class WallPass:
    """What a wall link lets a screen see: the link (to check it again) and its meeting."""

    link_id: int
    meeting_id: int
    actor: Actor


def meeting_ends(meeting_date: date) -> datetime:
    """When a wall link for a meeting on ``meeting_date`` ends: midnight after it, UK clock."""
    return start_of_day(meeting_date + timedelta(days=1))


def wall_actor(link_id: int, meeting_id: int, partnership: str) -> Actor:
    """The screen's actor: a viewer of the meeting's partnership, held to that one meeting."""
    return Actor(
        email=f"wall-link-{link_id}",
        display_name="Wall link",
        role=Role.VIEWER,
        partnerships=frozenset({partnership}),
        wall_meeting=meeting_id,
    )


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


@retried
def create_wall_link(
    engine: Engine, by: Actor, meeting_id: int, *, now: datetime | None = None
) -> tuple[WallLinkRow, str]:
    """A new link to meeting ``meeting_id``'s projector view, and its token (shown once).

    Refused for a meeting whose day is over: there is nothing left to show the room.
    """
    require(by, Capability.EDIT_CASES, doing="make wall links")
    now = _now(now)
    # The token first: its key may need a write of its own the first time.
    token, token_hash = new_token(engine, PURPOSE)
    with write_session(by.email, engine) as session:
        meeting, _code = meeting_in_scope(session, by, meeting_id)
        expires_at = meeting_ends(meeting.meeting_date)
        if expires_at <= now:
            raise InvalidValue(
                f"Meeting: its day ({when(meeting.meeting_date)}) is over, so a wall link "
                "would have nothing to show."
            )
        link = WallLink(
            meeting_id=meeting_id,
            token_hash=token_hash,
            created_by=by.email,
            created_at=now,
            expires_at=expires_at,
        )
        session.add(link)
        session.flush()
        return _row(session, link), token


@retried
def revoke_wall_link(
    engine: Engine, by: Actor, link_id: int, *, now: datetime | None = None
) -> None:
    """End link ``link_id`` now: a screen showing it says so within a live tick."""
    require(by, Capability.EDIT_CASES, doing="revoke wall links")
    with write_session(by.email, engine) as session:
        link = locked(session, WallLink, link_id)
        if link is None:
            raise InvalidValue(f"Wall link: there is no wall link {link_id}.")
        meeting_in_scope(session, by, link.meeting_id)
        if link.revoked_at is not None:
            who = who_at(session, link.revoked_by or "", link.revoked_at)
            raise Conflict(f"Wall link: already revoked by {who}.")
        link.revoked_at, link.revoked_by = _now(now), by.email


def live_wall_links(
    session: Session, viewer: Actor, meeting_id: int, *, now: datetime | None = None
) -> tuple[WallLinkRow, ...]:
    """The meeting's links that still open it, oldest first, for those who may make them."""
    require(viewer, Capability.EDIT_CASES, doing="see wall links")
    meeting_in_scope(session, viewer, meeting_id)
    links = session.scalars(
        select(WallLink)
        .where(
            WallLink.meeting_id == meeting_id,
            WallLink.revoked_at.is_(None),
            WallLink.expires_at > _now(now),
        )
        .order_by(WallLink.id)
    )
    return tuple(_row(session, link) for link in links)


def _row(session: Session, link: WallLink) -> WallLinkRow:
    name = session.scalars(select(User.display_name).where(User.email == link.created_by)).first()
    return WallLinkRow(
        link.id, link.meeting_id, name or link.created_by, link.created_at, link.expires_at
    )


def verify_wall_link(engine: Engine, presented: str, *, now: datetime | None = None) -> WallPass:
    """What the token ``presented`` (from the address) opens, or ``WallLinkEnded`` saying why
    not: not recognised (forged, altered, unknown), revoked (by whom, when), or the meeting over.
    """
    token_hash = checked_hash(engine, PURPOSE, presented)
    if token_hash is None:
        raise WallLinkEnded(NOT_RECOGNISED)
    with read_session(engine) as session:
        found = session.execute(
            select(WallLink, Partnership.code)
            .join(Meeting, Meeting.id == WallLink.meeting_id)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(WallLink.token_hash == token_hash)
        ).first()
        if found is None:
            raise WallLinkEnded(NOT_RECOGNISED)
        link, code = found
        _still_live(session, link, _now(now))
    return WallPass(link.id, link.meeting_id, wall_actor(link.id, link.meeting_id, code))


def check_wall_link(engine: Engine, link_id: int, *, now: datetime | None = None) -> None:
    """``WallLinkEnded`` if link ``link_id`` was revoked or its meeting is over: one lookup by
    id, for every run and every live tick of the screen."""
    with read_session(engine) as session:
        link = session.get(WallLink, link_id)
        if link is None:
            raise WallLinkEnded(NOT_RECOGNISED)
        _still_live(session, link, _now(now))


def _still_live(session: Session, link: WallLink, now: datetime) -> None:
    if link.revoked_at is not None:
        who = who_at(session, link.revoked_by or "", link.revoked_at)
        raise WallLinkEnded(f"This wall link has ended: revoked by {who}. {ASK}")
    if link.expires_at <= now:
        raise WallLinkEnded(f"This wall link has ended: the meeting is over. {ASK}")
