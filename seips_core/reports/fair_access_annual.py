"""R24: how many children each school admitted under Fair Access in an academic year, the
table the local authority sends the Schools Adjudicator by 31 October.

"Admitted" means on roll: a case allocated to the school whose ``on_roll_date`` falls in the
academic year (1 September to 31 August). A child allocated in July and on roll in September
counts in the year they joined the roll, which is what the school actually did; an allocation
never taken up is not an admission (R22 records a refusal or delay instead).

Every school of the county is listed, members or not (R3): every school takes part in Fair
Access (R22), and the Adjudicator asks about each. The number on roll is the school's figure
held today (the store keeps no history of rolls).
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, require, require_partnership
from ..models import FairAccessCase, Partnership, School
from ..queries.scope import in_partnership
from ..transfer.cells import escape_formula

__all__ = [
    "AnnualReport",
    "AnnualRow",
    "annual_csv",
    "annual_frame",
    "annual_workbook",
    "fair_access_annual",
]

#: R24: the report is due by this day and month after the academic year ends.
DUE_DAY, DUE_MONTH = 31, 10

COLUMNS = ("Partnership", "School", "URN", "Number on roll", "Admitted under Fair Access")


@dataclass(frozen=True)
class AnnualRow:
    """One school's line: how many children it admitted under Fair Access in the year."""

    partnership_code: str
    partnership: str
    school: str
    urn: int | None
    number_on_roll: int
    admitted: int


@dataclass(frozen=True)
class AnnualReport:
    """The R24 table for one academic year: the whole county, or one partnership."""

    #: The calendar year the academic year starts in (2025 for 2025/26).
    start_year: int
    #: None for the whole county.
    partnership: str | None
    #: By partnership code, then school name.
    rows: tuple[AnnualRow, ...]

    @property
    def first_day(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 8, 31)

    @property
    def due(self) -> date:
        """R24: 31 October after the academic year."""
        return date(self.start_year + 1, DUE_MONTH, DUE_DAY)

    @property
    def year_label(self) -> str:
        """``2025/26``, as the Adjudicator's form writes it."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def title(self) -> str:
        title = (
            f"Fair Access admissions {self.year_label} — report to the Schools Adjudicator "
            f"(due {_long(self.due)})"
        )
        if self.partnership is None:
            return title
        names = {row.partnership for row in self.rows}
        return f"{title} — {', '.join(sorted(names)) or self.partnership} only"

    @property
    def total(self) -> int:
        return sum(row.admitted for row in self.rows)


def _long(day: date) -> str:
    """``31 October 2026``, on any platform (``%-d`` is not portable)."""
    return f"{day.day} {day:%B %Y}"


def fair_access_annual(
    session: Session, viewer: Actor, start_year: int, *, partnership: str | None = None
) -> AnnualReport:
    """R24: each school's Fair Access admissions in the academic year starting ``start_year``.

    An export (Capability EXPORT: a chair or a county admin). The whole county (``partnership``
    None) is a county admin's; a chair may export their own partnership's part.
    """
    require(viewer, Capability.EXPORT, doing="export the Fair Access annual report (R24)")
    require_partnership(viewer, partnership)
    first, last = date(start_year, 9, 1), date(start_year + 1, 8, 31)
    admitted = (
        select(FairAccessCase.allocated_school_id, func.count(FairAccessCase.id).label("n"))
        .where(FairAccessCase.on_roll_date.between(first, last))
        .group_by(FairAccessCase.allocated_school_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Partnership.code,
            Partnership.name,
            School.name,
            School.urn,
            School.number_on_roll,
            func.coalesce(admitted.c.n, 0),
        )
        .join(Partnership, Partnership.id == School.partnership_id)
        .outerjoin(admitted, admitted.c.allocated_school_id == School.id)
        .where(in_partnership(School.partnership_id, partnership))
        .order_by(Partnership.code, School.name, School.urn)
    )
    return AnnualReport(start_year, partnership, tuple(AnnualRow(*row) for row in rows))


def annual_frame(report: AnnualReport) -> pd.DataFrame:
    """One row per school, the columns of ``COLUMNS`` (no subtotals: it sorts and sums)."""
    return pd.DataFrame(
        [
            (row.partnership, row.school, row.urn, row.number_on_roll, row.admitted)
            for row in report.rows
        ],
        columns=list(COLUMNS),
    )


def annual_csv(report: AnnualReport) -> str:
    """``annual_frame`` as CSV, every text cell formula-escaped (a school named ``=…`` would
    otherwise run as a formula when the file is opened)."""
    frame = annual_frame(report)
    safe = frame.map(lambda cell: escape_formula(cell) if isinstance(cell, str) else cell)
    return safe.to_csv(index=False)


def _lines(report: AnnualReport) -> list[tuple[object, ...]]:
    """The workbook's body: schools by partnership, each partnership's subtotal, the total."""
    lines: list[tuple[object, ...]] = []
    codes = list(dict.fromkeys(row.partnership_code for row in report.rows))
    for code in codes:
        schools = [row for row in report.rows if row.partnership_code == code]
        lines.extend(
            (row.partnership, row.school, row.urn, row.number_on_roll, row.admitted)
            for row in schools
        )
        lines.append(
            (
                f"{schools[0].partnership} subtotal",
                None,
                None,
                sum(row.number_on_roll for row in schools),
                sum(row.admitted for row in schools),
            )
        )
    lines.append(
        (
            "County total" if report.partnership is None else "Total",
            None,
            None,
            sum(row.number_on_roll for row in report.rows),
            report.total,
        )
    )
    return lines


def annual_workbook(report: AnnualReport) -> bytes:
    """The .xlsx file's bytes: a title row, what "admitted" means, a header, one row per
    school, partnership subtotals and the total (values, not formulas, so any reader sees
    them). Text cells are formula-escaped."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Fair Access {report.year_label.replace('/', '-')}"
    sheet.append([escape_formula(report.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            f"Children admitted (on roll) under Fair Access from {_long(report.first_day)} "
            f"to {_long(report.last_day)} (R24)."
        ]
    )
    sheet.append(list(COLUMNS))
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    for line in _lines(report):
        sheet.append([escape_formula(v) if isinstance(v, str) else v for v in line])
        if line[1] is None:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    for letter, width in zip("ABCDE", (28, 40, 10, 16, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
