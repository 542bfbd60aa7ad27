"""Subject access (issue 16): everything the store holds about one pupil, for a county admin
to answer a parent's or pupil's request under UK GDPR (one calendar month to answer).

``export_subject_access`` reads the pupil's rows (``collect``), makes the bundle's files (a
CSV per table, a printable page, README.txt) and records the export as a
``SubjectAccessRequest`` row, all in one write transaction: the record of who took the
child's data out and when commits with the reading of it, or neither happens. The command
line (``seips subject-access``) writes the files into a folder, the county admin page
offers them as a zip.
"""

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import Engine, select
from sqlmodel import Session

from ..auth.local_time import COUNTY_TIME
from ..auth.roles import Actor, Capability, require
from ..db import write_session
from ..errors import InvalidValue
from ..models import Pupil, SubjectAccessRequest
from ..transfer.cells import escape_formula
from .collect import Found, TableRows, collect, shown
from .page import render_page

__all__ = ["PAGE_FILE", "Bundle", "counts_for", "export_subject_access"]

PAGE_FILE = "subject-access.html"
README_FILE = "README.txt"
DOING = "export a pupil's records for a subject access request"


@dataclass(frozen=True)
class Bundle:
    """One export: the pupil's rows, who made it and when, and its files by name."""

    case_ref: str
    exported_by: str
    exported_at: datetime
    found: Found

    @property
    def counts(self) -> dict[str, int]:
        """Rows per table, by title, in the bundle's order."""
        return self.found.counts

    def heading(self) -> list[tuple[str, str]]:
        """What the README and the printable page start with."""
        return [
            ("Pupil (case reference)", self.case_ref),
            ("Exported by", self.exported_by),
            ("Exported at (UK time)", f"{self.exported_at.astimezone(COUNTY_TIME):%d %B %Y %H:%M}"),
            ("Records", str(sum(self.counts.values()))),
        ]

    @cached_property
    def files(self) -> dict[str, bytes]:
        """README.txt, the printable page and one CSV per table (UTF-8 with a byte order mark,
        so that a spreadsheet reads names with accents right); made once per bundle."""
        files = {
            README_FILE: self._readme().encode(),
            PAGE_FILE: render_page(self.case_ref, self.heading(), self.found).encode(),
        }
        files.update({_csv_name(rows): _csv(rows) for rows in self.found.tables})
        return files

    def zipped(self) -> bytes:
        """The files in one zip, for a download."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self.files.items():
                archive.writestr(name, content)
        return buffer.getvalue()

    def _readme(self) -> str:
        lines = [f"Subject access export for pupil {self.case_ref}", ""]
        lines += [f"{label}: {value}" for label, value in self.heading()]
        lines += [
            "",
            f"{PAGE_FILE}: everything below on one printable page (open it in a browser).",
            "One CSV file per kind of record, every column as stored; ids link the files",
            "(a decision's agenda_item_id is the id of a row of agendaitem.csv).",
            "",
        ]
        lines += [
            f"{_csv_name(rows)}: {rows.title}, {len(rows.rows)} row(s). {rows.about}"
            for rows in self.found.tables
        ]
        return "\n".join(lines) + "\n"


def _csv_name(rows: TableRows) -> str:
    return f"{rows.table}.csv"


def _csv(rows: TableRows) -> bytes:
    """The rows as CSV; a text a spreadsheet would run as a formula is escaped (``'=…``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(rows.columns)
    writer.writerows([escape_formula(shown(value)) for value in row] for row in rows.rows)
    return ("\ufeff" + out.getvalue()).encode()


def _pupil_id(session: Session, case_ref: str) -> int:
    """The id of the pupil ``case_ref``; ``InvalidValue`` when no pupil has it."""
    pupil_id = session.scalar(select(Pupil.id).where(Pupil.case_ref == case_ref.strip()))
    if pupil_id is None:
        raise InvalidValue(f"Case reference: no pupil has case reference {case_ref.strip()!r}.")
    return pupil_id


def export_subject_access(
    engine: Engine,
    actor: Actor,
    case_ref: str,
    deliver: Callable[[Bundle], None] = lambda _bundle: None,
    *,
    now: datetime | None = None,
) -> Bundle:
    """Everything held about the pupil ``case_ref``, recorded as exported by ``actor``.

    County admins only (the bundle holds every partnership's rows about the child).
    ``deliver`` (the command line's writing of the files) runs inside the transaction: if it
    fails, no export is recorded.
    """
    require(actor, Capability.SUBJECT_ACCESS, doing=DOING)
    at = now or datetime.now(UTC)
    with write_session(actor.email, engine) as session:
        pupil_id = _pupil_id(session, case_ref)
        bundle = Bundle(case_ref.strip(), actor.email, at, collect(session, pupil_id))
        session.add(
            SubjectAccessRequest(
                pupil_id=pupil_id,
                requested_by=actor.email,
                requested_at=at,
                rows=sum(bundle.counts.values()),
            )
        )
        session.flush()
        deliver(bundle)
    return bundle


def counts_for(session: Session, case_ref: str) -> dict[str, int]:
    """How many rows each table holds about the pupil ``case_ref``, by title, before anything
    is exported: numbers only, no record's content (``InvalidValue`` for an unknown one)."""
    return collect(session, _pupil_id(session, case_ref)).counts
