"""Imports into a real store, on SQLite and PostgreSQL: all of it, or nothing at all."""

import csv
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func
from sqlmodel import SQLModel, select

import seips_core.transfer.importer as importer
from seips_core.db import read_session
from seips_core.models import (
    AgendaItem,
    AuditEntry,
    Decision,
    FairAccessCase,
    FairAccessCategory,
    Meeting,
    MeetingInvitation,
    Pupil,
    Referral,
)
from seips_core.transfer import ImportRefused, import_path

SAMPLE_DATA = Path(__file__).parents[2] / "sample_data"
EXAMPLE = SAMPLE_DATA / "example"
BAD_EXAMPLE = SAMPLE_DATA / "bad_example"

#: What a co-ordinator reads when importing ``sample_data/bad_example`` (see its README).
BAD_EXAMPLE_PROBLEMS = [
    "notes.csv: unknown name: each file or sheet is named after its table: partnerships, "
    "schools, pupils, tier_history, referrals, fair_access_cases, fair_access_refusals, "
    "exclusions, providers, safeguarding_confirmations, placements, meetings, invitations, "
    "agenda_items, decisions, actions, funding_rates, term_dates, settings",
    "partnerships.csv, column name: missing required column",
    "schools.csv row 2, column number_on_roll: must be a whole number 0 or more (not 'lots')",
    "pupils.csv row 4, column case_ref: "
    "case reference BX-002 appears twice in this file (first at row 3)",
    "tier_history.csv row 3, column tier: R5: must be a whole number from 1 to 4 (not '5')",
    "referrals.csv row 2, column school_urn: unknown school URN 999999",
    "exclusions.csv row 2, column start_date: "
    "must be a date written YYYY-MM-DD or DD/MM/YYYY (not '31/02/2026')",
    "placements.csv row 2, column hours_per_week: required: this cell is empty",
    "meetings.csv row 2, column kind: R19: must be one of panel, inclusion_forum (not 'assembly')",
]


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def data_rows_per_file(folder: Path) -> dict[str, int]:
    return {path.stem: len(csv_rows(path)) - 1 for path in folder.glob("*.csv")}


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the store, the audit trail included."""
    with read_session(engine) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def refused_problems(path: Path, engine: Engine) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_path(path, engine, actor="co-ordinator@example")
    return [str(problem) for problem in refused.value.problems]


def test_the_example_imports_with_a_row_for_each_line_of_each_file(engine):
    counts = import_path(EXAMPLE, engine, actor="co-ordinator@example")
    assert counts == data_rows_per_file(EXAMPLE)
    stored = row_counts(engine)
    assert stored["pupil"] == counts["pupils"]
    assert stored["meetinginvitation"] == counts["invitations"]
    categories = sum(
        len(row[6].split(";")) for row in csv_rows(EXAMPLE / "fair_access_cases.csv")[1:]
    )
    assert stored["fairaccesscategory"] == categories
    # Every row inserted is audited, as the co-ordinator who imported it (the change markers
    # are the trail's own bookkeeping, one row per partnership or county moved).
    trail = ("auditentry", "change_marker")
    assert stored["auditentry"] == sum(n for name, n in stored.items() if name not in trail)
    assert stored["change_marker"] >= 1
    with read_session(engine) as session:
        actors = session.exec(select(AuditEntry.actor).distinct()).all()
    assert actors == ["co-ordinator@example"]


def test_imported_values_are_read_as_the_co_ordinator_meant_them(engine):
    import_path(EXAMPLE, engine, actor="co-ordinator@example")
    with read_session(engine) as session:
        cal = session.exec(select(Pupil).where(Pupil.case_ref == "EX-003")).one()
        case = session.exec(select(FairAccessCase)).one()
        categories = session.exec(
            select(FairAccessCategory.category).where(FairAccessCategory.case_id == case.id)
        ).all()
        move = session.exec(select(Decision).where(Decision.outcome == "agree_managed_move")).one()
    assert cal.date_of_birth == date(2013, 6, 21)  # written 21/06/2013, as MIS exports do
    assert (cal.lac_status, cal.top_up_amount, cal.top_up_year_start) == (
        "own_la",
        Decimal("4200.00"),
        2026,
    )
    assert sorted(categories) == ["out_of_education", "young_carer"]  # R20
    assert (move.parents_agree, move.home_school_agrees, move.receiving_school_agrees) == (
        True,
        True,
        True,
    )  # R16
    assert move.decided_at == datetime(2026, 11, 19, 10, 50, tzinfo=UTC)  # UK time is GMT then


def test_the_bad_example_is_refused_with_every_problem_and_nothing_changes(engine):
    import_path(EXAMPLE, engine, actor="co-ordinator@example")
    before = row_counts(engine)
    assert refused_problems(BAD_EXAMPLE, engine) == BAD_EXAMPLE_PROBLEMS
    assert row_counts(engine) == before


def test_a_second_import_of_the_same_data_is_refused_for_duplicate_keys(engine):
    import_path(EXAMPLE, engine, actor="co-ordinator@example")
    before = row_counts(engine)
    problems = refused_problems(EXAMPLE, engine)
    assert "partnerships.csv row 2, column code: partnership code EXV is already in the store" in (
        problems
    )
    assert "pupils.csv row 2, column case_ref: case reference EX-001 is already in the store" in (
        problems
    )
    assert (
        "settings.csv row 2, column key: setting r8_threshold is already in the store" in problems
    )
    assert row_counts(engine) == before


def test_new_rows_may_point_at_rows_already_in_the_store(engine, tmp_path):
    import_path(EXAMPLE, engine, actor="co-ordinator@example")
    with read_session(engine) as session:
        meeting = session.exec(select(Meeting)).one()
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "referrals.csv").write_text(
        "ref,case_ref,school_urn,route,received_date,summary\n"
        "new-1,EX-004,990002,panel,2026-11-23,'=Risk of Tier 4\n",
        encoding="utf-8",
    )
    (folder / "agenda_items.csv").write_text(
        f"ref,meeting,position,purpose,case_ref,referral\n"
        f"item-9,meeting-{meeting.id},5,referral,EX-004,new-1\n",
        encoding="utf-8",
    )
    assert import_path(folder, engine, actor="co-ordinator@example") == {
        "referrals": 1,
        "agenda_items": 1,
    }
    with read_session(engine) as session:
        referral = session.exec(
            select(Referral).where(Referral.received_date == date(2026, 11, 23))
        ).one()
    assert referral.summary == "=Risk of Tier 4"  # the export's formula escape is stripped


def test_a_case_or_a_decision_already_in_the_store_is_a_problem_not_a_database_error(
    engine, tmp_path
):
    """The store's unique indexes (one item per case on an agenda, one standing decision per
    item) are checked with the rest, so the co-ordinator reads file, row and column."""
    import_path(EXAMPLE, engine, actor="co-ordinator@example")
    with read_session(engine) as session:
        meeting = session.exec(select(Meeting)).one()
        item_id, referral_id = session.exec(
            select(AgendaItem.id, AgendaItem.referral_id).where(AgendaItem.purpose == "referral")
        ).first()
    before = row_counts(engine)
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "agenda_items.csv").write_text(
        "ref,meeting,position,purpose,case_ref,referral\n"
        f"item-9,meeting-{meeting.id},9,referral,EX-001,referral-{referral_id}\n",
        encoding="utf-8",
    )
    (folder / "decisions.csv").write_text(
        "ref,agenda_item,outcome,rationale,decided_by,decided_at\n"
        f"dec-9,agenda-item-{item_id},defer,Again.,Example Co-ordinator,2026-11-19 11:00\n",
        encoding="utf-8",
    )
    assert refused_problems(folder, engine) == [
        f"agenda_items.csv row 2, column referral: meeting and referral meeting-{meeting.id}, "
        f"referral-{referral_id} is already in the store",
        "decisions.csv row 2, column agenda_item: standing decision (amends_decision_id blank) "
        f"of agenda_item agenda-item-{item_id} is already in the store",
    ]
    assert row_counts(engine) == before


def test_an_excel_workbook_imports_like_the_folder_of_csv_files(engine, tmp_path):
    workbook = Workbook()
    workbook.active.title = "Sheet1"  # left empty, as new workbooks have it: ignored
    for path in sorted(EXAMPLE.glob("*.csv")):
        sheet = workbook.create_sheet(path.stem)
        for row in csv_rows(path):
            sheet.append([_as_excel_would_hold(cell) for cell in row])
    workbook.save(tmp_path / "county.xlsx")
    assert import_path(tmp_path / "county.xlsx", engine, actor="co-ordinator@example") == (
        data_rows_per_file(EXAMPLE)
    )
    with read_session(engine) as session:
        invitation = session.exec(select(MeetingInvitation)).first()
    assert invitation.notified_date == date(2026, 11, 5)


def _as_excel_would_hold(cell: str) -> object:
    """Numbers and ISO dates as Excel holds them once typed in, the rest as text."""
    if cell.isdigit():
        return int(cell)
    try:
        return date.fromisoformat(cell)
    except ValueError:
        return cell


def test_an_excel_workbook_is_refused_with_the_same_problems_by_sheet(engine, tmp_path):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for path in sorted(BAD_EXAMPLE.glob("*.csv")):
        sheet = workbook.create_sheet(path.stem)
        for row in csv_rows(path):
            sheet.append(row)
    workbook.save(tmp_path / "bad.xlsx")
    expected = [
        f"bad.xlsx sheet {problem.replace('.csv', '', 1)}" for problem in BAD_EXAMPLE_PROBLEMS
    ]
    assert refused_problems(tmp_path / "bad.xlsx", engine) == expected
    assert row_counts(engine)["auditentry"] == 0


def test_a_database_error_during_the_insert_leaves_the_store_as_it_was(engine, monkeypatch):
    import_path(EXAMPLE, engine, actor="co-ordinator@example")
    before = row_counts(engine)
    # As if another user had added the same rows between the check and the insert: the
    # database's own unique keys refuse them, after some rows of this import went in.
    monkeypatch.setattr(importer, "stored_keys", lambda session: {})
    (problem,) = refused_problems(EXAMPLE, engine)
    assert problem.startswith("example: the database refused the rows:")
    assert row_counts(engine) == before


def test_a_folder_with_a_file_that_is_not_csv_is_refused(engine, tmp_path):
    folder = tmp_path / "import"
    folder.mkdir()
    shutil.copy(EXAMPLE / "partnerships.csv", folder)
    (folder / "pupils.xlsx").write_bytes(b"")
    (folder / ".~lock.partnerships.csv#").write_text("a spreadsheet's lock file: passed over")
    assert refused_problems(folder, engine) == [
        "pupils.xlsx: not a CSV file: the folder holds one .csv file per table"
    ]
    assert row_counts(engine)["partnership"] == 0
