"""R24: the annual report to the Schools Adjudicator: each school's Fair Access admissions in an
academic year, by partnership, as a workbook (opened with openpyxl) and CSV."""

import csv
from datetime import date
from io import BytesIO, StringIO

import pytest
from fairness_store import ADMIN, FairnessStore, actor
from openpyxl import load_workbook
from sqlalchemy import text

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import NotAllowed
from seips_core.reports.fair_access_annual import (
    COLUMNS,
    annual_csv,
    annual_frame,
    annual_workbook,
    fair_access_annual,
)
from seips_core.sample_county import generate_sample

TITLE = "Fair Access admissions 2025/26 — report to the Schools Adjudicator (due 31 October 2026)"


def report(engine, viewer=ADMIN, **kwargs):
    with read_session(engine) as session:
        return fair_access_annual(session, viewer, 2025, **kwargs)


def sheet_rows(workbook: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(workbook)).active
    return list(sheet.iter_rows(values_only=True))


def test_r24_the_sample_countys_workbook_totals_match_a_direct_count(engine):
    generate_sample(engine, today=date(2026, 11, 25))
    with engine.connect() as connection:
        per_partnership = dict(
            connection.execute(
                text(
                    "SELECT p.name, COUNT(*) FROM fairaccesscase c"
                    " JOIN school s ON s.id = c.allocated_school_id"
                    " JOIN partnership p ON p.id = s.partnership_id"
                    " WHERE c.on_roll_date BETWEEN '2025-09-01' AND '2026-08-31'"
                    " GROUP BY p.name"
                )
            ).all()
        )
        schools = connection.execute(text("SELECT COUNT(*) FROM school")).scalar_one()
        partnerships = connection.execute(text("SELECT COUNT(*) FROM partnership")).scalar_one()
    rows = sheet_rows(annual_workbook(report(engine)))
    assert rows[0][0] == TITLE
    assert rows[2] == COLUMNS
    body = rows[3:]
    assert body[-1][0] == "County total"
    assert body[-1][4] == sum(per_partnership.values()) > 0
    subtotals = {row[0].removesuffix(" subtotal"): row[4] for row in body if row[1] is None}
    assert subtotals.pop("County total") == sum(per_partnership.values())
    assert len(subtotals) == partnerships
    assert {name: n for name, n in subtotals.items() if n} == per_partnership
    school_rows = [row for row in body if row[1] is not None]
    assert len(school_rows) == schools
    assert all(isinstance(row[2], int) and isinstance(row[3], int) for row in school_rows)
    lines = list(csv.DictReader(StringIO(annual_csv(report(engine)))))
    assert len(lines) == schools
    assert sum(int(line["Admitted under Fair Access"]) for line in lines) == body[-1][4]


@pytest.fixture
def small(engine):
    with write_session("test", engine) as session:
        add = FairnessStore(session)
        nw, hb = add.partnership("NW"), add.partnership("HB")
        formula = add.school(nw, '=HYPERLINK("http://x.example","Ashby")', roll=900)
        member = add.school(nw, "Beacon", roll=600)
        outside = add.school(nw, "@Castle (not a member)", roll=300, member=False)
        harbury = add.school(hb, "Harbury High", roll=700)
        # Admitted = on roll in 1 Sep 2025 .. 31 Aug 2026, whenever the decision was taken.
        add.case(nw, allocated=member, decided=date(2025, 7, 10), on_roll=date(2025, 9, 1))
        add.case(nw, allocated=member, decided=date(2026, 8, 20), on_roll=date(2026, 8, 31))
        add.case(nw, allocated=formula, decided=date(2025, 11, 1), on_roll=date(2025, 11, 6))
        add.case(nw, allocated=outside, decided=date(2025, 11, 1), on_roll=date(2025, 11, 6))
        add.case(hb, allocated=harbury, decided=date(2026, 1, 1), on_roll=date(2026, 1, 5))
        # Not admitted in 2025/26: on roll a day either side, or never on roll.
        add.case(nw, allocated=member, decided=date(2025, 7, 1), on_roll=date(2025, 8, 31))
        add.case(nw, allocated=member, decided=date(2026, 8, 25), on_roll=date(2026, 9, 1))
        add.case(nw, allocated=member, decided=date(2026, 3, 1))
    return engine


def test_r24_admitted_means_on_roll_in_the_academic_year_at_every_school(small):
    frame = annual_frame(report(small))
    assert list(frame.columns) == list(COLUMNS)
    # By partnership; within one, by name in the database's collation (symbols may sort apart).
    assert frame["Partnership"].tolist() == ["HB Partnership"] + ["NW Partnership"] * 3
    assert dict(zip(frame["School"], frame["Admitted under Fair Access"], strict=True)) == {
        "Harbury High": 1,
        '=HYPERLINK("http://x.example","Ashby")': 1,
        "@Castle (not a member)": 1,
        "Beacon": 2,
    }


def test_r24_the_workbook_has_subtotals_a_total_and_no_formulas(small):
    sheet = load_workbook(BytesIO(annual_workbook(report(small)))).active
    assert sheet["A2"].value == (
        "Children admitted (on roll) under Fair Access from 1 September 2025 "
        "to 31 August 2026 (R24)."
    )
    body = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(row[0], row[3], row[4]) for row in body if row[1] is None] == [
        ("HB Partnership subtotal", 700, 1),
        ("NW Partnership subtotal", 1800, 4),
        ("County total", 2500, 5),
    ]
    # Formula-escaped: text, not a formula that runs when the workbook is opened.
    names = [cell for cell in sheet["B"] if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("http://x.example","Ashby")' in [cell.value for cell in names]
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value
               and isinstance(cell.value, str))  # fmt: skip


def test_r24_the_csv_is_formula_escaped(small):
    lines = list(csv.reader(StringIO(annual_csv(report(small)))))
    assert lines[0] == list(COLUMNS)
    assert {line[1] for line in lines[1:]} == {
        "Harbury High",
        '\'=HYPERLINK("http://x.example","Ashby")',
        "'@Castle (not a member)",
        "Beacon",
    }


def test_r24_an_export_for_chairs_and_county_admins_only(small):
    for role in (Role.VIEWER, Role.COORDINATOR):
        with pytest.raises(NotAllowed, match="export the Fair Access annual report"):
            report(small, actor(role, "NW"), partnership="NW")
    chair = actor(Role.CHAIR, "NW")
    with pytest.raises(NotAllowed, match="whole county"):
        report(small, chair)
    own = report(small, chair, partnership="NW")
    assert {row.partnership_code for row in own.rows} == {"NW"}
    assert own.title == f"{TITLE} — NW Partnership only"
    assert sheet_rows(annual_workbook(own))[-1] == ("Total", None, None, 1800, 4)
