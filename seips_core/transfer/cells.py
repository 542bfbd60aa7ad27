"""Cell values as a co-ordinator writes them in a spreadsheet, and back.

Each kind of cell reads the text of one spreadsheet cell into a Python value (raising
``CellError`` with a message the co-ordinator can act on), writes a value back as text (CSV)
or as a native cell (Excel), and describes itself for the format documentation. All of it is
pure: plain text in, plain values out.
"""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import ClassVar
from zoneinfo import ZoneInfo

#: Cells starting with one of these are formulas to a spreadsheet (formula injection).
FORMULA_STARTS = "=+-@"
_NEEDS_ESCAPE = re.compile(rf"^'*[{re.escape(FORMULA_STARTS)}]")
_ESCAPED = re.compile(rf"^'+[{re.escape(FORMULA_STARTS)}]")

_DECIMAL = re.compile(r"\d+(\.\d*)?|\.\d+")

#: The clock co-ordinators in England read: moments are written and read in it.
UK_TIME = ZoneInfo("Europe/London")

#: The largest whole number both SQLite and PostgreSQL store in an INTEGER column.
LARGEST_WHOLE_NUMBER = 2_147_483_647


class CellError(ValueError):
    """A cell whose text cannot be read as its column's kind; the message says what to write."""


def escape_formula(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (and to one already escaped).

    Escaping the already-escaped too (``'=x`` → ``''=x``) makes ``unescape_formula`` its exact
    inverse, so an export always imports back to the same text.
    """
    return "'" + text if _NEEDS_ESCAPE.match(text) else text


def unescape_formula(text: str) -> str:
    """Drop the ``'`` that ``escape_formula`` (or a careful co-ordinator) put before a formula."""
    return text[1:] if _ESCAPED.match(text) else text


def normal_word(text: str) -> str:
    """``"Own LA"``, ``"own-la"`` and ``"own_la"`` all name the same vocabulary entry."""
    return re.sub(r"[\s\-]+", "_", text.strip()).lower()


class Cell(ABC):
    """A kind of cell: how its text is read, written back and documented."""

    @abstractmethod
    def parse(self, text: str) -> object:
        """The value of a non-empty, stripped cell text; ``CellError`` if it has none."""

    @abstractmethod
    def describe(self) -> str:
        """What to write, for the format documentation."""

    def format(self, value: object) -> str:
        """The cell text of a stored value (not None), which ``parse`` reads back to it."""
        return str(value)

    #: Whether a workbook holds the value itself (a number, a date) rather than its text.
    native_in_excel: ClassVar[bool] = False

    def excel(self, value: object) -> object:
        """The workbook cell of a stored value (not None)."""
        return value if self.native_in_excel else self.format(value)


@dataclass(frozen=True)
class Text(Cell):
    """Free text (its maximum length comes from the stored column)."""

    def parse(self, text: str) -> str:
        return text

    def describe(self) -> str:
        return "text"


@dataclass(frozen=True)
class WholeNumber(Cell):
    """A whole number within limits (a URN, a year group, a count)."""

    low: int = 0
    high: int = LARGEST_WHOLE_NUMBER

    def _limits(self) -> str:
        if self.high == LARGEST_WHOLE_NUMBER:
            return f"{self.low} or more"
        return f"from {self.low} to {self.high}"

    def parse(self, text: str) -> int:
        if not re.fullmatch(r"[+-]?\d+", text) or not self.low <= int(text) <= self.high:
            raise CellError(f"must be a whole number {self._limits()} (not {text!r})")
        return int(text)

    def describe(self) -> str:
        return f"a whole number {self._limits()}"

    native_in_excel: ClassVar[bool] = True


@dataclass(frozen=True)
class Year(Cell):
    """The calendar year an academic or financial year starts in: ``2025`` or ``2025-26``."""

    def parse(self, text: str) -> int:
        found = re.fullmatch(r"(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?", text)
        if found:
            start, end = int(found[1]), found[2]
            if 2000 <= start <= 2099 and (end is None or int(end) % 100 == (start + 1) % 100):
                return start
        raise CellError(f"must be a year such as 2025 or 2025-26 (not {text!r})")

    def describe(self) -> str:
        return "the year it starts in, such as 2025 (2025-26 is read as 2025)"

    native_in_excel: ClassVar[bool] = True


@dataclass(frozen=True)
class Money(Cell):
    """An amount in pounds and pence; ``£`` and thousands commas are allowed."""

    def parse(self, text: str) -> Decimal:
        plain = text.removeprefix("£").replace(",", "").strip()
        amount = Decimal(plain) if _DECIMAL.fullmatch(plain) else None
        if amount is None or amount.as_tuple().exponent < -2 or amount >= 100_000_000:
            raise CellError(
                f"must be an amount in pounds with at most 2 decimal places (not {text!r})"
            )
        return amount

    def describe(self) -> str:
        return "an amount in pounds, such as 5123.50 (a £ sign and thousands commas are fine)"

    native_in_excel: ClassVar[bool] = True


@dataclass(frozen=True)
class Number(Cell):
    """A number, decimals allowed, within limits (hours a week)."""

    low: float
    high: float

    def parse(self, text: str) -> float:
        number = float(text) if _DECIMAL.fullmatch(text) else None
        if number is None or not self.low <= number <= self.high:
            raise CellError(f"must be a number from {self.low:g} to {self.high:g} (not {text!r})")
        return number

    def describe(self) -> str:
        return f"a number from {self.low:g} to {self.high:g}; decimals allowed"

    def format(self, value: object) -> str:
        assert isinstance(value, int | float)
        return repr(float(value)).removesuffix(".0")

    native_in_excel: ClassVar[bool] = True


_TRUE = ("yes", "y", "true", "1")
_FALSE = ("no", "n", "false", "0")


@dataclass(frozen=True)
class YesNo(Cell):
    """A yes/no answer: yes/no, true/false or 1/0, in any case."""

    def parse(self, text: str) -> bool:
        word = text.lower()
        if word not in _TRUE + _FALSE:
            raise CellError(f"must be yes or no (not {text!r})")
        return word in _TRUE

    def describe(self) -> str:
        return "yes or no (true/false and 1/0 are read too)"

    def format(self, value: object) -> str:
        return "yes" if value else "no"


def _date(text: str) -> date | None:
    """An ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY`` date, else None."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _time(text: str) -> time | None:
    """A time of day ``HH:MM`` or ``HH:MM:SS`` (with an offset if given), else None."""
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Day(Cell):
    """A date, ISO ``YYYY-MM-DD`` or as UK MIS exports write it, ``DD/MM/YYYY``."""

    def parse(self, text: str) -> date:
        day = _date(text)
        if day is None:
            raise CellError(f"must be a date written YYYY-MM-DD or DD/MM/YYYY (not {text!r})")
        return day

    def describe(self) -> str:
        return "a date: YYYY-MM-DD or DD/MM/YYYY"

    def format(self, value: object) -> str:
        assert isinstance(value, date)
        return value.isoformat()

    native_in_excel: ClassVar[bool] = True


@dataclass(frozen=True)
class Moment(Cell):
    """A date and time of day (``YYYY-MM-DD HH:MM``) in UK time; a bare date means midnight.

    The store holds moments in UTC; the co-ordinator reads and writes the clock on the wall,
    so export writes UK time and import reads it (an explicit offset such as ``+00:00`` is
    honoured). Written to workbooks as text: an Excel date-time would round the seconds.
    """

    def parse(self, text: str) -> datetime:
        day_text, _, time_text = text.replace("T", " ", 1).partition(" ")
        day = _date(day_text)
        time_of_day = _time(time_text.strip() or "00:00")
        if day is None or time_of_day is None:
            raise CellError(
                "must be a date and time written YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM "
                f"(not {text!r})"
            )
        moment = datetime.combine(day, time_of_day)
        return moment if moment.tzinfo else moment.replace(tzinfo=UK_TIME)

    def describe(self) -> str:
        return (
            "a date and time in UK time: YYYY-MM-DD HH:MM (or DD/MM/YYYY HH:MM; "
            "a date alone is midnight)"
        )

    def format(self, value: object) -> str:
        assert isinstance(value, datetime)
        local = value.astimezone(UK_TIME) if value.tzinfo else value
        return local.replace(tzinfo=None).isoformat(sep=" ")


@dataclass(frozen=True)
class OneOf(Cell):
    """One word of a closed vocabulary (``choices``); case, spaces and hyphens are forgiven.

    ``meanings``, when given, say in plain words what each word means, for the documentation.
    """

    words: tuple[str, ...]
    meanings: tuple[str, ...] = ()

    def parse(self, text: str) -> str:
        by_normal = {normal_word(word): word for word in self.words}
        word = by_normal.get(normal_word(text))
        if word is None:
            raise CellError(f"must be one of {', '.join(self.words)} (not {text!r})")
        return word

    def listed(self) -> str:
        if not self.meanings:
            return ", ".join(f"`{word}`" for word in self.words)
        return "; ".join(f"`{w}` ({m})" for w, m in zip(self.words, self.meanings, strict=True))

    def describe(self) -> str:
        return f"one of {self.listed()}"


@dataclass(frozen=True)
class ManyOf(Cell):
    """Several words of one vocabulary, separated by ``;``; read and written once each, in the
    vocabulary's order (so an export is the same however the rows were entered)."""

    vocabulary: OneOf

    def parse(self, text: str) -> tuple[str, ...]:
        given = {self.vocabulary.parse(part.strip()) for part in text.split(";") if part.strip()}
        return tuple(word for word in self.vocabulary.words if word in given)

    def describe(self) -> str:
        return f"any of {self.vocabulary.listed()}, separated by `;`"

    def format(self, value: object) -> str:
        assert isinstance(value, tuple)
        return "; ".join(word for word in self.vocabulary.words if word in value)


@dataclass(frozen=True)
class Sessions(Cell):
    """The half-days of a week attended, such as ``MonAM MonPM WedAM``, stored in week order."""

    sessions: tuple[str, ...]

    def parse(self, text: str) -> str:
        one = OneOf(self.sessions)
        given = {one.parse(part) for part in re.split(r"[\s,;]+", text) if part}
        return " ".join(session for session in self.sessions if session in given)

    def describe(self) -> str:
        return (
            "the half-days attended each week, separated by spaces, from "
            f"`{self.sessions[0]}` to `{self.sessions[-1]}` (such as `MonAM MonPM WedAM`)"
        )
