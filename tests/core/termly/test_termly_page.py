"""The termly report's printable page: every section under its heading, the two charts as
inline SVG with their alternative text and the figures they draw, A4 print rules, nothing
fetched or run, and no pupil named anywhere (sample county, both engines)."""

from html import escape, unescape
from html.parser import HTMLParser
from io import BytesIO

from openpyxl import load_workbook
from termly_helpers import CHAIR, TODAY, rows

from seips_core.db import read_session
from seips_core.queries.tiers import tier_counts
from seips_core.reports.termly import termly_workbook
from seips_core.reports.termly_page import termly_html


class Tables(HTMLParser):
    """Each table's caption → its rows of cell texts (header, body and total rows alike)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag) -> None:
        if tag == "caption":
            self.tables["".join(self._caption)] = self._rows
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data) -> None:
        for part in (self._caption, self._cell):
            if part is not None:
                part.append(data)


def test_every_section_is_on_its_own_page_under_its_heading_for_a4(built):
    html = termly_html(built.report)
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>North Wold — termly report, Spring 2026</title>" in html
    for section in built.report.sections:
        assert f">{escape(section.heading)}</h2>" in html, section.heading
    assert html.count("<section ") == len(built.report.sections)
    assert "@page { size: A4 portrait" in html and "section { break-before: page; }" in html
    # Standalone: nothing run, nothing fetched.
    assert "<script" not in html and "<link" not in html and " src=" not in html


def test_the_tier_table_on_the_page_totals_as_the_query(built):
    parser = Tables()
    parser.feed(termly_html(built.report))
    table = parser.tables["Pupils at each tier per school on 4 March 2026"]
    header, total = table[0], table[-1]
    with read_session(built.engine) as session:
        view = tier_counts(session, CHAIR, "NW", on=TODAY)
    assert total[0] == "Total"
    assert [int(total[header.index(f"Tier {t}")]) for t in (1, 2, 3, 4)] == list(
        view.totals.pupils_by_tier
    )
    assert total[header.index("Number on roll")] == f"{view.totals.number_on_roll:,}"


def test_the_two_charts_are_svg_images_with_alt_text_drawing_the_tables_figures(built):
    html = termly_html(built.report)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
    tiers = built.report.section("Tier counts").tables[0]
    trend = built.report.section("Trend").tables[0]
    for table in (tiers, trend):
        assert f">{escape(table.chart.alt)}</desc>" in html
    assert "Stacked bar chart: pupils at Tiers 1 to 4 in each of the 11 schools" in tiers.chart.alt
    text = unescape(html)
    for row in tiers.rows:  # one bar segment per school and tier with pupils
        for tier in (1, 2, 3, 4):
            count = row[tiers.columns.index(f"Tier {tier}")]
            assert (f"{row[0]}: Tier {tier}, {count}</title>" in text) == (count > 0)
    for row in trend.rows:  # one point per term and tier
        for tier in (1, 2, 3, 4):
            count = row[trend.columns.index(f"Tier {tier}")]
            assert f"Tier {tier}, {row[0]}: {count}</title>" in text


def test_no_pupil_is_named_on_the_page_or_in_the_workbook(built):
    pupils = rows(built.engine, "SELECT first_name, last_name, case_ref FROM pupil")
    assert len(pupils) > 100
    html = unescape(termly_html(built.report))
    book = load_workbook(BytesIO(termly_workbook(built.report)))
    cells = "\n".join(
        str(value)
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    )
    for first, last, case_ref in pupils:
        for text in (html, cells):
            assert f"{first} {last}" not in text
            assert case_ref not in text
