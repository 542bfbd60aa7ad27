"""What a refused import tells the co-ordinator: every problem, each by file, row and column."""

from dataclasses import dataclass

from ..errors import SeipsError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import, located as the co-ordinator sees it in a spreadsheet.

    ``row`` counts as the spreadsheet does (the header is row 1, the first data row is row 2);
    ``row`` is None for a problem with a whole file or column, ``column`` None for a whole row
    or file.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportRefused(SeipsError):
    """Nothing was imported, because of the problems listed (all of them, not just the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
        listed = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"Nothing was imported: {count} to put right.\n{listed}")
