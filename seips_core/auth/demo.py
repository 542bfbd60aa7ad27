"""Demo accounts: one synthetic account per role, for a store made by the sample county.

A store made by ``generate_sample`` is a demo store (``store_kind``): it holds invented pupils
only, and its sign-in page shows the demo passwords below. These passwords are published on
purpose; they open synthetic data, and a store not recorded as a demo store is refused them
(``WrongStore``), so no real store ever gets these accounts.
"""

from collections import Counter
from dataclasses import dataclass
from functools import cache
from hashlib import sha256

from sqlalchemy import Connection, Engine, select
from sqlmodel import Session

from ..db import write_session
from ..errors import WrongStore
from ..models import Partnership, Setting, User, UserPartnership
from ..store_kind import MAKE_A_DEMO_STORE, StoreKind, record_kind, store_kind
from .passwords import hash_password
from .roles import Role

#: Who the audit trail names for demo accounts added to an existing store.
DEMO_ACTOR = "seips demo"
#: The sample county's first partnership, which the partnership-bound accounts work for.
DEMO_PARTNERSHIP = "NW"


@dataclass(frozen=True)
class DemoAccount:
    """A synthetic account, its role and its (public, demo-only) password."""

    email: str
    display_name: str
    role: Role
    partnerships: tuple[str, ...]
    password: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "viewer@demo.seips.example", "Demo Viewer", Role.VIEWER, (DEMO_PARTNERSHIP,),
        "demo-viewer-password",
    ),
    DemoAccount(
        "coordinator@demo.seips.example", "Demo Co-ordinator", Role.COORDINATOR,
        (DEMO_PARTNERSHIP,), "demo-coordinator-password",
    ),
    DemoAccount(
        "chair@demo.seips.example", "Demo Chair", Role.CHAIR, (DEMO_PARTNERSHIP,),
        "demo-chair-password",
    ),
    DemoAccount(
        "admin@demo.seips.example", "Demo County Admin", Role.COUNTY_ADMIN, (),
        "demo-admin-password",
    ),
)  # fmt: skip


def add_demo_accounts(engine: Engine) -> dict[str, int]:
    """Add the demo accounts to a demo store holding partnership ``DEMO_PARTNERSHIP``; audited.

    ``WrongStore`` for any store not recorded as a demo store.
    """
    with write_session(DEMO_ACTOR, engine) as session:
        return _add_accounts(session)


def make_demo_store(connection: Connection) -> dict[str, int]:
    """Mark the store a demo store and add the demo accounts, inside a bulk load's transaction.

    Not audited row by row: the sample's own audit entry, which lists these counts, covers them.
    """
    with Session(bind=connection) as session:
        record_kind(session, StoreKind.DEMO)
        counts = _add_accounts(session)
    return dict(Counter(counts) + Counter({Setting.__tablename__: 1}))


def is_demo_store(session: Session) -> bool:
    """Is this a store of synthetic data, where the sign-in page may show demo passwords?"""
    return store_kind(session) is StoreKind.DEMO


def _add_accounts(session: Session) -> dict[str, int]:
    if not is_demo_store(session):
        raise WrongStore(
            "Demo accounts go only into a demo store (made by `seips sample` or "
            f"`seips serve --demo`): their passwords are public. {MAKE_A_DEMO_STORE}"
        )
    ids = {code: id_ for code, id_ in session.execute(select(Partnership.code, Partnership.id))}
    if DEMO_PARTNERSHIP not in ids:
        raise ValueError(
            f"The demo accounts work for partnership {DEMO_PARTNERSHIP}: add it first."
        )
    links = 0
    for account in DEMO_ACCOUNTS:
        user = User(
            email=account.email,
            display_name=account.display_name,
            role=account.role,
            password_hash=_demo_hash(account.email, account.password),
        )
        session.add(user)
        session.flush()
        session.add_all(
            UserPartnership(user_id=user.id, partnership_id=ids[code])
            for code in account.partnerships
        )
        links += len(account.partnerships)
    session.flush()
    return {User.__tablename__: len(DEMO_ACCOUNTS), UserPartnership.__tablename__: links}


@cache
def _demo_hash(email: str, password: str) -> str:
    """The same hash for the same demo account every time.

    The salt comes from the email, so the sample county stays the same rows for the same seed
    (its tests compare two stores), and the slow hashing runs once per process. A fixed salt
    weakens nothing here: the password itself is printed on the sign-in page.
    """
    return hash_password(password, salt=sha256(email.encode()).digest()[:16])
