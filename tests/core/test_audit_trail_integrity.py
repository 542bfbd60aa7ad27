"""The audit trail in the database: plain SQL cannot rewrite it, and its hash chain shows a change.

Every test runs on SQLite and PostgreSQL. Tampering tests first drop the triggers (as the owner
of the table could), then check that ``verify_trail`` names exactly the entry touched.
"""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from tampering import drop_the_triggers

from seips_core.audit_chain import GENESIS, link_hash, verify_trail
from seips_core.db import get_engine, read_session, write_session
from seips_core.migrate import alembic_config, upgrade
from seips_core.models import AuditEntry, Partnership

pytestmark = pytest.mark.postgres

APPEND_ONLY = re.compile("audit trail is append-only")
BEFORE_THE_CHAIN = "7b4e1d2c9a58"


def a_series_of_writes(engine: Engine) -> None:
    """Inserts, updates and a delete by three people: eight audit entries."""
    with write_session("alice", engine) as session:
        session.add_all(Partnership(code=f"P{n}", name=f"Partnership {n}") for n in range(4))
    with write_session("bob", engine) as session:
        for partnership in session.scalars(select(Partnership).where(Partnership.code < "P2")):
            partnership.name += " — renamed, ünïcode"
    with write_session("carol", engine) as session:
        session.delete(session.scalars(select(Partnership).where(Partnership.code == "P3")).one())
    with write_session("alice", engine) as session:
        session.add(Partnership(code="P9", name="Partnership 9"))


def trail(engine: Engine) -> list[AuditEntry]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def entry_ids(engine: Engine) -> list[int]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def check(engine: Engine, batch: int = 3):
    """Verify with small batches, so that a trail of a few entries takes several queries."""
    with read_session(engine) as session:
        return verify_trail(session, batch=batch)


def run_sql(engine: Engine, sql: str, **params) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql), params)


@pytest.fixture
def written(engine) -> Engine:
    a_series_of_writes(engine)
    return engine


def rewrites(engine: Engine) -> list[str]:
    statements = [
        "UPDATE auditentry SET after = '{}' WHERE id = (SELECT MIN(id) FROM auditentry)",
        "UPDATE auditentry SET actor = 'someone else'",
        "DELETE FROM auditentry WHERE id = (SELECT MAX(id) FROM auditentry)",
        "DELETE FROM auditentry",
    ]
    return statements + (["TRUNCATE auditentry"] if engine.dialect.name == "postgresql" else [])


def test_plain_sql_cannot_change_or_delete_an_entry(written):
    before = [entry.model_dump() for entry in trail(written)]
    for statement in rewrites(written):
        with pytest.raises(IntegrityError, match=APPEND_ONLY):
            run_sql(written, statement)
    assert len(before) == 8
    assert [entry.model_dump() for entry in trail(written)] == before


def test_an_audited_write_still_works_next_to_the_triggers(written):
    with pytest.raises(IntegrityError, match=APPEND_ONLY):
        run_sql(written, "DELETE FROM auditentry")
    with write_session("dana", written) as session:
        session.add(Partnership(code="NEW", name="New partnership"))
    newest = trail(written)[-1]
    assert (newest.actor, newest.action, newest.table_name) == ("dana", "insert", "partnership")
    assert check(written).intact_entries == 9


def test_the_chain_verifies_after_a_series_of_writes(written):
    result = check(written)
    ids = entry_ids(written)
    assert (result.broken, result.intact_entries, result.newest.entry_id) == (None, 8, ids[-1])
    entries = trail(written)
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    assert len({e.entry_hash for e in entries}) == len(entries)


def test_an_empty_trail_is_intact(engine):
    result = check(engine)
    assert (result.broken, result.intact_entries) == (None, 0)


def test_a_changed_entry_is_named(written):
    ids = entry_ids(written)
    drop_the_triggers(written)
    run_sql(
        written, 'UPDATE auditentry SET after = \'{"name": "forged"}\' WHERE id = :id', id=ids[4]
    )
    result = check(written)
    assert result.broken.entry_id == ids[4]
    assert "content was changed" in result.broken.problem
    assert result.intact_entries == 4


def test_a_deleted_entry_is_named_by_the_one_after_it(written):
    ids = entry_ids(written)
    drop_the_triggers(written)
    run_sql(written, "DELETE FROM auditentry WHERE id = :id", id=ids[5])
    result = check(written)
    assert result.broken.entry_id == ids[6]
    assert f"entry {ids[5]} was deleted" in result.broken.problem


def test_deleted_entries_are_named_by_their_ids(written):
    ids = entry_ids(written)
    drop_the_triggers(written)
    run_sql(written, "DELETE FROM auditentry WHERE id IN (:a, :b)", a=ids[2], b=ids[3])
    result = check(written)
    assert result.broken.entry_id == ids[4]
    assert f"ids from {ids[2]} to {ids[3]} were deleted" in result.broken.problem


def test_ids_skipped_by_a_rolled_back_write_are_no_break(written):
    with pytest.raises(RuntimeError), write_session("erin", written) as session:
        session.add(Partnership(code="GONE", name="Rolled back"))
        session.flush()  # its audit entry is written, and takes an id, before the failure
        raise RuntimeError("the write fails after its flush")
    with write_session("erin", written) as session:
        session.add(Partnership(code="KEPT", name="Kept"))
    ids = entry_ids(written)
    if written.dialect.name == "postgresql":  # the sequence does not give the id back
        assert ids[-1] - ids[-2] == 2
    result = check(written)
    assert (result.broken, result.intact_entries) == (None, 9)


def test_deleting_the_first_entries_is_seen(written):
    ids = entry_ids(written)
    drop_the_triggers(written)
    run_sql(written, "DELETE FROM auditentry WHERE id <= :id", id=ids[1])
    result = check(written)
    assert result.broken.entry_id == ids[2]
    assert "the entries before it were deleted" in result.broken.problem


def test_an_entry_rewritten_with_a_new_hash_is_seen_at_the_next_one(written):
    """Someone who knows the hashing can re-hash the entry they changed, but not the next link."""
    ids = entry_ids(written)
    drop_the_triggers(written)
    with read_session(written) as session:
        entry = session.get(AuditEntry, ids[3])
        forged = {**entry.model_dump(), "actor": "someone else"}
    run_sql(
        written,
        "UPDATE auditentry SET actor = :actor, entry_hash = :hash WHERE id = :id",
        actor=forged["actor"],
        hash=link_hash(forged["prev_hash"], forged),
        id=ids[3],
    )
    result = check(written)
    assert result.broken.entry_id == ids[4]
    assert f"entry {ids[3]} was rewritten along with its hash" in result.broken.problem


def test_eight_writers_released_at_once_leave_one_unbroken_chain(engine):
    writers = 8
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            with write_session(f"writer {number}", engine) as session:
                session.add(Partnership(code=f"W{number}", name=f"Writer {number}"))
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = check(engine)
    assert (result.broken, result.intact_entries) == (None, writers)
    assert {e.actor for e in trail(engine)} == {f"writer {n}" for n in range(writers)}


#: More entries than the revision hashes per batch (10,000), so that batches must join up.
OLD_ENTRIES = 10_012


def old_entries() -> list[dict]:
    """Entries as the trail held them before the chain: no hashes; odd values among them."""
    start = datetime(2025, 1, 1, 9, 30, tzinfo=UTC)
    return [
        {"at": start + timedelta(seconds=n, microseconds=n % 7),
         "actor": f"user {n % 5}", "action": "update", "table_name": "pupil",
         "row_id": n if n % 3 else None, "before": '{"name": "Ådne"}',
         "after": '{"name": "Zoë — \\"quoted\\""}' if n % 2 else None}
        for n in range(OLD_ENTRIES)
    ]  # fmt: skip


def columns_of_the_trail(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {column["name"] for column in inspect(connection).get_columns("auditentry")}


def test_the_migration_chains_the_entries_already_there(store_url):
    command.upgrade(alembic_config(store_url), BEFORE_THE_CHAIN)
    engine = get_engine(store_url)
    with engine.begin() as connection:
        connection.execute(insert(AuditEntry.__table__), old_entries())
    upgrade(store_url)
    result = check(engine, batch=4_000)
    assert (result.broken, result.intact_entries) == (None, OLD_ENTRIES)
    assert trail(engine)[0].prev_hash == GENESIS
    with pytest.raises(IntegrityError, match=APPEND_ONLY):
        run_sql(engine, "UPDATE auditentry SET actor = 'someone else'")


def test_the_revision_goes_back_and_forth(store_url):
    upgrade(store_url)
    a_series_of_writes(get_engine(store_url))
    command.downgrade(alembic_config(store_url), BEFORE_THE_CHAIN)
    get_engine(store_url).dispose()  # SQLite's batch rebuild replaced the table
    assert not {"prev_hash", "entry_hash"} & columns_of_the_trail(get_engine(store_url))
    upgrade(store_url)
    result = check(get_engine(store_url))
    assert (result.broken, result.intact_entries) == (None, 8)
