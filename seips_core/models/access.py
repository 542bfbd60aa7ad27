"""Ways in that outlive one Streamlit session: a person's signed-in browser (a reload keeps
them signed in) and a meeting's wall link (the room's screen, with no personal sign-in).

Only a hash of each token is stored: the store, a backup of it or the audit trail never holds
what a browser presents. ``seips_core.auth.browser_sessions`` and
``seips_core.services.wall_links`` write these rows.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

#: SHA-256 of a token, hex: marked secret so that the audit trail says only "(set)".
_TOKEN_HASH = {"max_length": 64, "unique": True, "sa_column_kwargs": {"info": {"audit": "secret"}}}


class BrowserSession(SQLModel, table=True):
    """One browser signed in as one account: begun at sign-in, ended at sign-out.

    The idle and absolute limits (``seips_core.auth.sessions``) are checked against these
    times when a reload picks the session up again. Not versioned: a row changes only by its
    own browser (activity) or sign-out, and a stale write could only end it sooner.
    """

    __tablename__ = "browser_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(**_TOKEN_HASH)
    user_id: int = Field(foreign_key="dashboard_user.id", index=True)
    signed_in_at: datetime
    #: The last activity written (at most once a minute, so a live screen's ticks never write).
    last_seen: datetime
    #: Signed out (None while open); a row past the absolute limit is deleted.
    ended_at: datetime | None = None


class WallLink(SQLModel, table=True):
    """A read-only link to one meeting's projector view for the room's screen: made by a
    co-ordinator, chair or county admin of the meeting's partnership, ending with the meeting's
    day (``expires_at``) or when revoked, whichever comes first."""

    __tablename__ = "wall_link"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    token_hash: str = Field(**_TOKEN_HASH)
    created_by: str = Field(max_length=254)
    created_at: datetime
    #: Midnight at the end of the meeting's day, on the UK clock.
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = Field(default=None, max_length=254)


class SigningKey(SQLModel, table=True):
    """The key that signs the tokens above, made once per store unless ``SEIPS_COOKIE_SECRET``
    gives one: every server process of the store signs and checks alike. Never exported, never
    audited (written by a plain statement)."""

    __tablename__ = "signing_key"

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=40, unique=True)
    key: str = Field(max_length=100)
