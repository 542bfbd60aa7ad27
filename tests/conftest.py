"""Shared fixtures: a fresh migrated store on SQLite (a real file) and on PostgreSQL.

PostgreSQL tests make a database of their own on the server named by ``SEIPS_TEST_PG_URL``
(default: the local server, trust auth) and drop it afterwards. Where no server answers they
skip with the reason, unless ``SEIPS_REQUIRE_POSTGRES=1`` (set by CI), where they fail.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import Engine

from seips_core.db import get_engine
from seips_core.migrate import upgrade

PG_ADMIN_URL = os.environ.get("SEIPS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("SEIPS_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here (SEIPS_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"no PostgreSQL server reachable at {PG_ADMIN_URL}: {reason}")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """The URL of an empty SQLite file (not yet migrated)."""
    return f"sqlite:///{tmp_path / 'seips.db'}"


@contextmanager
def _postgres_database() -> Iterator[str]:
    """The URL of an empty PostgreSQL database made on entry and dropped on exit."""
    name = f"seips_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        _pg_unavailable(str(exc).strip())
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    get_engine(url).dispose()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of an empty PostgreSQL database made for this test alone."""
    with _postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def module_postgres_url() -> Iterator[str]:
    """The URL of an empty PostgreSQL database shared by the tests of one module: for a store
    that is slow to build and that the tests only read (the sample county)."""
    with _postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request) -> str:
    """An empty database URL, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
def engine(store_url) -> Engine:
    """A migrated, empty store on each engine."""
    upgrade(store_url)
    return get_engine(store_url)


@pytest.fixture
def sqlite_engine(sqlite_url) -> Engine:
    """A migrated, empty store in a SQLite file (for tests that need only one engine)."""
    upgrade(sqlite_url)
    return get_engine(sqlite_url)
