"""``seips init`` and ``seips backup``: the store's life on the command line."""

import sqlite3

from sqlalchemy import inspect

from seips_core.db import get_engine


def test_init_creates_every_table_in_an_empty_store(seips, sqlite_url):
    result = seips("init")
    assert result.exit_code == 0, result.output
    assert "Store ready" in result.output
    tables = set(inspect(get_engine(sqlite_url)).get_table_names())
    assert {"pupil", "school", "placement", "decision", "auditentry", "alembic_version"} <= tables


def test_backup_copies_the_live_store_to_a_readable_file(seips, tmp_path):
    assert seips("init").exit_code == 0
    copy = tmp_path / "copies" / "backup.db"
    result = seips("backup", str(copy))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(copy) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "pupil" in tables
    # One self-contained file (rollback journal, not WAL): nothing else to copy off-site.
    assert copy.read_bytes()[18:20] == b"\x01\x01"


def test_backup_of_a_postgresql_store_says_to_use_pg_dump(seips, monkeypatch):
    monkeypatch.setenv("SEIPS_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    result = seips("backup")
    assert result.exit_code == 1, result.output
    assert "pg_dump" in result.output
