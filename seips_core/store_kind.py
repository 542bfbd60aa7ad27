"""Demo and real stores never mix: each store records, once, which of the two it is.

A demo store (``seips sample``, ``seips serve --demo``) holds the synthetic sample county and
the demo accounts whose passwords its sign-in page prints. A real store (``seips init``, or the
first ``seips import`` into a new store) holds real children: it never gets those accounts,
and a demo store never gets real rows. The kind is the setting ``demo_mode``, "true" or
"false"; a store that has neither is new (or was made before stores recorded their kind).
"""

from enum import StrEnum

from sqlalchemy import select
from sqlmodel import Session

from .errors import WrongStore
from .models import Setting

DEMO_MODE = "demo_mode"

#: What to do with real data, for every message that turns it away from a demo store.
MAKE_A_REAL_STORE = (
    "Make a real store for it: point SEIPS_DATABASE_URL at a new file (or an empty "
    "PostgreSQL database), run `seips init`, then `seips import <folder or workbook>`."
)
#: What to do for the demo, for every message that turns demo data away from a real store.
MAKE_A_DEMO_STORE = (
    "For the demo, point SEIPS_DATABASE_URL at a new file and run `seips serve --demo`."
)


class StoreKind(StrEnum):
    DEMO = "demo"
    REAL = "real"


_SETTING_VALUE = {StoreKind.DEMO: "true", StoreKind.REAL: "false"}

_REFUSALS = {
    StoreKind.REAL: (
        "This is a demo store (the synthetic sample county, whose demo passwords anyone can "
        f"read on its sign-in page): real data never goes into it. {MAKE_A_REAL_STORE}"
    ),
    StoreKind.DEMO: (
        "This store is for real data (made by `seips init` or an import): the sample county "
        f"and the demo accounts never go into it. {MAKE_A_DEMO_STORE}"
    ),
}


def store_kind(session: Session) -> StoreKind | None:
    """The kind the store recorded, or None for a store that has not recorded one."""
    value = session.scalar(select(Setting.value).where(Setting.key == DEMO_MODE))
    return next((kind for kind, text in _SETTING_VALUE.items() if text == value), None)


def check_kind(session: Session, kind: StoreKind) -> StoreKind | None:
    """The store's recorded kind: ``kind`` or None (a new store may become either).

    ``WrongStore`` if it is the other kind: the message says why and what to do instead.
    """
    recorded = store_kind(session)
    if recorded is not None and recorded is not kind:
        raise WrongStore(_REFUSALS[kind])
    return recorded


def record_kind(session: Session, kind: StoreKind) -> None:
    """Make a new store ``kind``, in the caller's transaction; ``WrongStore`` as ``check_kind``."""
    if check_kind(session, kind) is None:
        session.add(Setting(key=DEMO_MODE, value=_SETTING_VALUE[kind]))
        session.flush()
