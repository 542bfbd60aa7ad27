"""``seips restore``: a copy made by ``seips backup`` put back, end to end (issue 14).

Every refusal leaves the store as it was; every restore keeps the store it replaced.
"""

import sqlite3
import stat
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select

from seips_core.backups import head_revision, restore
from seips_core.db import get_engine, read_session
from seips_core.migrate import alembic_config
from seips_core.models import AuditEntry, Pupil, School

EXAMPLE = Path(__file__).parents[2] / "sample_data" / "example"
GIAS = Path(__file__).parents[1] / "fixtures" / "gias" / "edubasealldata20261201.csv"
#: A revision before this version's head (the partnership's quorum, issue 12).
OLDER = "88701b8fe262"


def _facts(url: str) -> dict[str, object]:
    """What an operator checks after a restore: counts, and one value the change touched."""
    with read_session(get_engine(url)) as session:
        count = lambda table: session.scalar(select(func.count()).select_from(table))  # noqa: E731
        return {
            "schools": count(School),
            "pupils": count(Pupil),
            "audit entries": count(AuditEntry),
            "990001": session.scalar(select(School.name).where(School.urn == 990001)),
        }


@pytest.fixture
def county(seips, sqlite_url, tmp_path, monkeypatch) -> str:
    """The example county imported; the working folder is the test's (``backups/`` lands in
    it). The store's URL."""
    monkeypatch.chdir(tmp_path)
    assert seips("import", str(EXAMPLE)).exit_code == 0
    return sqlite_url


def _change(seips) -> None:
    """Schools from GIAS, one of them a new name for a stored school: audited changes."""
    renamed = GIAS.read_bytes().replace(b"900001", b"990001")
    Path("gias.csv").write_bytes(renamed)
    result = seips("gias", "gias.csv", "--la", "877", "--partnership", "EXV")
    assert result.exit_code == 0, result.output


def test_backup_change_restore_brings_the_store_back_and_keeps_what_it_replaced(seips, county):
    assert seips("backup", "before.db").exit_code == 0
    before = _facts(county)
    _change(seips)
    changed = _facts(county)
    assert changed["990001"] == "St Mary’s Catholic School" and changed != before

    refused = seips("restore", "before.db")
    assert refused.exit_code == 1
    assert "Nothing was restored: the store holds 5 audited change(s) made since the copy" in (
        refused.output
    )
    assert "by cli:" in refused.output and "--force" in refused.output
    assert _facts(county) == changed

    result = seips("restore", "before.db", "--force", "--keep-as", "kept/replaced.db")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "The store it replaced is kept at kept/replaced.db."
    assert _facts(county) == before
    assert _facts("sqlite:///kept/replaced.db") == changed
    assert stat.S_IMODE(Path("kept/replaced.db").stat().st_mode) == 0o600  # children's records
    with sqlite3.connect("kept/replaced.db") as kept:
        assert kept.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_copy_that_holds_everything_the_store_has_needs_no_force(seips, county):
    assert seips("backup", "before.db").exit_code == 0
    _change(seips)
    assert seips("backup", "after.db").exit_code == 0
    changed = _facts(county)
    assert seips("restore", "before.db", "--force").exit_code == 0

    result = seips("restore", "after.db")  # the store's newest entry is in this copy
    assert result.exit_code == 0, result.output
    assert _facts(county) == changed
    kept = result.output.splitlines()[-1].removeprefix("The store it replaced is kept at ")
    assert kept.startswith("backups/replaced-") and Path(kept.rstrip(".")).is_file()


def test_a_damaged_copy_is_refused_and_the_store_left_alone(seips, county):
    assert seips("backup", "copy.db").exit_code == 0
    data = bytearray(Path("copy.db").read_bytes())
    page = 4096
    data[3 * page : 5 * page] = b"\xa5" * (2 * page)  # two pages of tables overwritten
    Path("damaged.db").write_bytes(bytes(data))
    before = _facts(county)
    result = seips("restore", "damaged.db", "--force")
    assert result.exit_code == 1
    assert result.output.startswith("damaged.db is damaged or not a SQLite store (")
    assert "nothing was restored" in result.output
    assert _facts(county) == before and not Path("backups").exists()


def test_a_file_that_is_no_seips_store_is_refused(seips, county):
    Path("notes.txt").write_text("not a database\n" * 400)
    assert "notes.txt is damaged or not a SQLite store" in seips("restore", "notes.txt").output
    with sqlite3.connect("other.db") as other:
        other.execute("CREATE TABLE things (name TEXT)")
    result = seips("restore", "other.db", "--force")
    assert result.exit_code == 1
    assert "other.db is a SQLite file but not a SEIPS store" in result.output


def test_a_copy_from_a_newer_seips_is_refused(seips, county):
    assert seips("backup", "copy.db").exit_code == 0
    with sqlite3.connect("copy.db") as copy:
        copy.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    result = seips("restore", "copy.db", "--force")
    assert result.exit_code == 1
    assert "made by a newer version of SEIPS" in result.output and "f00dfeedbeef" in result.output


def test_a_copy_of_an_older_schema_is_upgraded_after_restoring(seips, county, tmp_path):
    old = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(old), OLDER)
    result = seips("restore", "old.db", "--force")
    assert result.exit_code == 0, result.output
    assert f"(revision {OLDER}) was upgraded" in result.output
    with sqlite3.connect(tmp_path / "seips.db") as store:
        assert store.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
        columns = {row[1] for row in store.execute("PRAGMA table_info(school)")}
    assert {"establishment_type", "trust"} <= columns


def test_restore_of_a_postgresql_store_says_to_use_pg_restore(seips, monkeypatch):
    monkeypatch.setenv("SEIPS_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    result = seips("restore", "copy.dump")
    assert result.exit_code == 1
    assert "pg_restore" in result.output


def test_a_copy_of_another_store_is_refused_without_force(seips, county, monkeypatch, tmp_path):
    monkeypatch.setenv("SEIPS_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    assert seips("import", str(EXAMPLE)).exit_code == 0  # the same rows, another trail
    monkeypatch.setenv("SEIPS_DATABASE_URL", county)
    before = _facts(county)
    result = seips("restore", "other.db")
    assert result.exit_code == 1
    assert "the copy is not an earlier state of the store: the store's newest change" in (
        result.output
    )
    assert _facts(county) == before


def test_quiet_restore_says_one_line(seips, county):
    assert seips("backup", "before.db").exit_code == 0
    result = seips("restore", "before.db", "--quiet")
    assert result.exit_code == 0, result.output
    store = Path(get_engine(county).url.database)
    assert result.output.splitlines() == [f"Restored {store} from before.db."]


def test_a_restore_reports_keeping_writing_and_upgrading_in_that_order(county, tmp_path):
    old = tmp_path / "old.db"
    command.upgrade(alembic_config(f"sqlite:///{old}"), OLDER)
    heard: list[tuple[str, int, int | None]] = []
    store = Path(get_engine(county).url.database)
    restore(old, store, tmp_path / "kept.db", force=True, progress=lambda *r: heard.append(r))
    steps = list(dict.fromkeys(step for step, _, _ in heard))
    assert steps == ["copying pages", "writing the copy into the store", "upgrading the schema"]
    pages = [(done, total) for step, done, total in heard if step == "copying pages"]
    assert pages[0][0] == 0 and pages[-1][0] == pages[-1][1] > 0  # the kept store, whole
    assert heard[-1] == ("upgrading the schema", 1, 1)
