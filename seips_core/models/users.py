"""The people who may sign in, their role and the partnerships whose data they see."""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

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
    #: Wrong passwords in a row since the last success or lock-out.
    failed_attempts: int = Field(default=0)
    locked_until: datetime | None = None
    #: A removed user is kept, inactive, so the audit trail still knows whose partnership they
    #: worked for; they can no longer sign in.
    is_active: bool = Field(default=True)
    last_sign_in: datetime | None = None


class UserPartnership(Versioned, table=True):
    """One partnership a user works for; a user may have several (a county admin needs none)."""

    __table_args__ = (UniqueConstraint("user_id", "partnership_id", name="uq_user_partnership"),)

    user_id: int = Field(foreign_key="dashboard_user.id", index=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
