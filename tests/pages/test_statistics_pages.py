"""The chair's statistics pages on the sample county (issue 7): tier counts, trends and charges,
each figure checked against plain SQL over the stored rows."""

import io
from datetime import date

import openpyxl
from conftest import TODAY
from direct_counts import _rows, full_names
from page_helpers import CHARGES, TIERS, TRENDS, downloads, open_page, open_part, shown_text

from seips_core.auth.roles import Role

__all__ = ["downloads"]  # the fixture, used by name

#: R6: pupils at each tier on a day in the partnership's schools (a change counts on its day,
#: a period ends the day before ``to_date``).
TIERS_ON = """
    SELECT t.tier, COUNT(DISTINCT t.pupil_id) FROM tierchange t JOIN school s ON s.id = t.school_id
    JOIN partnership p ON p.id = s.partnership_id
    WHERE p.code = :code AND t.from_date <= :on AND (t.to_date IS NULL OR t.to_date > :on)
    GROUP BY t.tier"""


def metric(app, label: str) -> str:
    (found,) = [each for each in app.metric if each.label == label]
    return found.value


def tiers_on(url: str, on: date) -> dict[int, int]:
    return dict(_rows(url, TIERS_ON, code="NW", on=on))


def test_tier_counts_per_school_match_the_tier_history(app_as, county_url):
    app = open_page(app_as(Role.CHAIR), TIERS)
    expected = tiers_on(county_url, TODAY)
    for tier in (1, 2, 3, 4):
        assert int(metric(app, f"Tier {tier}").replace(",", "")) == expected.get(tier, 0)
    (table,) = [each for each in app.table if "Tier 4" in each.value.columns]
    schools = _rows(
        county_url,
        "SELECT COUNT(*) FROM school s JOIN partnership p ON p.id = s.partnership_id "
        "WHERE p.code = 'NW'",
    )[0][0]
    assert len(table.value) == schools
    assert app.get("plotly_chart")


def test_tier_counts_per_thousand_divide_by_the_roll(app_as, county_url):
    app = open_page(app_as(Role.CHAIR), TIERS)
    (scale,) = [each for each in app.toggle if each.label == "Per 1,000 pupils on roll"]
    scale.set_value(True).run()
    (table,) = [each for each in app.table if "Tier 1" in each.value.columns]
    first = table.value.iloc[0]
    roll, tier1 = _rows(
        county_url,
        "SELECT s.number_on_roll, (SELECT COUNT(DISTINCT t.pupil_id) FROM tierchange t "
        "WHERE t.school_id = s.id AND t.tier = 1 AND t.from_date <= :on "
        "AND (t.to_date IS NULL OR t.to_date > :on)) FROM school s WHERE s.name = :name",
        on=TODAY,
        name=first["School"],
    )[0]
    assert first["Tier 1"] == f"{1000 * tier1 / roll:.1f}"


def test_the_trend_counts_each_term_on_its_first_day(app_as, county_url):
    app = open_page(app_as(Role.CHAIR), TRENDS)
    (table,) = [each for each in app.table if "Term" in each.value.columns]
    assert len(table.value) >= 3
    first_days = _rows(
        county_url,
        "SELECT MIN(start_date) FROM termdate GROUP BY academic_year_start, "
        "CASE WHEN name LIKE 'Autumn%' THEN 1 WHEN name LIKE 'Spring%' THEN 2 ELSE 3 END "
        "ORDER BY 1",
    )
    last_term_day = date.fromisoformat(str([d for (d,) in first_days if str(d) <= str(TODAY)][-1]))
    expected = tiers_on(county_url, last_term_day)
    last = table.value.iloc[-1]
    assert [last[f"Tier {tier}"] for tier in (1, 2, 3, 4)] == [
        expected.get(tier, 0) for tier in (1, 2, 3, 4)
    ]
    open_part(app, "trends_part", "Time at Tier 4")
    assert "Median" in shown_text(app) and not [
        each for each in app.table if "Term" in each.value.columns
    ], "one part at a time"


def test_the_charges_total_is_the_sum_of_the_schools(app_as, county_url):
    app = open_page(app_as(Role.CHAIR), CHARGES)
    (schools,) = [each for each in app.table if "Total" in each.value.columns
                  and "School" in each.value.columns]  # fmt: skip
    total = sum(
        float(value.removeprefix("£").replace(",", ""))
        for value in schools.value["Total"]
        if value.startswith("£")
    )
    (shown,) = [each for each in app.metric if each.label.startswith("Total for")]
    assert abs(float(shown.value.removeprefix("£").replace(",", "")) - total) < 0.01
    assert not [each for each in app.table if "Working" in each.value.columns]  # another tab
    open_part(app, "charges_part", "Per pupil, with the working")
    (pupils,) = [each for each in app.table if "Working" in each.value.columns]
    assert all("£" in working or "not" in working for working in pupils.value["Working"])


def test_the_chair_downloads_the_termly_report_with_its_charts(app_as, county_url, downloads):
    app = open_page(app_as(Role.CHAIR), TRENDS)
    (term,) = [box for box in app.selectbox if box.label == "Term"]
    book = openpyxl.load_workbook(io.BytesIO(downloads["Download the report (Excel)"]))
    assert any(sheet._charts for sheet in book.worksheets), "the workbook carries its charts"
    page = downloads["Download the report (printable page, print to PDF)"]
    assert "<svg" in page and "@page" in page
    assert not [name for name in full_names(county_url) if name in page]
    assert term.value.season in str(book.worksheets[0]["A1"].value) + page
