"""Schools from the DfE's register, Get Information about Schools (GIAS): ``seips gias``.

A county keeps GIAS's all-establishments extract (``edubasealldataYYYYMMDD.csv``, about 130
columns, every establishment in England) as its schools list. ``import_gias`` takes from it the
open secondary schools of one local authority (LA) and creates or updates them by URN, in one
audited transaction, or refuses the whole file with every problem by row and column.

Which rows are taken, and why:

- the LA: ``LA (code)`` equal to the code given (``886``), since a county is one LA;
- open: ``EstablishmentStatus (name)`` ``Open`` or ``Open, but proposed to close`` (the school
  still has pupils on roll and still excludes); ``Proposed to open`` has no pupils yet;
- secondary: ``PhaseOfEducation (name)`` ``Secondary``, ``All-through`` (its secondary years
  are a secondary school's) or ``Middle deemed secondary``. A middle school deemed secondary is
  a secondary school in law, with Years 7 and 8 on roll, and in a three-tier county it sits in
  the secondary partnership; an LA without middle schools has none, so taking them costs
  nothing there. ``Middle deemed primary`` and ``16 plus`` (no pupils of compulsory secondary
  age) are left out, as are ``Not applicable`` (special schools, pupil referral units: providers
  and settings, not partnership members).

Only the taken rows are checked: a bad cell in another LA's row, or in a primary school's, is
no problem of this county's. The selection itself reads only ``LA (code)``, the status and the
phase, so a row with a bad URN is still known to be one of the county's open secondary schools
and is reported, not skipped.

What an import writes, and what it leaves:

- a school already stored (by URN) gets GIAS's name, type of establishment, trust and number
  on roll; its partnership, membership (R3) and local authority are the county's, not the
  register's, and stay as they are;
- a blank ``NumberOfPupils`` (GIAS has none for a school that has just opened, or whose census
  is late) keeps a stored school's figure, and gives a new school 0 with a note: 0 is the
  store's "roll not yet entered", for which rates per 1,000 show nothing (``per_thousand``)
  rather than a made-up figure; a later extract, or a schools file, fills it;
- a school not yet stored needs a partnership (R1: every school belongs to exactly one): the
  code given with ``--partnership``; without it every such school is a problem and nothing is
  written. A new school is a member (R3), as in a schools file;
- a stored school that GIAS lists as closed is left as it is (its pupils and history are the
  county's) with a note: an academy conversion closes a URN and opens another.

The file is read as Windows-1252, GIAS's encoding, unless it is valid UTF-8 (a copy saved again
as "CSV UTF-8" by a spreadsheet): a name with an accent or a curly apostrophe reads the same
either way. The functions up to ``plan_changes`` are pure (plain data in and out);
``import_gias`` is the one that reads and writes the store.
"""

import csv
import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlmodel import Session

from ..db import read_session, write_session
from ..models import Partnership, School
from ..store_kind import StoreKind, check_kind, record_kind
from .cells import CellError, WholeNumber
from .problems import ImportRefused, Problem

URN = "URN"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
NAME = "EstablishmentName"
TYPE = "TypeOfEstablishment (name)"
STATUS = "EstablishmentStatus (name)"
PHASE = "PhaseOfEducation (name)"
PUPILS = "NumberOfPupils"
TRUST = "Trusts (name)"
#: The columns read, of the extract's 130 or so; the others are not looked at.
COLUMNS = (URN, LA_CODE, LA_NAME, NAME, TYPE, STATUS, PHASE, PUPILS, TRUST)

OPEN = frozenset({"Open", "Open, but proposed to close"})
CLOSED = "Closed"
SECONDARY = frozenset({"Secondary", "All-through", "Middle deemed secondary"})

#: What each stored attribute is called in a message, in the order changes are listed.
FIELD_WORDS = {
    "name": "name",
    "establishment_type": "type",
    "trust": "trust",
    "number_on_roll": "number on roll",
}
#: The GIAS column each text attribute is read from (a limit is checked against the model).
_TEXT_COLUMNS = {
    "name": NAME,
    "establishment_type": TYPE,
    "trust": TRUST,
    "local_authority": LA_NAME,
}

_URN_CELL = WholeNumber(1)
_ROLL_CELL = WholeNumber(0)
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class GiasSchool:
    """One taken row: an open secondary school of the LA, as GIAS has it."""

    row: int
    urn: int
    name: str
    establishment_type: str | None
    trust: str | None
    #: None where GIAS has no figure (a blank ``NumberOfPupils``).
    number_on_roll: int | None
    local_authority: str


@dataclass(frozen=True)
class Selection:
    """The LA's open secondary schools in a file, the rows of its closed ones by URN, and the
    problems of the taken rows (or of the file)."""

    schools: tuple[GiasSchool, ...]
    closed: Mapping[int, int]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class StoredSchool:
    """What the store holds of a school that GIAS may change."""

    id: int
    urn: int
    name: str
    establishment_type: str | None
    trust: str | None
    number_on_roll: int


@dataclass(frozen=True)
class Change:
    """A stored school GIAS changes: each attribute changed → (stored value, GIAS value)."""

    school: GiasSchool
    id: int
    fields: Mapping[str, tuple[object, object]]


@dataclass(frozen=True)
class Plan:
    """What an import does: the schools it creates and updates, the ones it leaves unchanged,
    notes worth reading (a new school's blank roll, a stored school closed in GIAS), and the
    problems that refuse it."""

    created: tuple[GiasSchool, ...] = ()
    updated: tuple[Change, ...] = ()
    unchanged: tuple[GiasSchool, ...] = ()
    notes: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """The text of an extract: UTF-8 if it is (a copy saved again as "CSV UTF-8"), else
    Windows-1252 (GIAS's own). A byte Windows-1252 has no character for is a problem naming
    its row (its line), and no text."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex().upper()
        message = (
            f"byte 0x{byte} is not Windows-1252 text: use the extract as downloaded from "
            "Get Information about Schools, or save it as 'CSV UTF-8'"
        )
        return None, [Problem(file, line, None, message)]


def read_records(text: str, file: str) -> tuple[list[list[str]], list[Problem]]:
    """The CSV records of ``text``, header first, every cell stripped."""
    try:
        return [[cell.strip() for cell in record] for record in csv.reader(io.StringIO(text))], []
    except csv.Error as error:
        return [], [Problem(file, None, None, f"not readable as CSV: {error}")]


def select_schools(records: Sequence[Sequence[str]], la: str, file: str) -> Selection:
    """The open secondary schools of LA ``la`` in ``records`` (header first), each taken row
    checked; rows are numbered as a spreadsheet shows them (the header is row 1)."""
    if not records:
        return Selection((), {}, (Problem(file, None, None, "empty: no header row"),))
    header = [name.strip() for name in records[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        problems = tuple(
            Problem(file, None, name, "missing: is this a GIAS all-establishments extract?")
            for name in missing
        )
        return Selection((), {}, problems)
    where = {name: header.index(name) for name in COLUMNS}
    schools: list[GiasSchool] = []
    closed: dict[int, int] = {}
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    la_codes: set[str] = set()
    for number, record in enumerate(records[1:], start=2):
        cells = {name: record[at] if at < len(record) else "" for name, at in where.items()}
        la_codes.add(cells[LA_CODE])
        if cells[LA_CODE] != la or cells[PHASE] not in SECONDARY:
            continue
        if cells[STATUS] not in OPEN:
            if cells[STATUS] == CLOSED and cells[URN].isdigit():
                closed[int(cells[URN])] = number
            continue
        school, found = _school(number, cells, file)
        problems += found
        if school is None:
            continue
        if school.urn in seen:
            problems.append(
                Problem(file, number, URN, f"{school.urn} is also on row {seen[school.urn]}")
            )
            continue
        seen[school.urn] = number
        schools.append(school)
    if not seen and not problems:
        problems.append(_no_schools(file, la, la_codes))
    return Selection(tuple(schools), closed, tuple(problems))


def _no_schools(file: str, la: str, la_codes: set[str]) -> Problem:
    """Nothing to import: a wrong code, or an LA without open secondary schools."""
    if la in la_codes:
        return Problem(file, None, LA_CODE, f"LA {la} has no open secondary school in this file")
    codes = sorted(code for code in la_codes if code)
    shown = ", ".join(codes[:10]) + (", …" if len(codes) > 10 else "")
    return Problem(
        file, None, LA_CODE, f"no establishment has LA code {la} (codes in the file: {shown})"
    )


def _school(
    number: int, cells: Mapping[str, str], file: str
) -> tuple[GiasSchool | None, list[Problem]]:
    """A taken row read, or None and the problems of its cells (all of them)."""
    problems = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(file, number, column, message))

    def number_in(column: str, cell: WholeNumber) -> int | None:
        try:
            return cell.parse(cells[column]) if cells[column] else None
        except CellError as error:
            problem(column, str(error))
            return None

    urn, roll = number_in(URN, _URN_CELL), number_in(PUPILS, _ROLL_CELL)
    for attribute, column in _TEXT_COLUMNS.items():
        limit = School.__table__.c[attribute].type.length
        if len(cells[column]) > limit:
            problem(column, f"longer than the {limit} characters the store holds")
    for column in (URN, NAME, LA_NAME):
        if not cells[column]:
            problem(column, "blank: every school has one")
    if problems or urn is None:
        return None, problems
    school = GiasSchool(
        row=number,
        urn=urn,
        name=cells[NAME],
        establishment_type=cells[TYPE] or None,
        trust=cells[TRUST] or None,
        number_on_roll=roll,
        local_authority=cells[LA_NAME],
    )
    return school, []


def plan_changes(
    selection: Selection,
    stored: Mapping[int, StoredSchool],
    file: str,
    *,
    partnership: str | None,
    partnerships: Collection[str],
) -> Plan:
    """What importing ``selection`` into a store holding ``stored`` (by URN: the selection's
    schools and its closed ones) and the partnership codes ``partnerships`` does, with
    ``partnership`` the code given for new schools."""
    created, updated, unchanged, notes, problems = [], [], [], [], []
    if partnership is not None and partnership not in partnerships:
        known = ", ".join(sorted(partnerships)) or "none yet"
        problems.append(
            Problem(
                "--partnership",
                None,
                None,
                f"no partnership has the code {partnership} (the store's codes: {known})",
            )
        )
    for school in selection.schools:
        before = stored.get(school.urn)
        if before is None:
            if partnership is None:
                problems.append(_needs_a_partnership(school, file))
                continue
            created.append(school)
            if school.number_on_roll is None:
                notes.append(
                    Problem(
                        file,
                        school.row,
                        PUPILS,
                        f"blank: {school.name} (URN {school.urn}) is created with 0 on roll "
                        "(rates per 1,000 show nothing for it) until a later extract or a "
                        "schools file gives its roll",
                    )
                )
            continue
        fields = _changed(before, school)
        if fields:
            updated.append(Change(school, before.id, fields))
        else:
            unchanged.append(school)
    for urn, row in selection.closed.items():
        if urn in stored:
            notes.append(
                Problem(
                    file,
                    row,
                    STATUS,
                    f"{stored[urn].name} (URN {urn}) is closed in GIAS and is left in the store "
                    "as it is; if it became an academy, its new URN is a new school",
                )
            )
    return Plan(tuple(created), tuple(updated), tuple(unchanged), tuple(notes), tuple(problems))


def _needs_a_partnership(school: GiasSchool, file: str) -> Problem:
    return Problem(
        file,
        school.row,
        URN,
        f"{school.name} (URN {school.urn}) is not in the store yet: give --partnership CODE "
        "for the partnership new schools join (R1), or add it with a schools file first",
    )


def _changed(before: StoredSchool, school: GiasSchool) -> dict[str, tuple[object, object]]:
    """The attributes GIAS changes, each → (stored, GIAS); a blank roll changes nothing."""
    fields = {}
    for attribute in FIELD_WORDS:
        new = getattr(school, attribute)
        old = getattr(before, attribute)
        if attribute == "number_on_roll" and new is None:
            continue
        if new != old:
            fields[attribute] = (old, new)
    return fields


def import_gias(
    path: Path,
    engine: Engine,
    *,
    la: str,
    partnership: str | None,
    actor: str,
    dry_run: bool = False,
) -> Plan:
    """Create or update the open secondary schools of LA ``la`` from the extract at ``path``:
    the plan carried out (or, ``dry_run``, only made), or ``ImportRefused`` and no change.

    The store is read and written in one write transaction (on SQLite it holds the write lock
    for the few hundred schools of an LA, a fraction of a second), so no school can be added
    between the check and the write. ``WrongStore`` for a demo store, as for ``seips import``.
    """
    selection = read_gias(path, la)
    if selection.problems:
        raise ImportRefused(list(selection.problems))
    if dry_run:
        with read_session(engine) as session:
            check_kind(session, StoreKind.REAL)
            return _planned(session, selection, path.name, partnership)[0]
    with write_session(actor, engine) as session:
        record_kind(session, StoreKind.REAL)
        plan, partnership_id = _planned(session, selection, path.name, partnership)
        _apply(session, plan, partnership_id)
    return plan


def read_gias(path: Path, la: str) -> Selection:
    """The open secondary schools of LA ``la`` in the extract at ``path``, or its problems."""
    text, problems = decode(path.read_bytes(), path.name)
    if text is not None:
        records, problems = read_records(text, path.name)
    if problems:
        return Selection((), {}, tuple(problems))
    return select_schools(records, la, path.name)


def _planned(
    session: Session, selection: Selection, file: str, partnership: str | None
) -> tuple[Plan, int | None]:
    """The plan against the store as it is, and the id of the partnership given; raises
    ``ImportRefused`` (the transaction then rolls back) if it has problems."""
    urns = [school.urn for school in selection.schools] + list(selection.closed)
    found = session.scalars(select(School).where(School.urn.in_(urns)))
    stored = {
        school.urn: StoredSchool(
            school.id,
            school.urn,
            school.name,
            school.establishment_type,
            school.trust,
            school.number_on_roll,
        )
        for school in found
    }
    partnerships = {
        code: id_ for code, id_ in session.execute(select(Partnership.code, Partnership.id))
    }
    plan = plan_changes(
        selection, stored, file, partnership=partnership, partnerships=partnerships.keys()
    )
    if plan.problems:
        raise ImportRefused(list(plan.problems))
    return plan, partnerships.get(partnership) if partnership is not None else None


def _apply(session: Session, plan: Plan, partnership_id: int | None) -> None:
    """Write the plan through the ORM, so every row gets its audit entry."""
    for change in plan.updated:
        school = session.get(School, change.id)
        for attribute, (_, new) in change.fields.items():
            setattr(school, attribute, new)
    for new in plan.created:
        session.add(
            School(
                urn=new.urn,
                name=new.name,
                partnership_id=partnership_id,
                is_member=True,
                number_on_roll=new.number_on_roll or 0,
                local_authority=new.local_authority,
                establishment_type=new.establishment_type,
                trust=new.trust,
            )
        )
    session.flush()
