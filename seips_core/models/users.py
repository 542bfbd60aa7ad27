"""The people who may sign in, their role and the partnerships whose data they see."""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import Versioned
from .choices import one_of

#: The roles, least to most: ``seips_core.auth.roles.Role`` names the same four.
ROLES = ("viewer", "coordinator", "chair", "county_admin")


class User(Versioned, table=True):
    """An account: local (with a password hash) or single sign-on only (no hash).

    The table is not called ``user``: that word is reserved in PostgreSQL, and the raw SQL of
    bulk loads (``setval``, ``ANALYZE``) would need quoting everywhere.
    """

    __tablename__ = "dashboard_user"
    __table_args__ = (
        one_of("role", ROLES, "ck_user_role"),
        CheckConstraint("email = lower(email)", name="ck_user_email_lower_case"),
    )

    #: Lower-cased, so that "Jo.Smith@" and "jo.smith@" are one account.
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    #: argon2 hash; None for a user who signs in only through the county's identity provider.
    password_hash: str | None = Field(
        default=None, max_length=200, sa_column_kwargs={"info": {"audit": "secret"}}
    )
    #: Sessions begun before this moment are over (a county admin ended them, or removed the
    #: account); None while none has been ended.
    sessions_valid_after: datetime | None = None
    #: A removed user is kept, inactive, so the audit trail still knows whose partnership they
    #: worked for; they can no longer sign in.
    is_active: bool = Field(default=True)
    last_sign_in: datetime | None = None


class UserPartnership(Versioned, table=True):
    """One partnership a user works for; a user may have several (a county admin needs none)."""

    __table_args__ = (UniqueConstraint("user_id", "partnership_id", name="uq_user_partnership"),)

    user_id: int = Field(foreign_key="dashboard_user.id", index=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)


class SignInThrottle(SQLModel, table=True):
    """Wrong passwords counted for one email at one address, for one address, or for one email
    (``ANY`` in the other column), and when the pair last signed in; ``seips_core.auth.throttle``
    turns them into waits.

    Kept in the store so that every server process counts the same tries. The email is kept
    only as a hash (``account_key``): people type their password into the email field, and
    unknown emails are counted too. Not versioned and not audited: these are short-lived
    counters, not the county's data, and an audit row per wrong guess would let a stranger fill
    the append-only trail.
    """

    __tablename__ = "sign_in_throttle"
    __table_args__ = (UniqueConstraint("account_key", "address", name="uq_sign_in_throttle"),)

    id: int | None = Field(default=None, primary_key=True)
    #: SHA-256 of the lower-cased email (hex), or "*" for an address's count over every email.
    account_key: str = Field(max_length=64)
    #: The browser's IP address, "local" when there is none, or "*" for every address.
    address: str = Field(max_length=64)
    failures: int = Field(default=0)
    last_failure: datetime | None = None
    #: The last successful sign-in of this email from this address (pairs only).
    last_sign_in: datetime | None = None
    #: The last change; rows untouched for long are deleted.
    touched_at: datetime = Field(index=True)
