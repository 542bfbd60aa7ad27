"""Checks a whole import against the formats and the store, collecting every problem.

Pure: tables of text and the keys already stored go in; parsed rows, with every reference
resolved to a row of this import or of the store, and the full list of problems come out.
Nothing is written here; ``importer`` writes only when the list is empty.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ..progress import Progress, counted, silent
from .cells import CellError, normal_word
from .formats import FORMATS, FORMATS_BY_NAME, Column, FileFormat
from .problems import Problem
from .reading import Table


@dataclass(frozen=True)
class NewRow:
    """A row of this import, by file and position: its id exists only once inserted."""

    file: str
    index: int


@dataclass(frozen=True)
class StoredRow:
    """A row already in the store."""

    id: int


#: For each file name, the key of every stored row → its id; a key column that points into
#: another file holds a ``StoredRow`` (the form validated rows take, so the two compare).
StoredKeys = Mapping[str, Mapping[tuple, int]]
#: For each file name, for each of its ``FileFormat.unique`` (by its columns), the values
#: stored rows hold, in the form validated rows take.
StoredUnique = Mapping[str, Mapping[tuple[str, ...], Collection[tuple]]]


@dataclass
class ParsedRow:
    """One data row: its file (as problems name it), its spreadsheet row number, the cells as
    typed, and the values read.

    ``values`` holds a value for each column that parsed (a blank optional cell holds the
    column's default); a reference holds the ``NewRow`` or ``StoredRow`` it points at.
    """

    file: str
    number: int
    texts: dict[str, str]
    values: dict[str, object]


@dataclass(frozen=True)
class Checked:
    """The rows of each file given, in insert order, and every problem found."""

    rows: dict[str, list[ParsedRow]]
    problems: list[Problem]


def check_import(
    tables: list[Table],
    stored: StoredKeys,
    stored_unique: StoredUnique | None = None,
    progress: Progress = silent,
) -> Checked:
    """Every row of ``tables`` parsed and checked against each other and ``stored`` (the
    stored rows' keys, and their values of the files' other unique columns); ``progress``
    hears of the rows read and checked, file by file."""
    problems: list[Problem] = []
    given: dict[str, Table] = {}
    for table in tables:
        name = normal_word(table.name)  # "Tier History" names tier_history
        if name not in FORMATS_BY_NAME:
            names = ", ".join(fmt.name for fmt in FORMATS)
            message = f"unknown name: each file or sheet is named after its table: {names}"
            problems.append(Problem(table.label, None, None, message))
        elif name in given:
            problems.append(
                Problem(table.label, None, None, f"given twice (also {given[name].label})")
            )
        else:
            given[name] = table
    known = [(fmt, given[fmt.name]) for fmt in FORMATS if fmt.name in given]
    reading = counted(progress, "reading cells", known, lambda pair: len(pair[1].rows))
    files = [_FileCheck(fmt, table) for fmt, table in reading]
    new_keys = {file.fmt.name: file.key_index() for file in files}
    for file in counted(progress, "checking rows", files, lambda file: len(file.table.rows)):
        file.resolve_references(new_keys, stored)
        file.check_keys(stored.get(file.fmt.name, {}))
        file.check_unique((stored_unique or {}).get(file.fmt.name, {}))
        file.check_rows()
        problems += file.sorted_problems()
    return Checked({file.fmt.name: file.rows for file in files}, problems)


def _with_rule(column: Column, message: str) -> str:
    return f"{column.rule}: {message}" if column.rule else message


class _FileCheck:
    """The checks of one file, collecting its problems as it goes."""

    def __init__(self, fmt: FileFormat, table: Table) -> None:
        self.fmt = fmt
        self.table = table
        self.problems: list[Problem] = []
        positions = self._read_header()
        self.rows = [self._parse(number, cells, positions) for number, cells in table.rows]

    def _problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.table.label, row, column, message))

    def _read_header(self) -> dict[str, int]:
        """Where each known column is; problems for unknown, doubled and missing columns."""
        names = [column.name for column in self.fmt.columns]
        positions: dict[str, int] = {}
        for position, header in enumerate(self.table.headers):
            name = normal_word(header)
            if not name:
                if any(position < len(cells) and cells[position] for _, cells in self.table.rows):
                    letter = get_column_letter(position + 1)
                    self._problem(None, None, f"column {letter} has values but no header")
            elif name in positions:
                self._problem(None, header, "the column is given twice")
            elif name not in names:
                self._problem(
                    None, header, f"unknown column: {self.fmt.name} has {', '.join(names)}"
                )
            else:
                positions[name] = position
        for column in self.fmt.columns:
            if column.required and column.name not in positions:
                self._problem(None, column.name, "missing required column")
        return positions

    def _parse(self, number: int, cells: tuple[str, ...], positions: dict[str, int]) -> ParsedRow:
        row = ParsedRow(self.table.label, number, {}, {})
        for column in self.fmt.columns:
            position = positions.get(column.name)
            text = cells[position] if position is not None and position < len(cells) else ""
            row.texts[column.name] = text
            if text:
                self._read_cell(row, column, text)
            elif not column.required:
                row.values[column.name] = column.default
            elif position is not None:
                self._problem(number, column.name, "required: this cell is empty")
        return row

    def _read_cell(self, row: ParsedRow, column: Column, text: str) -> None:
        try:
            value = column.cell.parse(text)
        except CellError as error:
            self._problem(row.number, column.name, _with_rule(column, str(error)))
            return
        limit = self.fmt.max_length(column)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            self._problem(
                row.number, column.name, f"at most {limit} characters (this has {len(value)})"
            )
            return
        row.values[column.name] = value

    def key_index(self) -> dict[tuple, NewRow]:
        """This file's one-column keys → their rows (the first, if given twice)."""
        if len(self.fmt.key) != 1:
            return {}
        (name,) = self.fmt.key
        index: dict[tuple, NewRow] = {}
        for position, row in enumerate(self.rows):
            if name in row.values:
                index.setdefault((row.values[name],), NewRow(self.fmt.name, position))
        return index

    def resolve_references(
        self, new_keys: Mapping[str, Mapping[tuple, NewRow]], stored: StoredKeys
    ) -> None:
        """Each reference becomes the row it names: in this import first, else in the store."""
        pointers = [column for column in self.fmt.columns if column.refers_to is not None]
        for row in self.rows:
            for column in pointers:
                target = FORMATS_BY_NAME[column.refers_to]
                key = (row.values.get(column.name),)
                if key == (None,):
                    continue
                if key in new_keys.get(target.name, {}):
                    row.values[column.name] = new_keys[target.name][key]
                elif key in stored.get(target.name, {}):
                    row.values[column.name] = StoredRow(stored[target.name][key])
                else:
                    del row.values[column.name]
                    self._problem(
                        row.number,
                        column.name,
                        f"unknown {target.key_noun} {row.texts[column.name]}",
                    )

    def check_keys(self, stored: Mapping[tuple, int]) -> None:
        """Each key once in the file and not already in the store."""
        if self.fmt.key:
            self._once(self.fmt.key, self.fmt.key_noun, self.fmt.key[0], self.rows, stored)

    def check_unique(self, stored: Mapping[tuple[str, ...], Collection[tuple]]) -> None:
        """Each combination the store holds once (``FileFormat.unique``): once in the file and
        not already in the store, among the rows it covers."""
        for unique in self.fmt.unique:
            rows = [
                row
                for row in self.rows
                if all(row.values.get(name) is None for name in unique.when_blank)
            ]
            held = stored.get(unique.columns, ())
            self._once(unique.columns, unique.noun, unique.blame, rows, held)

    def _once(
        self,
        columns: tuple[str, ...],
        noun: str,
        blame: str,
        rows: list[ParsedRow],
        stored: Collection[tuple],
    ) -> None:
        """A problem at ``blame`` for each row whose ``columns`` repeat an earlier row's or a
        stored row's; a row with one of them blank (or unreadable) repeats nothing."""
        first_at: dict[tuple, int] = {}
        for row in rows:
            if any(row.values.get(name) is None for name in columns):
                continue
            key = tuple(row.values[name] for name in columns)
            shown = f"{noun} {', '.join(row.texts[n] for n in columns)}"
            if key in first_at:
                message = f"{shown} appears twice in this file (first at row {first_at[key]})"
                self._problem(row.number, blame, message)
            elif key in stored:
                self._problem(row.number, blame, f"{shown} is already in the store")
            else:
                first_at[key] = row.number

    def check_rows(self) -> None:
        """The checks that span the columns of a row (dates in order, R5, R25)."""
        for row in self.rows:
            for check in self.fmt.checks:
                found = check(row.values)
                if found is not None:
                    self._problem(row.number, *found)

    def sorted_problems(self) -> list[Problem]:
        """In reading order: the file's own problems, then by row, then by column."""
        order = {column.name: place for place, column in enumerate(self.fmt.columns)}
        return sorted(
            self.problems,
            key=lambda p: (p.row or 0, -1 if p.column is None else order.get(p.column, -1)),
        )
