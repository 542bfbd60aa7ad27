"""A demo store with two partnerships and the four demo accounts (one per role), on each
engine."""

import pytest
from sqlalchemy import Engine

from seips_core.auth.demo import add_demo_accounts
from seips_core.db import write_session
from seips_core.models import Partnership
from seips_core.store_kind import StoreKind, record_kind


@pytest.fixture
def store(engine) -> Engine:
    with write_session("test setup", engine) as session:
        record_kind(session, StoreKind.DEMO)
        session.add_all(
            [Partnership(code="NW", name="North Wold"), Partnership(code="HB", name="Harbury")]
        )
    add_demo_accounts(engine)
    return engine
