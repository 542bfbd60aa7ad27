"""``seips audit verify``: an auditor checks from the shell that the trail is whole."""

from sqlalchemy import select, text

from seips_core.db import get_engine, read_session, write_session
from seips_core.migrate import upgrade
from seips_core.models import AuditEntry, Partnership


def a_store_with_entries(url: str, entries: int) -> list[int]:
    """A migrated store whose trail holds ``entries`` entries; their ids."""
    upgrade(url)
    engine = get_engine(url)
    for number in range(entries):
        with write_session(f"co-ordinator {number}", engine) as session:
            session.add(Partnership(code=f"P{number}", name=f"Partnership {number}"))
    with read_session(engine) as session:
        return list(session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def tamper(url: str, *statements: str) -> None:
    """As the table's owner could: drop the append-only triggers, then rewrite the trail."""
    with get_engine(url).begin() as connection:
        for statement in (
            "DROP TRIGGER auditentry_append_only_update",
            "DROP TRIGGER auditentry_append_only_delete",
            *statements,
        ):
            connection.execute(text(statement))


def test_an_intact_trail_is_counted_and_its_newest_hash_shown(seips, sqlite_url):
    ids = a_store_with_entries(sqlite_url, 5)
    result = seips("audit", "verify")
    assert result.exit_code == 0, result.output
    with read_session(get_engine(sqlite_url)) as session:
        newest = session.get(AuditEntry, ids[-1]).entry_hash
    assert "Audit trail intact: 5 entries." in result.output
    assert f"Newest entry: {ids[-1]}, hash {newest}" in result.output


def test_a_changed_entry_is_named_and_exits_1(seips, sqlite_url):
    ids = a_store_with_entries(sqlite_url, 5)
    tamper(sqlite_url, f"UPDATE auditentry SET actor = 'nobody' WHERE id = {ids[2]}")
    result = seips("audit", "verify")
    assert result.exit_code == 1
    assert f"Audit trail broken at entry {ids[2]}: its content was changed" in result.output
    assert "The 2 entries before it are intact." in result.output


def test_a_deleted_entry_is_named_and_exits_1(seips, sqlite_url):
    ids = a_store_with_entries(sqlite_url, 5)
    tamper(sqlite_url, f"DELETE FROM auditentry WHERE id = {ids[3]}")
    result = seips("audit", "verify")
    assert result.exit_code == 1
    assert f"Audit trail broken at entry {ids[4]}:" in result.output
    assert f"entry {ids[3]} was deleted" in result.output


def test_a_store_without_the_chain_is_sent_to_seips_init(seips):
    result = seips("audit", "verify")
    assert result.exit_code == 1
    assert "run `seips init`" in result.output
