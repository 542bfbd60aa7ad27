"""Writes the store out in the import formats, so that an export imports back into an empty
store as the same rows.

Rows pointed at by a natural key are written with it (school URN, case reference…); the
others get refs ``<kind>-<id>`` (``meeting-12``). Text a spreadsheet would run as a formula is
prefixed with ``'`` (formula injection), which import strips again.
"""

import csv
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select

from ..db import read_session
from ..progress import Progress, counted, one_step, silent
from .cells import escape_formula
from .computed import computed_values
from .formats import FORMATS, ChildRows, Column, FileFormat

#: The workbook's name when ``export_path`` is given a folder with ``excel=True``.
WORKBOOK_NAME = "seips-export.xlsx"

#: Each file's rows, a value (or None for a blank cell) per column of its format.
Sheet = tuple[FileFormat, list[list[object]]]


def export_path(
    path: Path, engine: Engine, *, excel: bool = False, progress: Progress = silent
) -> list[Path]:
    """Write every file: CSV files into the folder ``path``, or one ``.xlsx`` workbook (at
    ``path`` if it ends ``.xlsx``, else in the folder ``path``). The paths written.

    ``progress`` hears of each table read, then of the rows written file by file (or sheet
    by sheet, then the workbook saved).
    """
    sheets = export_sheets(engine, progress)
    if excel:
        return [_write_workbook(path, sheets, progress)]
    return _write_csv_files(path, sheets, progress)


def export_sheets(engine: Engine, progress: Progress = silent) -> list[Sheet]:
    """Every stored row of every format, read in one consistent snapshot of the store."""
    if engine.dialect.name == "postgresql":
        # One snapshot for all the reads, so a row added meanwhile cannot point at a row
        # missing from the export (SQLite's read transaction is a snapshot already).
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    keys: dict[str, dict[int, object]] = {}
    sheets = []
    with read_session(engine) as session:
        for fmt in counted(progress, "reading tables", FORMATS):
            chosen = select(fmt.model) if fmt.holds is None else select(fmt.model).where(fmt.holds)
            records = session.exec(chosen.order_by(fmt.model.id)).all()
            cells = _not_stored(session, fmt)
            rows = [
                [_value(fmt, column, record, keys, cells) for column in fmt.columns]
                for record in records
            ]
            if len(fmt.key) == 1:
                place = fmt.columns.index(fmt.column(fmt.key[0]))
                keys[fmt.name] = {r.id: row[place] for r, row in zip(records, rows, strict=True)}
            sheets.append((fmt, rows))
    return sheets


def _not_stored(session: Session, fmt: FileFormat) -> dict[str, dict[int, object]]:
    """Column name → row id → value, for the columns not stored on the row itself: a child
    list, and the facts the store computes (R5, R13a)."""
    cells = {fmt.child.column: _children(session, fmt.child)} if fmt.child else {}
    return cells | {
        column.name: computed_values(session, fmt, column)
        for column in fmt.columns
        if column.computed is not None
    }


def _children(session: Session, child: ChildRows) -> dict[int, tuple[str, ...]]:
    """A parent id → its child values, as ``;``-separated in one column."""
    found: dict[int, list[str]] = defaultdict(list)
    for record in session.exec(select(child.model).order_by(child.model.id)):
        found[getattr(record, child.parent_attribute)].append(
            getattr(record, child.value_attribute)
        )
    return {parent: tuple(values) for parent, values in found.items()}


def _value(
    fmt: FileFormat,
    column: Column,
    record: SQLModel,
    keys: dict[str, dict[int, object]],
    cells: dict[str, dict[int, object]],
) -> object:
    if column.name in cells:
        return cells[column.name].get(record.id, ())
    if column.attribute is None:
        return fmt.stored_ref(record.id)
    value = getattr(record, column.attribute)
    if column.refers_to is not None and value is not None:
        return keys[column.refers_to][value]
    return value


def _csv_text(column: Column, value: object) -> str:
    return "" if value is None else escape_formula(column.cell.format(value))


def _excel_cell(column: Column, value: object) -> object:
    if value is None:
        return None
    cell = column.cell.excel(value)
    return escape_formula(cell) if isinstance(cell, str) else cell


def _sheet_rows(sheet: Sheet) -> int:
    return len(sheet[1])


def _write_csv_files(folder: Path, sheets: list[Sheet], progress: Progress) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, rows in counted(progress, "writing files", sheets, _sheet_rows):
        path = folder / f"{fmt.name}.csv"
        # With a byte-order mark Excel opens the file as UTF-8; import reads either way.
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(column.name for column in fmt.columns)
            writer.writerows(
                [_csv_text(c, v) for c, v in zip(fmt.columns, row, strict=True)] for row in rows
            )
        written.append(path)
    return written


def _write_workbook(path: Path, sheets: list[Sheet], progress: Progress) -> Path:
    target = path if path.suffix.lower() == ".xlsx" else path / WORKBOOK_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for fmt, rows in counted(progress, "writing sheets", sheets, _sheet_rows):
        sheet = workbook.create_sheet(fmt.name)
        sheet.append([column.name for column in fmt.columns])
        for row in rows:
            sheet.append([_excel_cell(c, v) for c, v in zip(fmt.columns, row, strict=True)])
        sheet.freeze_panes = "A2"
    with one_step(progress, "saving the workbook"):
        workbook.save(target)
    return target
