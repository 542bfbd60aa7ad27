"""Long operations tell their ``progress`` each phase in order, with counts that add up:
an import of the worked example, an export of it, the sample county and a copy of a live
store (issue 14). The default, ``silent``, is what the dashboard and every other caller get."""

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from progress_reports import Recorder
from sqlmodel import select

from seips_core import sqlite_copy
from seips_core.audit_chain import verify_trail
from seips_core.db import read_session, write_session
from seips_core.models import Partnership
from seips_core.sample_county import county, generate_sample
from seips_core.sample_county.plan import NATIONAL
from seips_core.transfer import bulk, export_path, import_path
from seips_core.transfer.formats import FORMATS

EXAMPLE = Path(__file__).parents[2] / "sample_data" / "example"
TODAY = date(2026, 11, 25)


def test_an_import_reports_reading_checking_preparing_then_writing_each_table(sqlite_engine):
    heard = Recorder()
    counts = import_path(EXAMPLE, sqlite_engine, actor="co-ordinator@example", progress=heard)

    steps = heard.steps()
    assert steps[:4] == ["reading files", "reading cells", "checking rows", "preparing rows"]
    assert steps[-1] == "writing the audit trail"
    writes = steps[4:-1]
    assert all(step.startswith("writing ") for step in writes)
    assert [f"writing {name}" for name in counts] == [s for s in writes if s[8:] in counts]
    assert heard.each_step_counts_up_to_its_total()

    assert heard.total("reading files") == len(list(EXAMPLE.glob("*.csv")))
    assert heard.total("reading cells") == heard.total("checking rows") == sum(counts.values())
    assert heard.total("writing pupils") == counts["pupils"]
    written = sum(heard.total(step) for step in writes)
    assert heard.total("preparing rows") == heard.total("writing the audit trail") == written


@pytest.mark.postgres
def test_a_table_is_written_in_chunks_and_the_trail_chains_across_them(engine, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 5)
    heard = Recorder()
    counts = import_path(EXAMPLE, engine, actor="co-ordinator@example", progress=heard)

    assert counts["pupils"] == 12
    assert heard.counts("writing pupils") == [0, 5, 10, 12]
    entries = heard.total("writing the audit trail")
    assert heard.counts("writing the audit trail") == [0, *range(5, entries, 5), entries]
    with read_session(engine) as session:
        trail = verify_trail(session)
    assert (trail.broken, trail.intact_entries) == (None, entries + 1)  # and the store's kind


def test_an_export_reports_each_table_read_then_the_rows_written(sqlite_engine, tmp_path):
    counts = import_path(EXAMPLE, sqlite_engine, actor="co-ordinator@example")
    as_csv, as_excel = Recorder(), Recorder()
    export_path(tmp_path / "csv", sqlite_engine, progress=as_csv)
    export_path(tmp_path / "book.xlsx", sqlite_engine, excel=True, progress=as_excel)

    assert as_csv.steps() == ["reading tables", "writing files"]
    assert as_csv.total("reading tables") == len(FORMATS)
    assert as_csv.total("writing files") == sum(counts.values())
    assert as_excel.steps() == ["reading tables", "writing sheets", "saving the workbook"]
    assert as_excel.total("writing sheets") == sum(counts.values())
    assert as_csv.each_step_counts_up_to_its_total()
    assert as_excel.each_step_counts_up_to_its_total()


def test_the_county_sample_reports_its_area_then_the_accounts_and_statistics(sqlite_engine):
    heard = Recorder()
    generate_sample(sqlite_engine, today=TODAY, progress=heard)
    assert heard.steps() == ["making areas", "making demo accounts", "refreshing query statistics"]
    assert heard.counts("making areas") == [0, 1]
    assert heard.each_step_counts_up_to_its_total()


def test_a_national_shaped_sample_reports_each_authority(sqlite_engine):
    small = replace(
        NATIONAL, areas=3, schools_per_area=12, pupils_per_area=120, fair_access_per_area=8
    )
    heard = Recorder()
    county._generate(sqlite_engine, small, seed=5, today=TODAY, progress=heard)
    assert heard.counts("making areas") == [0, 1, 2, 3]
    assert heard.total("making areas") == 3


def test_a_copy_reports_its_pages_and_is_the_store_as_it_was_when_it_began(
    sqlite_engine, tmp_path, monkeypatch
):
    """A write during the copy neither restarts it (SQLite restarts a stepped backup when the
    source changes between steps, unless the copy reads one snapshot) nor gets into it."""
    import_path(EXAMPLE, sqlite_engine, actor="co-ordinator@example")
    monkeypatch.setattr(sqlite_copy, "PAGES_PER_STEP", 8)
    heard = Recorder()

    def write_while_copying(step: str, done: int, total: int | None) -> None:
        heard(step, done, total)
        if done == 8 and heard.counts(step).count(8) == 1:
            with write_session("someone else", sqlite_engine) as session:
                session.add(Partnership(code="NEW", name="Added during the copy"))

    copy = tmp_path / "copy.db"
    sqlite_copy.copy_database(sqlite_engine.url.database, copy, write_while_copying)

    assert heard.steps() == ["copying pages"]
    pages = heard.total("copying pages")
    assert heard.counts("copying pages") == [0, *range(8, pages, 8), pages]
    with sqlite3.connect(copy) as copied:
        codes = {code for (code,) in copied.execute("SELECT code FROM partnership")}
    with read_session(sqlite_engine) as session:
        assert set(session.scalars(select(Partnership.code))) == codes | {"NEW"}
