"""Helpers of the termly report's tests: plain SQL on the store, the term's bounds as stored,
and a table read back from a workbook sheet as a user sees it."""

from dataclasses import dataclass
from datetime import date

from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, text

from seips_core.auth.roles import Actor, Role
from seips_core.reports.termly import TermlyReport

#: A day in the Spring term of 2025-26: the term is running.
TODAY = date(2026, 3, 4)
CHAIR = Actor("chair@shire.example", "North Wold Chair", Role.CHAIR, frozenset({"NW"}))


def rows(engine: Engine, sql: str, **params) -> list[tuple]:
    """Plain SQL, for counting straight from the store."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def day(value: date | str | None) -> date | None:
    """A date column's value: SQLite hands back the stored text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def term_bounds(engine: Engine, season: str, year: int = 2025) -> tuple[date, date]:
    """The first and last day of ``season`` of the academic year, from the stored half terms."""
    [(first, last)] = rows(
        engine,
        "SELECT MIN(start_date), MAX(end_date) FROM termdate"
        " WHERE academic_year_start = :year AND name LIKE :season",
        year=year,
        season=f"{season}%",
    )
    return day(first), day(last)


@dataclass
class Built:
    engine: Engine
    report: TermlyReport
    first_day: date
    last_day: date


def sheet_table(sheet: Worksheet, caption: str) -> tuple[int, tuple, list[tuple]]:
    """The table under the row reading ``caption``: its header's row number, the header, and
    the rows down to the first empty row (the total row last, where the table has one)."""
    values = list(sheet.iter_rows(values_only=True))
    start = next(index for index, row in enumerate(values) if row[0] == caption)
    header = tuple(cell for cell in values[start + 1] if cell is not None)
    body = []
    for row in values[start + 2 :]:
        if all(cell is None for cell in row):
            break
        body.append(row[: len(header)])
    return start + 2, header, body
