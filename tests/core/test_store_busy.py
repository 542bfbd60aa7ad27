"""A writer that waits too long for another's lock is told the store is busy, in plain words."""

import pytest
from sqlalchemy import select

from seips_core import db
from seips_core.db import BUSY, get_engine, read_session, write_session
from seips_core.errors import StoreBusy
from seips_core.migrate import upgrade
from seips_core.models import Partnership


@pytest.fixture
def impatient(store_url, monkeypatch):
    """A store on each engine whose writers wait a third of a second for a lock."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    upgrade(store_url)  # makes the engine: after the patch
    engine = get_engine(store_url)
    with write_session("setup", engine) as session:
        session.add(Partnership(code="NW", name="North Wold"))
    return engine


def _rename(session, name: str) -> None:
    session.scalars(select(Partnership)).one().name = name
    session.flush()


def test_a_writer_held_up_past_the_busy_timeout_gets_store_busy(impatient):
    with write_session("co-ordinator@example", impatient) as holder:
        _rename(holder, "Held by a long change")  # SQLite's write lock, PostgreSQL's row lock
        with pytest.raises(StoreBusy) as busy, write_session("chair@example", impatient) as waiter:
            _rename(waiter, "A meeting's change")
    assert str(busy.value) == BUSY
    assert "busy" in BUSY and "Try again in a moment" in BUSY
    assert "locked" not in BUSY and "SQL" not in BUSY
    with read_session(impatient) as session:
        assert session.scalars(select(Partnership.name)).one() == "Held by a long change"
