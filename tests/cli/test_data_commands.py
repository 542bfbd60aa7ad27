"""``seips sample``, ``flags``, ``import`` and ``export`` as a co-ordinator runs them."""

import csv
import json
from pathlib import Path

from sqlalchemy import func, select

from seips_core.db import get_engine, read_session
from seips_core.models import AuditEntry, Pupil, School

SAMPLE_DATA = Path(__file__).parents[2] / "sample_data"


def _count(url: str, table) -> int:
    with read_session(get_engine(url)) as session:
        return session.scalar(select(func.count()).select_from(table))


def _example_pupils() -> int:
    with (SAMPLE_DATA / "example" / "pupils.csv").open(newline="") as file:
        return sum(1 for _ in csv.DictReader(file))


def test_sample_fills_an_empty_store_and_refuses_a_full_one(seips, sqlite_url):
    first = seips("sample")
    assert first.exit_code == 0, first.output
    pupils = _count(sqlite_url, Pupil)
    assert 1_500 <= pupils <= 2_500
    assert f"{pupils:,}" in first.output

    second = seips("sample")
    assert second.exit_code == 1
    assert "already holds data" in second.output
    assert _count(sqlite_url, Pupil) == pupils


def test_flags_as_json_name_the_rule_the_subject_and_what_is_wrong(seips):
    assert seips("sample").exit_code == 0
    result = seips("flags", "--format", "json")
    assert result.exit_code == 0, result.output
    flags = json.loads(result.output)
    assert flags, "the sample county plants a case for every rule"
    assert all({"rule", "subject", "message"} <= set(flag) for flag in flags)
    assert {"R7", "R8", "R13a", "R16", "R21", "R25"} <= {flag["rule"] for flag in flags}
    assert all(flag["rule"].startswith("R") and flag["message"] for flag in flags)


def test_flags_for_one_partnership_are_a_subset_of_the_county(seips):
    assert seips("sample").exit_code == 0
    county = json.loads(seips("flags", "--format", "json").output)
    nw = json.loads(seips("flags", "--format", "json", "--partnership", "NW").output)
    assert 0 < len(nw) < len(county)
    assert all(flag["partnership"] in ("NW", None) for flag in nw)


def test_a_bad_import_is_refused_with_every_problem_and_changes_nothing(seips, sqlite_url):
    assert seips("import", str(SAMPLE_DATA / "example")).exit_code == 0
    schools, audit = _count(sqlite_url, School), _count(sqlite_url, AuditEntry)

    result = seips("import", str(SAMPLE_DATA / "bad_example"))
    assert result.exit_code == 1
    assert result.output.startswith("Nothing was imported: 9 problems to put right.")
    assert "notes.csv" in result.output  # an unknown file
    assert "schools.csv row" in result.output  # file and row of a bad value
    assert (_count(sqlite_url, School), _count(sqlite_url, AuditEntry)) == (schools, audit)


def test_a_good_import_adds_its_rows_and_audits_them(seips, sqlite_url):
    result = seips("import", str(SAMPLE_DATA / "example"))
    assert result.exit_code == 0, result.output
    assert _count(sqlite_url, Pupil) == _example_pupils()
    with read_session(get_engine(sqlite_url)) as session:
        actors = set(session.scalars(select(AuditEntry.actor).distinct()))
    assert len(actors) == 1 and actors.pop().startswith("cli:")


def test_export_writes_what_import_reads(seips, tmp_path, monkeypatch):
    assert seips("import", str(SAMPLE_DATA / "example")).exit_code == 0
    folder = tmp_path / "out"
    assert seips("export", str(folder)).exit_code == 0
    assert (folder / "pupils.csv").exists()
    workbook = tmp_path / "county.xlsx"
    assert seips("export", str(workbook)).exit_code == 0
    assert workbook.stat().st_size > 0

    monkeypatch.setenv("SEIPS_DATABASE_URL", f"sqlite:///{tmp_path / 'copy.db'}")
    assert seips("import", str(workbook)).exit_code == 0
    assert _count(f"sqlite:///{tmp_path / 'copy.db'}", Pupil) == _example_pupils()
