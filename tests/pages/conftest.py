"""Page tests run the real app (``dashboard/app.py``) with AppTest on the sample county.

The sample is built once per session into a SQLite file, as on a fixed date; it is a demo
store with one account per role. Each test gets a fresh AppTest pointed at it with the
sidebar's "as on" date set to that day: ``app`` signed in as the county admin (every page,
every partnership), ``app_as(role)`` as the demo account of another role, ``signed_out``
as a visitor who has not signed in.
"""

import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Select, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import element_tree as tree

from dashboard import read_log
from dashboard.auth import SIGNED_IN_KEY, SignedIn
from dashboard.state import AS_ON_KEY
from dashboard.text import JOINER
from seips_core.auth.accounts import actor_for_oidc_user, add_user
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.roles import SYSTEM_ACTOR, Actor, Role
from seips_core.db import get_engine, read_session, write_session
from seips_core.migrate import upgrade
from seips_core.models import Partnership, Pupil, School
from seips_core.sample_county import generate_sample

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
#: A Wednesday in the spring term: placements running, Fair Access clocks ticking.
TODAY = date(2026, 3, 4)
SEED = 7


#: A punctuation mark escaped by ``dashboard.text.md``.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def drawn(markdown: str) -> str:
    """Markdown that ``dashboard.text`` escaped, as the browser draws it: each escaped mark as
    the mark itself, no word joiner (it is invisible), each hard line break as a line break.
    The text as it is stored."""
    return _ESCAPED.sub(r"\1", markdown).replace(JOINER, "").replace("  \n", "\n")


@pytest.fixture(autouse=True)
def read_as_drawn(monkeypatch) -> None:
    """AppTest hands back the Markdown a page sends (stored text escaped by ``md``); the page
    tests read what the user reads: text, headings, alerts, metric, button and tick-box labels
    and table cells as drawn. The Markdown sent stays in each element's ``proto``
    (``test_stored_text`` reads it there, to prove that it is escaped)."""
    as_drawn = property(lambda element: drawn(element.proto.body))
    for kind in (tree.Markdown, tree.HeadingBase, tree.AlertBase):
        monkeypatch.setattr(kind, "value", as_drawn)
    label = property(lambda element: drawn(element.proto.label))
    for kind in (tree.Metric, tree.Button, tree.Checkbox):
        monkeypatch.setattr(kind, "label", label, raising=False)
    cells = tree.Table.value

    def table(element: tree.Table):
        frame = cells.fget(element)
        frame = frame.map(lambda cell: drawn(cell) if isinstance(cell, str) else cell)
        return frame.rename(columns=drawn)

    monkeypatch.setattr(tree.Table, "value", property(table))


@pytest.fixture(autouse=True)
def read_log_of_this_test(monkeypatch) -> Iterator[None]:
    """The views of named records a test's pages log wait until the test flushes them (no
    background flush writing at a moment of its own), and are dropped at the test's end: none
    reaches another test's store or counts."""
    read_log.reset()
    monkeypatch.setattr(read_log, "_start_flusher", lambda: None)
    yield
    read_log.reset()


#: The audited changes made to the sample (its bulk load is one audit entry): per partnership,
#: the case whose pupil-premium flag was switched, and by whom.
CHANGED_CASES = {"NW": Role.COORDINATOR, "HB": Role.COUNTY_ADMIN}


@pytest.fixture(scope="session")
def county_url(tmp_path_factory) -> str:
    """A SQLite store holding the sample county (``build_county``)."""
    return build_county(f"sqlite:///{tmp_path_factory.mktemp('county') / 'seips.db'}")


def build_county(url: str) -> str:
    """Make the empty database ``url`` a store holding the sample county as on ``TODAY``,
    with ``CHANGED_CASES`` changed. Returns ``url``."""
    upgrade(url)
    engine = get_engine(url)
    generate_sample(engine, seed=SEED, today=TODAY)
    for code, role in CHANGED_CASES.items():
        with write_session(demo_account(role).email, engine) as session:
            pupil = session.scalars(_first_pupil_of(code)).one()
            pupil.pupil_premium = not pupil.pupil_premium
    return url


def _first_pupil_of(code: str) -> Select:
    return (
        select(Pupil)
        .join(School, School.id == Pupil.school_id)
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(Partnership.code == code)
        .order_by(Pupil.case_ref)
        .limit(1)
    )


def changed_case(url: str, code: str) -> tuple[str, bool]:
    """The case reference changed in partnership ``code`` and its pupil premium now."""
    with read_session(get_engine(url)) as session:
        pupil = session.scalars(_first_pupil_of(code)).one()
        return pupil.case_ref, pupil.pupil_premium


def demo_account(role: Role):
    """The sample county's demo account of ``role``."""
    (account,) = [account for account in DEMO_ACCOUNTS if account.role is role]
    return account


def demo_actor(url: str, role: Role) -> Actor:
    """The actor the store makes of ``role``'s demo account (as after signing in)."""
    return actor_for_oidc_user(get_engine(url), demo_account(role).email)


def sign_in(app: AppTest, actor: Actor) -> AppTest:
    """Start ``app``'s session signed in as ``actor``, just now."""
    app.session_state[SIGNED_IN_KEY] = SignedIn.starting(actor)
    return app


def new_app() -> AppTest:
    """A new session of the dashboard, its "as on" date ``TODAY``, not yet run."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state[AS_ON_KEY] = TODAY
    return app


def serve_store(url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the dashboard at the store ``url``, with local sign-in."""
    monkeypatch.setenv("SEIPS_DATABASE_URL", url)
    monkeypatch.delenv("SEIPS_AUTH", raising=False)
    return url


@pytest.fixture
def county(county_url, monkeypatch) -> str:
    """The dashboard's store is the sample county, with local sign-in."""
    return serve_store(county_url, monkeypatch)


def sqlite_copy(url: str, folder: Path) -> str:
    """A copy of the SQLite store ``url`` in ``folder`` (SQLite's backup API, so that what sits
    in the write-ahead log is copied too)."""
    copy = folder / "seips.db"
    with (
        sqlite3.connect(url.removeprefix("sqlite:///")) as original,
        sqlite3.connect(copy) as target,
    ):
        original.backup(target)
    return f"sqlite:///{copy}"


@pytest.fixture
def own_store(county_url, tmp_path, monkeypatch) -> str:
    """A copy of the sample store for one test that writes, served by the dashboard."""
    return serve_store(sqlite_copy(county_url, tmp_path), monkeypatch)


@pytest.fixture
def signed_out(county) -> AppTest:
    """The dashboard on the sample county, no one signed in, not yet run."""
    return new_app()


@pytest.fixture
def app_as(county) -> Callable[[Role], AppTest]:
    """``app_as(role)``: a new session signed in as ``role``'s demo account, not yet run."""
    return lambda role: sign_in(new_app(), demo_actor(county, role))


@pytest.fixture
def app(app_as) -> AppTest:
    """The dashboard signed in as the county admin: every page and partnership."""
    return app_as(Role.COUNTY_ADMIN)


#: The one account of ``real_url``'s store (a test password, not a secret).
REAL_USER = ("chair@real.example", "Real Chair", "a long test password")


@pytest.fixture(scope="session")
def real_url(tmp_path_factory) -> str:
    """A store of real data as far as the dashboard can tell: not made by the sample, so not
    a demo store. One partnership and one chair (``REAL_USER``)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'seips.db'}"
    upgrade(url)
    engine = get_engine(url)
    with write_session("test", engine) as session:
        session.add(Partnership(code="EV", name="Evenmoor"))
    email, name, password = REAL_USER
    add_user(
        engine,
        SYSTEM_ACTOR("test"),
        email=email,
        display_name=name,
        role="chair",
        partnerships=["EV"],
        password=password,
    )
    return url


@pytest.fixture
def real_store(real_url, monkeypatch) -> str:
    """The dashboard's store is ``real_url``, with local sign-in."""
    return serve_store(real_url, monkeypatch)
