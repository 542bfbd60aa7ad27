"""Signing in and managing accounts: the services behind the sign-in page, the check every run
of a signed-in page makes (``current_actor``), and ``seips user``.

Every change goes through one audited ``write_session``: checked first, then written whole or
not at all. Only a county admin manages accounts; anyone may set their own password.

Concurrency: a change locks the user's row before reading it, so two admins changing one
account are taken one after the other (the audit trail keeps both, in order), and an account
removed meanwhile is refused naming who removed it. Two admins registering one email at once
both insert it: the unique email refuses the second, which runs again (``retried``) and is
told who registered it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from hashlib import sha256
from secrets import token_urlsafe
from typing import TypeVar

from sqlalchemy import Engine, delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from .. import audit
from ..concurrency import changed_by, retried
from ..db import read_session, write_session
from ..errors import Conflict, InvalidValue, Problem, problems_of, refuse_any
from ..models import Partnership, SignInThrottle, User, UserPartnership
from .errors import SessionEnded, SignInRefused
from .passwords import hash_password, needs_rehash, verify_password
from .roles import Actor, Capability, Role, require
from .scope import partnerships_in_scope
from .throttle import ZERO, Tally, ThrottlePolicy, too_many, wait_words

In = TypeVar("In")
Out = TypeVar("Out")

NOT_RECOGNISED = "Email or password not recognised."
REMOVED = (
    "You were signed out: your account has been removed from this dashboard. "
    "Ask your county admin if this is a mistake."
)
ENDED = "You were signed out: a county admin ended your sessions. Sign in again to carry on."
#: Who a sign-in's writes are audited as until it succeeds: the typed email may be anything,
#: a password typed into the wrong field included.
SIGN_IN = "sign-in"
#: The throttle's word for "every email" or "every address", and for a browser without one.
ANY, LOCAL = "*", "local"
POLICY = ThrottlePolicy()

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
    sessions_ended_at: datetime | None


def normalise_email(email: str) -> str:
    """The stored form: no surrounding spaces, lower case."""
    return email.strip().lower()


# ---------------------------------------------------------------------------- signing in


def authenticate(
    engine: Engine,
    email: str,
    password: str,
    *,
    address: str | None = None,
    now: datetime | None = None,
    policy: ThrottlePolicy = POLICY,
) -> Actor:
    """The actor for a correct local password, or ``SignInRefused``.

    Wrong passwords earn waits (``seips_core.auth.throttle``) counted for the email at the
    browser's ``address``, for the address and for the email; a try before its wait is over is
    refused unchecked. The right password never locks: the owner elsewhere is not slowed by a
    guesser at another address. An unknown, removed or sign-on-only email gets the same words,
    counts and waits as a wrong password, after the same hashing work, so the page never tells
    a stranger which emails are registered. A success records ``last_sign_in``. ``now`` (an
    aware datetime) is for tests.
    """
    now = now or datetime.now(UTC)
    email = normalise_email(email)
    keys = _throttle_keys(email, address)
    refusal: str | None = None
    with write_session(SIGN_IN, engine) as session:
        tallies, signed_in_here = _locked_tallies(session, keys, now, policy)
        known = policy.is_known(signed_in_here, now)
        wait = policy.wait(*tallies, known=known, now=now)
        if wait > ZERO:
            refusal = too_many(wait)
        elif (user := _user_checked(session, email, password)) is None:
            refusal = _count_wrong_password(session, keys, tallies, known, now, policy)
        else:
            audit.attach(session, user.email)
            _record_sign_in(session, user, password, keys[0], now)
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


def current_actor(engine: Engine, email: str, signed_in_at: datetime) -> Actor:
    """The actor of a session begun at ``signed_in_at``, as the store has the account now.

    The page asks on every run, so a removal or ended sessions sign the person out at their
    next click (``SessionEnded`` says why) and a new role or partnerships apply at once. One
    lookup by the unique email, with the partnership codes joined in: about a millisecond.
    """
    with read_session(engine) as session:
        rows = session.execute(
            select(User.display_name, User.role, User.is_active, User.sessions_valid_after,
                   Partnership.code)
            .outerjoin(UserPartnership, UserPartnership.user_id == User.id)
            .outerjoin(Partnership, Partnership.id == UserPartnership.partnership_id)
            .where(User.email == email)
        ).all()  # fmt: skip
    if not rows or not rows[0].is_active:
        raise SessionEnded(REMOVED)
    ended_at = rows[0].sessions_valid_after
    if ended_at is not None and signed_in_at < ended_at:
        raise SessionEnded(ENDED)
    return Actor(
        email=email,
        display_name=rows[0].display_name,
        role=Role(rows[0].role),
        partnerships=frozenset(row.code for row in rows if row.code is not None),
    )


@cache
def _decoy_hash() -> str:
    """A hash no one knows the password of, verified against when there is no real one."""
    return hash_password(token_urlsafe(24))


def _user_checked(session: Session, email: str, password: str) -> User | None:
    """The active account of ``email`` if ``password`` is its password; one hash verified
    either way, so an unknown email takes as long as a wrong password."""
    user = session.scalars(select(User).where(User.email == email, User.is_active)).first()
    if user is None or user.password_hash is None:
        verify_password(_decoy_hash(), password)
        return None
    return user if verify_password(user.password_hash, password) else None


def _record_sign_in(
    session: Session, user: User, password: str, pair: tuple[str, str], now: datetime
) -> None:
    user.last_sign_in = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(
        _throttle_row(*pair).values(failures=0, last_failure=None, last_sign_in=now, touched_at=now)
    )


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


# ---------------------------------------------------------------------------- the throttle's rows
# Written with plain statements, not ORM objects, so they stay out of the audit trail (see
# ``SignInThrottle``).


def _account_key(email: str) -> str:
    return sha256(f"seips sign-in:{email}".encode()).hexdigest()


def _throttle_keys(email: str, address: str | None) -> list[tuple[str, str]]:
    """The rows a try from ``address`` for ``email`` counts in: the pair's, the address's and
    the email's, in that order."""
    account, place = _account_key(email), address or LOCAL
    return [(account, place), (ANY, place), (account, ANY)]


def _locked_tallies(
    session: Session, keys: list[tuple[str, str]], now: datetime, policy: ThrottlePolicy
) -> tuple[list[Tally], datetime | None]:
    """Each key's tally, and the pair's last sign-in (the first key's). Their rows are made
    if missing and locked for this transaction, so that parallel tries of one guesser queue
    instead of each being checked against the same counts."""
    table = SignInThrottle.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # Rows untouched for longer than an address stays known are forgotten.
    session.execute(delete(table).where(table.c.touched_at < now - policy.known_for))
    session.execute(
        dialect.insert(table)
        .values([{"account_key": a, "address": b, "failures": 0, "touched_at": now}
                 for a, b in sorted(keys)])
        .on_conflict_do_nothing(index_elements=["account_key", "address"])
    )  # fmt: skip
    rows = session.execute(
        select(table)
        .where(tuple_(table.c.account_key, table.c.address).in_(keys))
        .order_by(table.c.account_key, table.c.address)
        .with_for_update()
    ).all()
    by_key = {(row.account_key, row.address): row for row in rows}
    tallies = [Tally(by_key[key].failures, by_key[key].last_failure) for key in keys]
    return tallies, by_key[keys[0]].last_sign_in


def _throttle_row(account_key: str, address: str):
    table = SignInThrottle.__table__
    return update(table).where(table.c.account_key == account_key, table.c.address == address)


def _count_wrong_password(
    session: Session,
    keys: list[tuple[str, str]],
    tallies: list[Tally],
    known: bool,
    now: datetime,
    policy: ThrottlePolicy,
) -> str:
    """Count one more wrong password in each row; the refusal says the wait it has earned."""
    counted = [policy.counted(tally, now) for tally in tallies]
    for key, tally in zip(keys, counted, strict=True):
        session.execute(
            _throttle_row(*key).values(failures=tally.failures, last_failure=now, touched_at=now)
        )
    wait = policy.wait(*counted, known=known, now=now)
    if wait == ZERO:
        return NOT_RECOGNISED
    return f"{NOT_RECOGNISED} Wait {wait_words(wait)} before trying again."


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
    # Every field is checked and every problem said together (``Problems``, issue 15).
    found: list[Problem] = []
    email = _checked(found, _valid_email, email)
    display_name = _checked(found, _valid_name, display_name)
    role = _checked(found, _valid_role, role)
    password_hash = None if password is None else _checked(found, hash_password, password)
    with write_session(by.email, engine) as session:
        chosen = _checked(
            found, lambda codes: partnerships_in_scope(session, by, codes), partnerships
        )
        partnership_ids = set(chosen.values()) if chosen is not None else set()
        if role is not None and chosen is not None:
            _checked(found, lambda count: _check_scope(role, count), len(partnership_ids))
        refuse_any(found)
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
            user.password_hash = password_hash
        _link(session, user, partnership_ids)
        return _summary(session, user)


@retried
def remove_user(engine: Engine, by: Actor, email: str, *, now: datetime | None = None) -> None:
    """Stop a user signing in, and end their open sessions at their next click. The account
    stays, inactive, for the audit trail's sake; its sessions stay ended if it is added back."""
    require(by, Capability.MANAGE_USERS, doing="remove users")
    email = _not_yourself(by, email, doing="remove")
    with write_session(by.email, engine) as session:
        user = _active_user(session, email)
        user.is_active = False
        user.sessions_valid_after = now or datetime.now(UTC)
        user.password_hash = None


@retried
def end_sessions(
    engine: Engine, by: Actor, email: str, *, now: datetime | None = None
) -> UserSummary:
    """Sign a user out everywhere (a lost laptop, a shared screen left signed in): every
    session begun before ``now`` ends at its next click; signing in again works as before."""
    require(by, Capability.MANAGE_USERS, doing="end users' sessions")
    email = normalise_email(email)
    with write_session(by.email, engine) as session:
        user = _active_user(session, email)
        user.sessions_valid_after = now or datetime.now(UTC)
        return _summary(session, user)


@retried
def set_role(engine: Engine, by: Actor, email: str, role: str) -> UserSummary:
    """Give a user another role; their open sessions take it at their next click."""
    require(by, Capability.MANAGE_USERS, doing="change roles")
    email, role = _not_yourself(by, email, doing="change the role of"), _valid_role(role)
    with write_session(by.email, engine) as session:
        user = _active_user(session, email)
        _check_scope(role, len(_codes_by_user(session, [user.id]).get(user.id, [])))
        user.role = role
        return _summary(session, user)


@retried
def set_partnerships(engine: Engine, by: Actor, email: str, partnerships: list[str]) -> UserSummary:
    """Replace the partnerships a user works for; open sessions follow at their next click."""
    require(by, Capability.MANAGE_USERS, doing="change users' partnerships")
    email = normalise_email(email)
    with write_session(by.email, engine) as session:
        user = _active_user(session, email)
        partnership_ids = set(partnerships_in_scope(session, by, partnerships).values())
        _check_scope(Role(user.role), len(partnership_ids))
        _link(session, user, partnership_ids)
        return _summary(session, user)


@retried
def set_password(engine: Engine, by: Actor, email: str, password: str) -> None:
    """Set a local password: one's own, or anyone's for a county admin.

    The waits earned by wrong guesses at the old password (from every address) are cleared:
    the owner who mistyped her way into a wait can be let in at once.
    """
    email = normalise_email(email)
    if email != by.email:
        require(by, Capability.MANAGE_USERS, doing="set another user's password")
    password_hash = hash_password(password)
    table = SignInThrottle.__table__
    with write_session(by.email, engine) as session:
        _active_user(session, email).password_hash = password_hash
        session.execute(
            update(table)
            .where(table.c.account_key == _account_key(email))
            .values(failures=0, last_failure=None)
        )


def list_users(engine: Engine, by: Actor) -> list[UserSummary]:
    """Every account, removed ones included, by email."""
    require(by, Capability.MANAGE_USERS, doing="list users")
    with read_session(engine) as session:
        codes = _codes_by_user(session)
        users = session.scalars(select(User).order_by(User.email))
        return [_summary_of(user, codes.get(user.id, [])) for user in users]


def _checked(found: list[Problem], check: Callable[[In], Out], value: In) -> Out | None:
    """``check(value)``, or None with the field's refusal added to ``found``: so that one
    refused field does not hide the next."""
    try:
        return check(value)
    except InvalidValue as refused:
        found += problems_of(refused)
        return None


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
        sessions_ended_at=user.sessions_valid_after,
    )
