"""A store with two partnerships and one user per role (a co-ordinator of NW, and so on).

The users sign in through single sign-on (no password), which spares each test the slow
password hashing; the tests that need a password set one. ``role_actor(role)`` is that user as
a service sees them.
"""

from collections.abc import Callable

import pytest
from service_store import ADMIN_CLI, TARGET, email_of
from sqlalchemy import Engine

from seips_core.auth.accounts import add_user
from seips_core.auth.roles import Actor, Role
from seips_core.db import write_session
from seips_core.models import Partnership


@pytest.fixture
def store(engine) -> Engine:
    with write_session("test setup", engine) as session:
        session.add_all(
            [Partnership(code="NW", name="North Wold"), Partnership(code="HB", name="Harbury")]
        )
    for role in Role:
        partnerships = [] if role is Role.COUNTY_ADMIN else ["NW"]
        add_user(
            engine, ADMIN_CLI, email=email_of(role), display_name=f"Test {role.label}",
            role=role, partnerships=partnerships,
        )  # fmt: skip
    add_user(
        engine, ADMIN_CLI, email=TARGET, display_name="Target Viewer", role="viewer",
        partnerships=["NW"],
    )  # fmt: skip
    return engine


@pytest.fixture
def role_actor() -> Callable[[Role], Actor]:
    def actor(role: Role) -> Actor:
        codes = frozenset() if role is Role.COUNTY_ADMIN else frozenset({"NW"})
        return Actor(email_of(role), f"Test {role.label}", role, codes)

    return actor
