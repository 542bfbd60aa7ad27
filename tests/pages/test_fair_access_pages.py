"""The Fair Access pages on the sample county (issue 5): the case list with its clocks, the
fairness view and the annual report, each figure checked against a count made in plain SQL."""

import io
from datetime import date

import openpyxl
from conftest import TODAY
from direct_counts import _rows
from page_helpers import FAIR_ACCESS, FAIRNESS, downloads, open_page, shown_text

from seips_core.auth.roles import Role
from seips_core.school_days import academic_year_start

__all__ = ["downloads"]  # the fixture, used by name

OPEN_CASES = """
    SELECT COUNT(*) FROM fairaccesscase c JOIN partnership p ON p.id = c.partnership_id
    WHERE p.code = :code AND c.referred_date <= :on
      AND (c.on_roll_date IS NULL OR c.on_roll_date > :on)"""
#: R13b: allocations decided in the period to the partnership's member schools.
ALLOCATIONS = """
    SELECT COUNT(*) FROM fairaccesscase c JOIN school s ON s.id = c.allocated_school_id
    JOIN partnership p ON p.id = s.partnership_id
    WHERE p.code = :code AND s.is_member AND c.decision_date BETWEEN :start AND :end"""
MEMBERS = """
    SELECT COUNT(*) FROM school s JOIN partnership p ON p.id = s.partnership_id
    WHERE p.code = :code AND s.is_member"""
#: R24: children admitted (on roll) under Fair Access in an academic year, county-wide.
ADMITTED = """
    SELECT COUNT(*) FROM fairaccesscase c WHERE c.allocated_school_id IS NOT NULL
      AND c.on_roll_date BETWEEN :start AND :end"""


def metric(app, label: str) -> int:
    (found,) = [each for each in app.metric if each.label == label]
    return int(found.value.replace(",", ""))


def test_the_case_list_counts_and_lists_every_open_case_of_the_partnership(app_as, county_url):
    app = open_page(app_as(Role.COORDINATOR), FAIR_ACCESS)
    expected = _rows(county_url, OPEN_CASES, code="NW", on=TODAY)[0][0]
    assert expected > 0, "the sample has open Fair Access cases in NW"
    assert metric(app, "Open cases") == expected
    (listing,) = [table for table in app.table if "Allocation clock" in table.value.columns]
    assert len(listing.value) == expected
    # Every R21 clock shown names its rule, and a case past a limit says so in words.
    clocks = [clock for clock in listing.value["Allocation clock"] if clock]
    assert clocks and all("R21:" in clock for clock in clocks)
    past = metric(app, "Past a limit")
    marked = sum(
        "✖ Past" in f"{row['Allocation clock']} {row['On-roll clock']}"
        for _, row in listing.value.iterrows()
    )
    assert marked >= past


def test_the_case_list_also_shows_closed_cases_when_asked(app_as, county_url):
    app = open_page(app_as(Role.COORDINATOR), FAIR_ACCESS)
    (listing,) = [table for table in app.table if "Allocation clock" in table.value.columns]
    opened = len(listing.value)
    app.toggle[0].set_value(True).run()
    (listing,) = [table for table in (*app.table, *app.dataframe)
                  if "Allocation clock" in table.value.columns]  # fmt: skip
    assert len(listing.value) > opened
    assert "On roll (" in shown_text(app)


def test_the_fairness_view_counts_the_partnerships_allocations_in_the_period(app_as, county_url):
    app = open_page(app_as(Role.CHAIR), FAIRNESS)
    start = date(academic_year_start(TODAY), 9, 1)
    expected = _rows(county_url, ALLOCATIONS, code="NW", start=start, end=TODAY)[0][0]
    assert metric(app, "Allocations") == expected
    (table,) = [table for table in app.table if "Fair share" in table.value.columns]
    assert len(table.value) == _rows(county_url, MEMBERS, code="NW")[0][0]
    assert table.value["Allocations"].sum() == expected
    # The fair shares share out exactly the period's allocations (R13b).
    assert abs(table.value["Fair share"].sum() - expected) < 0.1 * len(table.value)
    if expected:
        assert app.get("plotly_chart"), "the over/under chart is drawn"


def test_the_chairs_annual_report_workbook_totals_the_admissions(app_as, county_url, downloads):
    app = open_page(app_as(Role.COUNTY_ADMIN), FAIRNESS)  # the whole county: the LA's return
    assert any("every partnership of the county" in each.value for each in app.caption)
    (year,) = [each for each in app.selectbox if each.label == "Academic year"]
    start_year = year.value
    book = openpyxl.load_workbook(io.BytesIO(downloads["Download the report (Excel)"]))
    rows = [row for row in book.active.iter_rows(values_only=True) if any(row)]
    (total,) = [row for row in rows if row[0] and str(row[0]).lower().startswith("county total")]
    expected = _rows(
        county_url,
        ADMITTED,
        start=date(start_year, 9, 1),
        end=date(start_year + 1, 8, 31),
    )[0][0]
    assert [cell for cell in total if isinstance(cell, int)][-1] == expected
    assert "Schools Adjudicator" in str(rows[0][0])
