"""Fixtures of the placement service tests: the small county of ``ap_services_store`` on each
engine, and actors of any role and partnerships."""

from collections.abc import Callable

import pytest
from ap_services_store import Ids, build

from seips_core.auth.roles import Actor, Role


@pytest.fixture
def ids(engine) -> Ids:
    return build(engine)


@pytest.fixture
def actor() -> Callable[..., Actor]:
    """A user of ``role`` working for ``partnerships`` (NW by default)."""

    def make(role: Role = Role.COORDINATOR, *partnerships: str) -> Actor:
        codes = frozenset(partnerships or ("NW",))
        return Actor(f"{role.value}.{'-'.join(sorted(codes))}@shire.example", "Test", role, codes)

    return make
