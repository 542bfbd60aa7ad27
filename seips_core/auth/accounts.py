"""Signing in and managing accounts: the services behind the sign-in page and ``seips user``.

Every change goes through one audited ``write_session``: checked first, then written whole or
not at all. Only a county admin manages accounts; anyone may set their own password.

Concurrency: a change locks the user's row before reading it, so two admins changing one
account are taken one after the other (the audit trail keeps both, in order), and an account
removed meanwhile is refused naming who removed it. Two admins registering one email at once
both insert it: the unique email refuses the second, which runs again (``retried``) and is
told who registered it.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from secrets import token_urlsafe

from sqlalchemy import Engine, select
from sqlmodel import Session

from ..concurrency import changed_by, retried
from ..db import read_session, write_session
from ..errors import Conflict, InvalidValue
from ..models import Partnership, User, UserPartnership
from .errors import SignInRefused
from .local_time import clock_time
from .passwords import hash_password, needs_rehash, verify_password
from .roles import Actor, Capability, Role, require

NOT_RECOGNISED = "Email or password not recognised."
#: Wrong passwords in a row that lock an account, and for how long.
MAX_WRONG_PASSWORDS = 5
LOCK_OUT = timedelta(minutes=15)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class UserSummary:
    """One account as the user-management screen and ``seips user list`` show it."""

    email: str
    display_name: str
    role: Role
    partnerships: tuple[str, ...]
    is_active: bool
    has_password: bool
    last_sign_in: datetime | None
    locked_until: datetime | None


def normalise_email(email: str) -> str:
    """The stored form: no surrounding spaces, lower case."""
    return email.strip().lower()


# ---------------------------------------------------------------------------- signing in


def authenticate(
    engine: Engine, email: str, password: str, *, now: datetime | None = None
) -> Actor:
    """The actor for a correct local password, or ``SignInRefused``.

    Five wrong passwords in a row lock the account for 15 minutes, during which even the right
    password is refused; a success clears the count and records ``last_sign_in``. An unknown,
    removed or sign-on-only email gets the same answer as a wrong password, after the same
    hashing work, so the page never tells a stranger which emails are registered. ``now`` (an
    aware datetime) is for tests.
    """
    now = now or datetime.now(UTC)
    email = normalise_email(email)
    refusal: str | None = None
    with write_session(email, engine) as session:
        user = session.scalars(
            select(User).where(User.email == email, User.is_active).with_for_update()
        ).first()
        if user is None or user.password_hash is None:
            verify_password(_decoy_hash(), password)
            refusal = NOT_RECOGNISED
        elif user.locked_until is not None and user.locked_until > now:
            refusal = _locked_message(user.locked_until)
        elif not verify_password(user.password_hash, password):
            refusal = _count_wrong_password(user, now)
        else:
            _record_sign_in(user, password, now)
            actor = _actor_of(session, user)
    if refusal is not None:
        raise SignInRefused(refusal)
    return actor


def actor_for_oidc_user(engine: Engine, email: str) -> Actor:
    """The actor for an email the county's identity provider has signed in.

    The provider proves who the person is; this store says what they may do. Reading only:
    the page calls it once per sign-in.
    """
    email = normalise_email(email)
    with read_session(engine) as session:
        user = session.scalars(select(User).where(User.email == email, User.is_active)).first()
        if user is None:
            raise SignInRefused(
                f"{email} is not registered for this dashboard: ask your county admin."
            )
        return _actor_of(session, user)


@cache
def _decoy_hash() -> str:
    """A hash no one knows the password of, verified against when there is no real one."""
    return hash_password(token_urlsafe(24))


def _locked_message(until: datetime) -> str:
    return f"Too many wrong passwords: try again after {clock_time(until)}."


def _count_wrong_password(user: User, now: datetime) -> str:
    user.failed_attempts += 1
    if user.failed_attempts < MAX_WRONG_PASSWORDS:
        return NOT_RECOGNISED
    user.failed_attempts = 0
    user.locked_until = now + LOCK_OUT
    return _locked_message(user.locked_until)


def _record_sign_in(user: User, password: str, now: datetime) -> None:
    user.failed_attempts = 0
    user.locked_until = None
    user.last_sign_in = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)


def _actor_of(session: Session, user: User) -> Actor:
    return Actor(
        email=user.email,
        display_name=user.display_name,
        role=Role(user.role),
        partnerships=frozenset(_codes_by_user(session, [user.id]).get(user.id, ())),
    )


def _codes_by_user(session: Session, user_ids: list[int] | None = None) -> dict[int, list[str]]:
    """Each user's partnership codes, sorted (every user's when ``user_ids`` is None)."""
    query = (
        select(UserPartnership.user_id, Partnership.code)
        .join(Partnership, Partnership.id == UserPartnership.partnership_id)
        .order_by(Partnership.code)
    )
    if user_ids is not None:
        query = query.where(UserPartnership.user_id.in_(user_ids))
    codes: dict[int, list[str]] = {}
    for user_id, code in session.execute(query):
        codes.setdefault(user_id, []).append(code)
    return codes


# ---------------------------------------------------------------------------- managing accounts


@retried
def add_user(
    engine: Engine,
    by: Actor,
    *,
    email: str,
    display_name: str,
    role: str,
    partnerships: list[str],
    password: str | None = None,
) -> UserSummary:
    """Register a user (a removed user's email brings that account back with these details).

    ``password`` None makes a sign-on-only account (the county's identity provider).
    """
    require(by, Capability.MANAGE_USERS, doing="add users")
    email, display_name, role = _valid_email(email), _valid_name(display_name), _valid_role(role)
    password_hash = None if password is None else hash_password(password)
    with write_session(by.email, engine) as session:
        partnership_ids = _partnership_ids(session, partnerships)
        _check_scope(role, len(partnership_ids))
        user = session.scalars(select(User).where(User.email == email).with_for_update()).first()
        if user is not None and user.is_active:
            who = changed_by(session, User, user.id)
            by_whom = f" (saved by {who})" if who else ""
            raise Conflict(f"Email: {email} is already registered{by_whom}.")
        if user is None:
            user = User(
                email=email, display_name=display_name, role=role, password_hash=password_hash
            )
            session.add(user)
            session.flush()
        else:
            user.display_name, user.role, user.is_active = display_name, role, True
            _set_password_hash(user, password_hash)
        _link(session, user, partnership_ids)
        return _summary(session, user)


@retried
def remove_user(engine: Engine, by: Actor, email: str) -> None:
    """Stop a user signing in. The account stays, inactive, for the audit trail's sake."""
    require(by, Capability.MANAGE_USERS, doing="remove users")
    email = _not_yourself(by, email, doing="remove")
    with write_session(by.email, engine) as session:
        user = _active_user(session, email)
        user.is_active = False
        _set_password_hash(user, None)


@retried
def set_role(engine: Engine, by: Actor, email: str, role: str) -> UserSummary:
    """Give a user another role."""
    require(by, Capability.MANAGE_USERS, doing="change roles")
    email, role = _not_yourself(by, email, doing="change the role of"), _valid_role(role)
    with write_session(by.email, engine) as session:
        user = _active_user(session, email)
        _check_scope(role, len(_codes_by_user(session, [user.id]).get(user.id, [])))
        user.role = role
        return _summary(session, user)


@retried
def set_partnerships(engine: Engine, by: Actor, email: str, partnerships: list[str]) -> UserSummary:
    """Replace the partnerships a user works for."""
    require(by, Capability.MANAGE_USERS, doing="change users' partnerships")
    email = normalise_email(email)
    with write_session(by.email, engine) as session:
        user = _active_user(session, email)
        partnership_ids = _partnership_ids(session, partnerships)
        _check_scope(Role(user.role), len(partnership_ids))
        _link(session, user, partnership_ids)
        return _summary(session, user)


@retried
def set_password(engine: Engine, by: Actor, email: str, password: str) -> None:
    """Set a local password: one's own, or anyone's for a county admin. It also unlocks."""
    email = normalise_email(email)
    if email != by.email:
        require(by, Capability.MANAGE_USERS, doing="set another user's password")
    password_hash = hash_password(password)
    with write_session(by.email, engine) as session:
        _set_password_hash(_active_user(session, email), password_hash)


def list_users(engine: Engine, by: Actor) -> list[UserSummary]:
    """Every account, removed ones included, by email."""
    require(by, Capability.MANAGE_USERS, doing="list users")
    with read_session(engine) as session:
        codes = _codes_by_user(session)
        users = session.scalars(select(User).order_by(User.email))
        return [_summary_of(user, codes.get(user.id, [])) for user in users]


def _valid_email(email: str) -> str:
    email = normalise_email(email)
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise InvalidValue(f"Email: '{email}' is not an email address.")
    return email


def _valid_name(display_name: str) -> str:
    display_name = display_name.strip()
    if not display_name or len(display_name) > 120:
        raise InvalidValue("Name: give the name shown on screen (1 to 120 characters).")
    return display_name


def _valid_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(Role)
        raise InvalidValue(f"Role: '{role}' is not a role; choose one of {choices}.") from None


def _not_yourself(by: Actor, email: str, *, doing: str) -> str:
    """Refuse a county admin acting on their own account, which could leave no admin."""
    email = normalise_email(email)
    if email == by.email:
        raise InvalidValue(
            f"Email: you may not {doing} your own account; ask another county admin."
        )
    return email


def _active_user(session: Session, email: str) -> User:
    """The account, locked for the change; one removed is a ``Conflict`` naming who did it."""
    user = session.scalars(
        select(User)
        .where(User.email == email)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if user is not None and user.is_active:
        return user
    who = changed_by(session, User, user.id) if user is not None else None
    if who is None:
        raise InvalidValue(f"Email: {email} is not registered for this dashboard.")
    raise Conflict(f"Email: {email} was removed by {who}: reload the list of users.")


def _partnership_ids(session: Session, codes: list[str]) -> set[int]:
    """The ids of partnerships ``codes`` (in any case), refusing a code that names none."""
    found = {
        code.upper(): id_ for code, id_ in session.execute(select(Partnership.code, Partnership.id))
    }
    wanted = {code.strip().upper() for code in codes}
    unknown = sorted(wanted - found.keys())
    if unknown:
        raise InvalidValue(
            f"Partnerships: no partnership {', '.join(unknown)}; "
            f"the partnerships are {', '.join(sorted(found))}."
        )
    return {found[code] for code in wanted}


def _check_scope(role: Role, partnership_count: int) -> None:
    """Everyone but a county admin works for at least one partnership, or would see nothing."""
    if partnership_count == 0 and role is not Role.COUNTY_ADMIN:
        raise InvalidValue(f"Partnerships: a {role.label} needs at least one partnership.")


def _link(session: Session, user: User, partnership_ids: set[int]) -> None:
    """Make the user's links exactly ``partnership_ids``, touching only what differs."""
    links = session.scalars(select(UserPartnership).where(UserPartnership.user_id == user.id))
    for link in links:
        if link.partnership_id in partnership_ids:
            partnership_ids = partnership_ids - {link.partnership_id}
        else:
            session.delete(link)
    session.add_all(UserPartnership(user_id=user.id, partnership_id=p) for p in partnership_ids)
    session.flush()


def _set_password_hash(user: User, password_hash: str | None) -> None:
    user.password_hash = password_hash
    user.failed_attempts = 0
    user.locked_until = None


def _summary(session: Session, user: User) -> UserSummary:
    session.flush()
    return _summary_of(user, _codes_by_user(session, [user.id]).get(user.id, []))


def _summary_of(user: User, codes: list[str]) -> UserSummary:
    return UserSummary(
        email=user.email,
        display_name=user.display_name,
        role=Role(user.role),
        partnerships=tuple(codes),
        is_active=user.is_active,
        has_password=user.password_hash is not None,
        last_sign_in=user.last_sign_in,
        locked_until=user.locked_until,
    )
