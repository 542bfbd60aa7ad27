"""Progress and ``--quiet`` on the long commands (issue 14), as an operator at a terminal and a
cron job each see them: bars on stderr only when it is a terminal; off a terminal, or with
``--quiet``, none; ``--quiet`` also cuts the summary to its one line; a failure still says what
is wrong on stderr and exits 1."""

from pathlib import Path

import pytest

from seips_core import cli_progress

SAMPLE_DATA = Path(__file__).parents[2] / "sample_data"
EXAMPLE = SAMPLE_DATA / "example"
#: Rows in the worked example, as ``seips import`` counts them.
EXAMPLE_ROWS = 66


@pytest.fixture
def terminal(monkeypatch) -> None:
    """stderr is a terminal, as when an operator runs the command by hand."""
    monkeypatch.setattr(cli_progress, "on_terminal", lambda: True)


def test_off_a_terminal_a_command_prints_its_summary_and_no_progress(seips):
    result = seips("import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"Imported {EXAMPLE_ROWS} rows from {EXAMPLE}:"
    assert lines[3].split() == ["pupils", "12"]


def test_on_a_terminal_each_step_has_a_bar_on_stderr_and_stdout_keeps_the_summary(seips, terminal):
    result = seips("import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    for step in ("reading files", "checking rows", "writing pupils", "writing the audit trail"):
        assert step in result.stderr
    assert "12/12" in result.stderr  # the pupils' bar, full
    assert result.stdout.startswith(f"Imported {EXAMPLE_ROWS} rows from {EXAMPLE}:")
    assert "writing" not in result.stdout


def test_quiet_draws_no_bars_even_on_a_terminal_and_prints_one_line(seips, terminal, tmp_path):
    imported = seips("import", "--quiet", str(EXAMPLE))
    exported = seips("export", "-q", str(tmp_path / "out"))
    backed_up = seips("backup", "--quiet", str(tmp_path / "copy.db"))

    assert [r.exit_code for r in (imported, exported, backed_up)] == [0, 0, 0]
    assert [r.stderr for r in (imported, exported, backed_up)] == ["", "", ""]
    assert imported.stdout == f"Imported {EXAMPLE_ROWS} rows from {EXAMPLE}.\n"
    assert exported.stdout.startswith("Wrote ") and exported.stdout.count("\n") == 1
    assert backed_up.stdout.startswith("Backed up ") and backed_up.stdout.count("\n") == 1
    assert (tmp_path / "copy.db").stat().st_size > 0


def test_the_sample_draws_its_steps_on_a_terminal_and_quiet_prints_one_line(
    seips, terminal, sqlite_url, monkeypatch, tmp_path
):
    shown = seips("sample")
    assert shown.exit_code == 0, shown.output
    assert "making areas" in shown.stderr and "making demo accounts" in shown.stderr

    monkeypatch.setenv("SEIPS_DATABASE_URL", f"sqlite:///{tmp_path / 'quiet.db'}")
    quiet = seips("sample", "--quiet")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    assert quiet.stdout.startswith("Sample county loaded into ") and quiet.stdout.count("\n") == 1


def test_a_refused_import_on_a_terminal_still_lists_its_problems_and_exits_1(seips, terminal):
    result = seips("import", str(SAMPLE_DATA / "bad_example"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Nothing was imported: 9 problems to put right." in result.stderr


def test_backup_on_a_terminal_shows_the_pages_copied(seips, terminal, tmp_path):
    assert seips("import", "-q", str(EXAMPLE)).exit_code == 0
    result = seips("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.output
    assert "copying pages" in result.stderr
    assert result.stdout.startswith("Backed up ")
