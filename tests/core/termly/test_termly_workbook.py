"""The termly report's workbook opened with openpyxl, as a chair would read it: each sheet's
totals against the query behind it and, where a direct count is simple, against plain SQL; the
two native charts over the tables' cells; text formula-escaped (sample county, both engines)."""

from collections import Counter
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from termly_helpers import CHAIR, TODAY, day, rows, sheet_table

from seips_core.db import read_session
from seips_core.queries.ap_load import days_a_week_histogram
from seips_core.queries.charges import charges
from seips_core.queries.fairness import fairness
from seips_core.queries.tiers import tier_counts
from seips_core.queries.trends import (
    exclusions_by_term,
    tier_movements,
    tier_trend,
    time_at_tier4,
)
from seips_core.reports.termly import termly_report, termly_workbook

NW_SCHOOLS = (
    "SELECT s.id, s.name FROM school s JOIN partnership p ON p.id = s.partnership_id"
    " WHERE p.code = 'NW'"
)


def workbook(report):
    return load_workbook(BytesIO(termly_workbook(report)))


def tiers_on(engine, on) -> Counter:
    """R6, in plain SQL: (school name, tier) → pupils at NW's schools on ``on``."""
    found = rows(
        engine,
        "SELECT s.name, t.tier, COUNT(DISTINCT t.pupil_id) FROM tierchange t"
        f" JOIN ({NW_SCHOOLS}) s ON s.id = t.school_id"
        " WHERE t.from_date <= :on AND (t.to_date IS NULL OR t.to_date > :on)"
        " GROUP BY s.name, t.tier",
        on=on,
    )
    return Counter({(name, tier): pupils for name, tier, pupils in found})


def test_one_sheet_per_section_each_with_its_title_rows(built):
    book = workbook(built.report)
    assert book.sheetnames == [section.key for section in built.report.sections]
    for section in built.report.sections:
        sheet = book[section.key]
        assert sheet["A1"].value == "North Wold — termly report, Spring 2026"
        assert sheet["A2"].value == section.heading
        assert sheet["A1"].font.bold and sheet["A2"].font.bold


def test_r6_tier_counts_sheet_matches_the_query_and_a_direct_count(built):
    sheet = workbook(built.report)["Tier counts"]
    _at, header, body = sheet_table(sheet, "Pupils at each tier per school on 4 March 2026")
    *schools, total = body
    tiers = [header.index(f"Tier {tier}") for tier in (1, 2, 3, 4)]
    direct = tiers_on(built.engine, TODAY)
    names = {name for _id, name in rows(built.engine, NW_SCHOOLS)}
    assert {row[0] for row in schools} == names
    for row in schools:
        assert [row[i] for i in tiers] == [direct[(row[0], tier)] for tier in (1, 2, 3, 4)]
    with read_session(built.engine) as session:
        view = tier_counts(session, CHAIR, "NW", on=TODAY)
    assert total[0] == "Total"
    assert tuple(total[i] for i in tiers) == view.totals.pupils_by_tier
    assert [total[i] for i in tiers] == [
        sum(direct[(name, tier)] for name in names) for tier in (1, 2, 3, 4)
    ]
    assert total[header.index("Number on roll")] == view.totals.number_on_roll
    assert total[header.index("All tiers")] == sum(direct.values()) > 0
    assert total[header.index("All tiers per 1,000 on roll")] == pytest.approx(
        view.totals.per_thousand, abs=0.05
    )


def test_native_charts_plot_the_tables_stacked_bars_per_school_and_the_trend(built):
    book = workbook(built.report)
    sheet = book["Tier counts"]
    at, _header, body = sheet_table(sheet, "Pupils at each tier per school on 4 March 2026")
    [bars] = sheet._charts
    assert isinstance(bars, BarChart) and bars.grouping == "stacked" and bars.overlap == 100
    schools = len(body) - 1  # the total row is not plotted
    assert [series.val.numRef.f for series in bars.series] == [
        f"'Tier counts'!${column}${at + 1}:${column}${at + schools}" for column in "DEFG"
    ]
    categories = bars.series[0].cat
    assert (categories.numRef or categories.strRef).f == (
        f"'Tier counts'!$A${at + 1}:$A${at + schools}"
    )

    trend = book["Trend"]
    at, _header, body = sheet_table(trend, "Pupils at each tier on the first day of each term")
    [line] = trend._charts
    assert isinstance(line, LineChart)
    assert [series.val.numRef.f for series in line.series] == [
        f"'Trend'!${column}${at + 1}:${column}${at + len(body)}" for column in "CDEF"
    ]


def test_r6_trend_sheet_is_the_query_and_a_direct_count_on_each_terms_first_day(built):
    trend = workbook(built.report)["Trend"]
    _at, _header, body = sheet_table(trend, "Pupils at each tier on the first day of each term")
    with read_session(built.engine) as session:
        view = tier_trend(session, CHAIR, "NW", end=TODAY, terms=9)
    assert [row[0] for row in body] == [term.label for term in view.terms]
    for row, term, totals in zip(body, view.terms, view.totals, strict=True):
        direct = tiers_on(built.engine, term.first_day)
        by_tier = tuple(
            sum(n for (_s, t), n in direct.items() if t == tier) for tier in (1, 2, 3, 4)
        )
        assert tuple(row[2:6]) == totals == by_tier, term.label
    _at, _header, per_school = sheet_table(
        trend, "Pupils at Tier 4 per school on the first day of each term"
    )
    assert per_school[-1] == ("Total", *(totals[3] for totals in view.totals))


def test_moves_and_time_at_tier4_sheets_total_as_their_queries(built):
    book = workbook(built.report)
    with read_session(built.engine) as session:
        moves = tier_movements(session, CHAIR, "NW", start=built.first_day, end=TODAY)
        stays = time_at_tier4(session, CHAIR, "NW", start=built.first_day, end=TODAY)
        tier4_today = tier_counts(session, CHAIR, "NW", on=TODAY).totals.pupils_by_tier[3]
    caption = "Moves between tiers from 5 January 2026 to 4 March 2026"
    _at, _header, body = sheet_table(book["Moves between tiers"], caption)
    assert body[-1] == ("Total", None, moves.total) and moves.total > 0
    assert sum(row[2] for row in body[:-1]) == moves.total
    sheet = book["Time at Tier 4"]
    _at, _header, body = sheet_table(sheet, "Tier 4 stays and their median length in school days")
    assert body[-1][:2] == ("All stays", len(stays.ended) + len(stays.running))
    assert body[1][1] == len(stays.running) == tier4_today  # running: at Tier 4 on the day
    _at, _header, bands = sheet_table(sheet, "Tier 4 stays by length")
    assert bands[-1] == ("Total", len(stays.ended), len(stays.running), body[-1][1])


def test_r25_exclusions_sheet_totals_the_term_as_the_query_and_a_direct_count(built):
    sheet = workbook(built.report)["Exclusions"]
    _at, _header, body = sheet_table(
        sheet, "Suspensions and permanent exclusions per school, Spring 2025-26"
    )
    with read_session(built.engine) as session:
        view = exclusions_by_term(session, CHAIR, "NW", academic_year=2025)
    spring = next(i for i, term in enumerate(view.terms) if term.season == "Spring")
    figures = view.totals[spring]
    assert body[-1][:4] == (
        "Total",
        figures.suspensions,
        figures.suspension_days,
        figures.permanent,
    )
    summer = view.terms[spring + 1].first_day  # the Easter holiday belongs to Spring
    [(suspensions, days, permanent)] = rows(
        built.engine,
        "SELECT SUM(CASE WHEN x.kind = 'suspension' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN x.kind = 'suspension' THEN COALESCE(x.school_days, 0) ELSE 0 END),"
        " SUM(CASE WHEN x.kind = 'permanent' THEN 1 ELSE 0 END)"
        f" FROM exclusion x JOIN ({NW_SCHOOLS}) s ON s.id = x.school_id"
        " WHERE x.start_date >= :first AND x.start_date < :next",
        first=built.first_day,
        next=summer,
    )
    assert body[-1][1:4] == (suspensions, days, permanent) and suspensions > 0
    _at, _header, near = sheet_table(
        sheet, "Pupils near R25's limit of 45 suspension days in 2025-26"
    )
    assert near[-1] == ("Total", len(view.near_limit))


def test_r13_r21_fair_access_sheet_counts_cases_as_plain_sql_and_fairness_as_the_query(built):
    sheet = workbook(built.report)["Fair Access"]
    _at, _header, body = sheet_table(sheet, "Fair Access cases")
    counted = dict(body)
    case_dates = [
        tuple(day(value) for value in row)
        for row in rows(
            built.engine,
            "SELECT c.referred_date, c.decision_date, c.on_roll_date FROM fairaccesscase c"
            " JOIN partnership p ON p.id = c.partnership_id WHERE p.code = 'NW'",
        )
    ]
    listed = [dates for dates in case_dates if dates[0] <= TODAY]
    assert counted["Open on 4 March 2026 (R13: not yet on roll)"] == sum(
        1 for _ref, _decided, on_roll in listed if on_roll is None or on_roll > TODAY
    )
    allocated = sum(
        1 for _ref, decided, _roll in listed if decided and built.first_day <= decided <= TODAY
    )
    assert counted["Allocated in the term"] == allocated > 0
    with read_session(built.engine) as session:
        view = fairness(session, CHAIR, "NW", start=built.first_day, end=TODAY)
    caption = "Allocations against fair share per member school (R13b), in the term"
    _at, header, shares = sheet_table(sheet, caption)
    total = shares[-1]
    assert total[header.index("Allocations")] == view.totals.allocations
    assert total[header.index("Refusals (R22)")] == view.totals.refusals
    assert sum(row[header.index("Allocations")] for row in shares[:-1]) == view.totals.allocations


def test_r7_ap_sheet_counts_running_placements_as_plain_sql(built):
    sheet = workbook(built.report)["Alternative provision"]
    _at, header, body = sheet_table(
        sheet, "Placements running on 4 March 2026 per commissioning school"
    )
    kinds = Counter(
        kind
        for (kind,) in rows(
            built.engine,
            f"SELECT pl.kind FROM placement pl JOIN ({NW_SCHOOLS}) s ON s.id = pl.school_id"
            " WHERE pl.start_date <= :on AND (pl.end_date IS NULL OR pl.end_date >= :on)",
            on=TODAY,
        )
    )
    total = body[-1]
    assert total[header.index("AP placements")] == kinds["ap"] > 0
    assert total[header.index("Work-experience placements (R12)")] == kinds["work_experience"]
    with read_session(built.engine) as session:
        histogram = days_a_week_histogram(session, CHAIR, "NW", on=TODAY)
    _at, _header, days = sheet_table(sheet, "Pupils by days a week at AP on 4 March 2026")
    assert days[-1] == ("Total", sum(histogram.values()))
    assert [row[1] for row in days[:-1]] == list(histogram.values())


def test_r14_charges_sheet_totals_as_the_query_for_the_terms_financial_year(built):
    sheet = workbook(built.report)["Charges"]
    caption = "Charges per school, financial year 2025/26 to 4 March 2026"
    _at, header, body = sheet_table(sheet, caption)
    with read_session(built.engine) as session:
        view = charges(session, CHAIR, "NW", financial_year_start=2025, as_of=TODAY)
    total = body[-1]
    assert total[0] == "Partnership total"
    assert view.total.total > 0
    assert total[header.index("Total")] == pytest.approx(float(view.total.total))
    assert total[header.index("Days in the programme")] == view.total.days
    assert total[header.index("Pupils")] == view.total.pupils
    by_school = {row[0]: row[header.index("Total")] for row in body[:-1]}
    assert len(by_school) == len(rows(built.engine, NW_SCHOOLS))  # zeros listed too
    for school in view.schools:
        assert by_school[school.school] == pytest.approx(float(school.totals.total))
    assert sheet.cell(row=_at + 1, column=header.index("Total") + 1).number_format == (
        '"£"#,##0.00'
    )


def test_text_a_spreadsheet_would_run_as_a_formula_is_escaped(sample):
    [(school_id,)] = rows(sample, f"SELECT MIN(id) FROM ({NW_SCHOOLS}) s")
    with sample.begin() as connection:
        connection.exec_driver_sql(
            f"UPDATE school SET name = '=HYPERLINK(\"x\") Academy' WHERE id = {school_id}"
        )
    with read_session(sample) as session:
        report = termly_report(session, CHAIR, "NW", term_start=TODAY, today=TODAY)
    sheet = workbook(report)["Tier counts"]
    _at, _header, body = sheet_table(sheet, "Pupils at each tier per school on 4 March 2026")
    assert '\'=HYPERLINK("x") Academy' in [row[0] for row in body]
