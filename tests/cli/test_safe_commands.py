"""The command line on a real or demo store, as an administrator meets it: demo and real data
kept apart, short messages instead of tracebacks, files for their owner only."""

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

import seips_core.cli as cli
from seips_core.auth.demo import is_demo_store
from seips_core.db import get_engine, read_session
from seips_core.models import Pupil

SAMPLE_DATA = Path(__file__).parents[2] / "sample_data"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _short(result) -> list[str]:
    """The output's lines, checked to be a plain message: no traceback, exit code 1."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.strip().splitlines()


@pytest.fixture
def served(monkeypatch) -> list[list[str]]:
    """What ``seips serve`` would run (the dashboard server replaces the process)."""
    commands = []
    monkeypatch.setattr(cli.os, "execv", lambda _program, command: commands.append(command))
    return commands


def test_serve_on_a_new_store_says_how_to_start_instead_of_making_a_demo(seips, served):
    lines = _short(seips("serve"))
    assert len(lines) == 2
    assert "seips serve --demo" in lines[0]
    assert "seips init" in lines[1] and "seips import" in lines[1]
    assert served == []


def test_serve_after_init_says_to_import_and_refuses_the_demo(seips, served):
    assert seips("init").exit_code == 0
    (line,) = _short(seips("serve"))
    assert "seips import" in line
    (refusal,) = _short(seips("serve", "--demo"))
    assert "for real data" in refusal and "never go into it" in refusal
    assert served == []


def test_serve_demo_fills_a_new_store_with_the_sample_and_listens_on_this_machine(
    seips, served, sqlite_url
):
    result = seips("serve", "--demo", "--port", "8642")
    assert result.exit_code == 0, result.output
    (command,) = served
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "8642"
    assert "http://localhost:8642" in result.output
    with read_session(get_engine(sqlite_url)) as session:
        assert is_demo_store(session)
        assert session.scalar(select(func.count()).select_from(Pupil)) > 1_000


def test_serve_listens_on_every_interface_only_when_told(seips, served, monkeypatch):
    assert seips("sample").exit_code == 0
    assert seips("serve", "--address", "0.0.0.0").exit_code == 0
    monkeypatch.setenv("SEIPS_SERVER_ADDRESS", "192.0.2.10")
    assert seips("serve").exit_code == 0
    addresses = [command[command.index("--server.address") + 1] for command in served]
    assert addresses == ["0.0.0.0", "192.0.2.10"]


def test_an_import_into_the_sample_is_refused_saying_how_to_make_a_real_store(seips):
    assert seips("sample").exit_code == 0
    (line,) = _short(seips("import", str(SAMPLE_DATA / "example")))
    assert "demo store" in line
    assert "seips init" in line and "seips import" in line


def test_a_file_that_is_no_workbook_is_one_short_message(seips, tmp_path):
    fake = tmp_path / "pupils.xlsx"
    fake.write_text("case_ref,first_name\nEX-1,Alex\n")
    lines = _short(seips("import", str(fake)))
    assert lines[0] == "Nothing was imported: 1 problem to put right."
    assert lines[1].strip().startswith("pupils.xlsx: not an Excel workbook")
    assert len(lines) == 2


def test_a_store_that_cannot_be_opened_is_one_line_naming_it(seips, monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'no such folder' / 'seips.db'}"
    monkeypatch.setenv("SEIPS_DATABASE_URL", url)
    (line,) = _short(seips("flags"))
    assert line.startswith(f"The store {url} could not be used:")


def test_a_password_in_the_store_address_is_not_printed(seips, monkeypatch):
    monkeypatch.setenv("SEIPS_DATABASE_URL", "postgresql://seips:s3cret@127.0.0.1:1/seips")
    (line,) = _short(seips("init"))
    assert "s3cret" not in line and "seips:***@127.0.0.1:1" in line


def test_the_store_backups_exports_and_sample_are_readable_by_their_owner_only(
    seips, sqlite_url, tmp_path
):
    assert seips("sample").exit_code == 0
    store = Path(sqlite_url.removeprefix("sqlite:///"))
    engine = get_engine(sqlite_url)
    with engine.connect():  # while in use, the WAL and shared-memory files exist too
        files = [store, Path(f"{store}-wal"), Path(f"{store}-shm")]
        assert all(path.exists() for path in files)
        assert {path.name: _mode(path) for path in files} == {path.name: 0o600 for path in files}
    assert seips("backup", str(tmp_path / "backups" / "copy.db")).exit_code == 0
    assert seips("export", str(tmp_path / "export")).exit_code == 0
    assert seips("export", str(tmp_path / "export.xlsx")).exit_code == 0
    written = [tmp_path / "backups" / "copy.db", tmp_path / "export.xlsx"]
    written += sorted((tmp_path / "export").iterdir())
    assert {path.name: _mode(path) for path in written} == {path.name: 0o600 for path in written}
    assert _mode(tmp_path / "export") == 0o700


def test_a_store_made_readable_by_others_is_made_owner_only_when_opened(tmp_path):
    store = tmp_path / "copied-in.db"
    store.touch(mode=0o644)
    os.chmod(store, 0o644)
    with get_engine(f"sqlite:///{store}").connect():
        assert _mode(store) == 0o600
