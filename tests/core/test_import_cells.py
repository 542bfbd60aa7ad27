"""Reading and writing single cells as a co-ordinator types them (pure: no store)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from seips_core.models.choices import FAIR_ACCESS_CATEGORIES, LAC_STATUSES, SESSIONS
from seips_core.transfer import Problem
from seips_core.transfer.cells import (
    CellError,
    Day,
    ManyOf,
    Moment,
    Money,
    Number,
    OneOf,
    Sessions,
    WholeNumber,
    Year,
    YesNo,
    escape_formula,
    unescape_formula,
)


@pytest.mark.parametrize("text", ["2026-09-07", "07/09/2026", "7/9/2026"])
def test_dates_are_read_iso_or_as_uk_mis_exports_write_them(text):
    assert Day().parse(text) == date(2026, 9, 7)


@pytest.mark.parametrize("text", ["31/02/2026", "09/31/2026", "2026-13-01", "next week"])
def test_a_date_that_is_not_a_date_is_refused_saying_how_to_write_one(text):
    with pytest.raises(CellError) as refused:
        Day().parse(text)
    assert str(refused.value) == f"must be a date written YYYY-MM-DD or DD/MM/YYYY (not {text!r})"


def test_a_date_is_written_back_iso_and_reads_back_the_same():
    day = date(2026, 2, 28)
    assert Day().format(day) == "2026-02-28"
    assert Day().parse(Day().format(day)) == day


@pytest.mark.parametrize(
    ("text", "answer"),
    [("yes", True), ("Yes", True), ("TRUE", True), ("1", True), ("no", False), ("0", False)],
)
def test_yes_no_cells_take_yes_no_true_false_and_one_zero(text, answer):
    assert YesNo().parse(text) is answer


def test_a_yes_no_cell_refuses_anything_else():
    with pytest.raises(CellError, match="must be yes or no"):
        YesNo().parse("maybe")


@pytest.mark.parametrize(
    ("text", "amount"),
    [("5480", "5480"), ("5480.5", "5480.50"), ("£5,480.00", "5480.00"), (".5", "0.50")],
)
def test_money_is_pounds_with_an_optional_pound_sign_and_commas(text, amount):
    assert Money().parse(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["-5", "12.345", "five pounds", "100000000"])
def test_money_refuses_negatives_fractions_of_a_penny_words_and_overflow(text):
    with pytest.raises(CellError, match="an amount in pounds"):
        Money().parse(text)


def test_whole_numbers_keep_to_their_limits_r5():
    tiers = WholeNumber(1, 4)
    assert tiers.parse("4") == 4
    for text in ("5", "0", "2.5", "three"):
        with pytest.raises(CellError) as refused:
            tiers.parse(text)
        assert str(refused.value) == f"must be a whole number from 1 to 4 (not {text!r})"


def test_hours_take_decimals_within_the_week_and_write_back_without_noise():
    hours = Number(0, 40)
    assert hours.parse("12.5") == 12.5
    assert hours.format(12.5) == "12.5"
    assert hours.format(18.0) == "18"
    with pytest.raises(CellError, match="from 0 to 40"):
        hours.parse("41")


@pytest.mark.parametrize(("text", "start"), [("2026", 2026), ("2026-27", 2026), ("2026/27", 2026)])
def test_a_year_is_the_year_it_starts_in(text, start):
    assert Year().parse(text) == start


@pytest.mark.parametrize("text", ["2026-28", "26", "1899"])
def test_a_year_that_does_not_follow_on_is_refused(text):
    with pytest.raises(CellError, match="a year such as 2025 or 2025-26"):
        Year().parse(text)


def test_vocabulary_words_forgive_case_spaces_and_hyphens_r18():
    lac = OneOf(LAC_STATUSES)
    assert lac.parse("Own LA") == "own_la"
    assert lac.parse("other-la") == "other_la"
    with pytest.raises(CellError) as refused:
        lac.parse("fostered")
    assert str(refused.value) == "must be one of none, own_la, other_la (not 'fostered')"


def test_r20_categories_are_read_from_one_cell_once_each_in_vocabulary_order():
    categories = ManyOf(OneOf(tuple(FAIR_ACCESS_CATEGORIES)))
    parsed = categories.parse("Young carer; homeless;young_carer")
    assert parsed == ("young_carer", "homeless")
    assert categories.parse(categories.format(parsed)) == parsed


def test_sessions_are_read_in_any_order_and_stored_in_week_order_r7():
    sessions = Sessions(SESSIONS)
    assert sessions.parse("wedam, MonPM monam") == "MonAM MonPM WedAM"
    with pytest.raises(CellError, match="must be one of MonAM"):
        sessions.parse("MonAM SatAM")


def test_a_moment_is_read_in_uk_time_and_written_back_in_it():
    summer = Moment().parse("01/07/2026 10:05")
    assert summer == datetime(2026, 7, 1, 9, 5, tzinfo=UTC)  # BST is an hour ahead of UTC
    assert Moment().format(summer.astimezone(UTC)) == "2026-07-01 10:05:00"
    assert Moment().parse("2026-12-01") == datetime(2026, 12, 1, tzinfo=UTC)
    assert Moment().parse("2026-07-01T10:05+00:00") == datetime(2026, 7, 1, 10, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+44 116", "'+44 116"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("'=already escaped", "''=already escaped"),
        ("O'Brien", "O'Brien"),
        ("'quoted'", "'quoted'"),
        ("plain", "plain"),
    ],
)
def test_formula_like_cells_are_escaped_and_unescaped_exactly(text, escaped):
    assert escape_formula(text) == escaped
    assert unescape_formula(escaped) == text


def test_a_problem_reads_as_file_row_column_and_what_is_wrong():
    assert (
        str(Problem("pupils.csv", 14, "school_urn", "unknown school URN 999999"))
        == "pupils.csv row 14, column school_urn: unknown school URN 999999"
    )
    assert str(Problem("partnerships.csv", None, "name", "missing required column")) == (
        "partnerships.csv, column name: missing required column"
    )
    assert str(Problem("notes.csv", None, None, "unknown name")) == "notes.csv: unknown name"
