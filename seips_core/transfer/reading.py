"""Reads a folder of CSV files, one CSV file, or an Excel workbook into plain tables of text.

Every cell becomes stripped text with any formula-escaping ``'`` removed, so validation sees
the same thing whichever way the co-ordinator saved the data. Reading knows nothing of the
formats: which names and columns are expected is for ``validate``.
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..progress import Progress, counted, silent
from .cells import unescape_formula
from .problems import Problem

READING = "reading files"

NOT_A_WORKBOOK = (
    "not an Excel workbook (.xlsx) that can be read: save it from the spreadsheet as "
    "'Excel Workbook' without a password, or as 'CSV UTF-8' files in a folder"
)


@dataclass(frozen=True)
class Table:
    """One file or sheet as read: its name (the file stem or sheet name), how problems name
    it, its header and its data rows with their spreadsheet row numbers."""

    name: str
    label: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_tables(path: Path, progress: Progress = silent) -> tuple[list[Table], list[Problem]]:
    """The tables at ``path`` (a folder of CSV files, a CSV file or an ``.xlsx`` workbook);
    ``progress`` hears of each file or sheet read."""
    if path.is_dir():
        return _read_folder(path, progress)
    suffix = path.suffix.lower()
    if path.is_file() and suffix == ".csv":
        return _read_csv_files([path], progress)
    if path.is_file() and suffix == ".xlsx":
        return _read_workbook(path, progress)
    return [], [
        Problem(path.name, None, None, "not a folder of CSV files, a CSV file or an .xlsx workbook")
    ]


def _is_hidden(path: Path) -> bool:
    """Hidden files and the lock files spreadsheets leave beside open files."""
    return path.name.startswith((".", "~$"))


def _read_folder(folder: Path, progress: Progress) -> tuple[list[Table], list[Problem]]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and not _is_hidden(p))
    others = [p for p in files if p.suffix.lower() != ".csv"]
    csv_files = [p for p in files if p.suffix.lower() == ".csv"]
    tables, problems = _read_csv_files(csv_files, progress)
    problems += [
        Problem(p.name, None, None, "not a CSV file: the folder holds one .csv file per table")
        for p in others
    ]
    return tables, problems


def _read_csv_files(paths: list[Path], progress: Progress) -> tuple[list[Table], list[Problem]]:
    tables, problems = [], []
    for path in counted(progress, READING, paths):
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                records = list(csv.reader(handle))
        except UnicodeDecodeError:
            problems.append(
                Problem(path.name, None, None, "not UTF-8 text: save it as 'CSV UTF-8'")
            )
            continue
        except csv.Error as exc:
            problems.append(Problem(path.name, None, None, f"not readable as CSV: {exc}"))
            continue
        table = _table(path.stem, path.name, [[_clean(c) for c in r] for r in records])
        if table is not None:
            tables.append(table)
    return tables, problems


def _read_workbook(path: Path, progress: Progress) -> tuple[list[Table], list[Problem]]:
    """One table per sheet; a file that is no workbook (a renamed .xls or CSV, a damaged or
    password-protected file) is one problem, not a reader's traceback."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            tables = [
                _table(
                    sheet.title,
                    f"{path.name} sheet {sheet.title}",
                    [[_excel_text(v) for v in row] for row in sheet.iter_rows(values_only=True)],
                )
                for sheet in counted(progress, READING, workbook.worksheets)
            ]
        finally:
            workbook.close()
    except (BadZipFile, InvalidFileException, KeyError, SyntaxError):
        return [], [Problem(path.name, None, None, NOT_A_WORKBOOK)]
    return [table for table in tables if table is not None], []


def _table(name: str, label: str, records: list[list[str]]) -> Table | None:
    """Row 1 is the header; blank rows (as spreadsheets trail) are dropped, and a file or
    sheet with nothing in it at all (as new workbooks have) is no table: None."""
    if not any(any(record) for record in records):
        return None
    rows = tuple(
        (number, tuple(record)) for number, record in enumerate(records[1:], start=2) if any(record)
    )
    return Table(name, label, tuple(records[0]), rows)


def _clean(text: str) -> str:
    return unescape_formula(text.strip())


def _excel_text(value: object) -> str:
    """A workbook cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(str(value))
