"""``seips gias`` as a county's operator runs it: what it says, and what it leaves (issue 14)."""

from pathlib import Path

from sqlalchemy import func, select

from seips_core.db import get_engine, read_session
from seips_core.models import AuditEntry, School

GIAS = Path(__file__).parents[1] / "fixtures" / "gias" / "edubasealldata20261201.csv"
EXAMPLE = Path(__file__).parents[2] / "sample_data" / "example"


def _facts(url: str) -> tuple[dict[int, str], int]:
    """Each school's name by URN, and the number of audit entries."""
    with read_session(get_engine(url)) as session:
        names = dict(session.execute(select(School.urn, School.name)).all())
        return names, session.scalar(select(func.count()).select_from(AuditEntry))


def test_the_import_lists_what_it_created_and_what_it_noted(seips, sqlite_url):
    assert seips("import", str(EXAMPLE)).exit_code == 0
    result = seips("gias", str(GIAS), "--la", "877", "--partnership", "EXV")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "edubasealldata20261201.csv, LA 877: 5 open secondary school(s)."
    assert lines[1] == "Created 5 (partnership EXV):"
    assert "  URN 900002  Sacré Cœur Catholic High School" in lines
    assert any(line.startswith("Note: edubasealldata20261201.csv row 4, column NumberOfPupils")
               for line in lines)  # fmt: skip
    names, _ = _facts(sqlite_url)
    assert names[900001] == "St Mary’s Catholic School" and names[990001] == "Examplebury Academy"

    again = seips("gias", str(GIAS), "--la", "877")  # no new school: no partnership needed
    assert again.exit_code == 0, again.output
    assert "Unchanged: 5." in again.output


def test_a_refused_import_names_row_and_column_and_writes_nothing(seips, sqlite_url):
    assert seips("import", str(EXAMPLE)).exit_code == 0
    before = _facts(sqlite_url)
    result = seips("gias", str(GIAS), "--la", "879", "--partnership", "EXV")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Nothing was imported: 1 problem to put right.",
        "  edubasealldata20261201.csv row 12, column URN: "
        "must be a whole number 1 or more (not '9000O1')",
    ]
    assert _facts(sqlite_url) == before


def test_a_dry_run_says_what_it_would_do(seips, sqlite_url):
    assert seips("import", str(EXAMPLE)).exit_code == 0
    before = _facts(sqlite_url)
    result = seips("gias", str(GIAS), "--la", "877", "--partnership", "EXV", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would create 5" in result.output and "Nothing was written" in result.output
    assert _facts(sqlite_url) == before
