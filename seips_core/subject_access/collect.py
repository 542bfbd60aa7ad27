"""Every row the store holds about one pupil, found through the schema rather than a list.

A table concerns a pupil when it has a ``pupil_id`` column or a foreign key to a table that
concerns the pupil (a Fair Access case's refusals, an agenda item's decisions and actions).
``pupil_tables`` walks the models' metadata, so a table added later is in the bundle without
anyone remembering to add it; ``TITLES`` must say what each is for a parent reading it, and a
test fails while a table found has no title. A row about no pupil at all (a meeting's action
that is not an item's, as the minutes list it) is the pupil's too when its text names them by
case reference or full name. Tables the pupil's rows only point at (schools,
providers, meetings, partnerships) are not the pupil's data: the printable page names them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Column, MetaData, String, Table, and_, false, func, or_, select
from sqlmodel import Session, SQLModel

import seips_core.models  # noqa: F401  (registers every table in the metadata)

from ..models import AuditEntry, Meeting, Partnership, Provider, Pupil, School
from ..models.choices import DECISION_OUTCOMES

#: The pupil's own table: where every path ends.
PUPIL = "pupil"
#: Each table that concerns a pupil: its title in the bundle and what its rows are, in the
#: order the printable page shows them (the pupil first, the decisions soon after).
TITLES: dict[str, tuple[str, str]] = {
    PUPIL: ("The pupil", "The pupil's record: name, date of birth, school, status."),
    "tierchange": ("Tier history", "Each period at a tier (R5, R6) and the school responsible."),
    "referral": ("Referrals", "Requests for partnership support from a school (R19)."),
    "fairaccesscase": ("Fair Access cases", "Referrals under the Fair Access Protocol (R13)."),
    "fairaccesscategory": ("Fair Access categories", "The categories that applied (R20)."),
    "fairaccessrefusal": ("Fair Access refusals", "Schools' refusals or delays (R22)."),
    "agendaitem": ("Agenda items", "Each time the pupil's case was put to a meeting."),
    "decision": ("Decisions and their reasons", "What the panel decided, why, who and when."),
    "action": ("Actions", "What a meeting asked someone to do about the case."),
    "presentation": ("Shown on the wall", "A meeting's wall showing the pupil's item now."),
    "placement": ("Placements", "Alternative Provision and work experience (R7-R12)."),
    "exclusion": ("Exclusions and suspensions", "Suspensions and permanent exclusions (R25)."),
    "subject_access_request": ("Subject access exports", "Each export of this record."),
    "record_view": (
        "Who viewed the record",
        "Each time someone saw the pupil's name on a page or in a download: who, when, where.",
    ),
}
#: The audit trail's entries about the rows above, and deletions of such rows.
AUDIT = "auditentry"
AUDIT_TITLE = (
    "Changes to these records",
    "The audit trail: every insert, update and delete of the rows above, with who and when.",
)


def pupil_tables(metadata: MetaData = SQLModel.metadata) -> dict[str, tuple[Column, ...]]:
    """Each table that concerns a pupil, parents before children, with the columns that lead
    towards the pupil (``pupil_id`` or a foreign key to another such table)."""
    found: dict[str, tuple[Column, ...]] = {}
    for table in metadata.sorted_tables:
        if table.name == PUPIL:
            found[PUPIL] = (table.c.id,)
            continue
        if table.name == AUDIT:
            continue
        leads = tuple(
            column
            for column in table.columns
            if column.name == "pupil_id"
            or any(
                key.column.table.name in found and key.column.table is not table
                for key in column.foreign_keys
            )
        )
        if leads:
            found[table.name] = leads
    return found


@dataclass(frozen=True)
class TableRows:
    """One table's rows about the pupil, as stored (ids included), oldest first."""

    table: str
    title: str
    about: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Found:
    """The pupil's rows, table by table, the audit of them, and readable names for the ids
    they point at (``(table, id)`` → name) for the printable page."""

    tables: tuple[TableRows, ...]
    names: Mapping[tuple[str, int], str]

    @property
    def counts(self) -> dict[str, int]:
        """Rows per table, by title, in the bundle's order."""
        return {rows.title: len(rows.rows) for rows in self.tables}

    def name_of(self, table: str, column: str, value: object) -> str | None:
        """The name of the school, provider, partnership or meeting that ``table.column``'s
        ``value`` points at; None for any other column or value."""
        targets = _targets(SQLModel.metadata.tables[table].c[column])
        return next((self.names[(t, value)] for t in targets if (t, value) in self.names), None)


def collect(session: Session, pupil_id: int) -> Found:
    """Every row of every table that concerns pupil ``pupil_id``, and the audit of them."""
    metadata = SQLModel.metadata
    ids: dict[str, set[int]] = {PUPIL: {pupil_id}}
    tables: list[TableRows] = []
    concerned = pupil_tables(metadata)
    naming = _naming(session, pupil_id)
    for name, leads in concerned.items():
        table = metadata.tables[name]
        if name != PUPIL:
            about = or_(_about(leads, ids), _names_the_pupil(table, leads, naming))
            ids[name] = set(session.scalars(select(table.c.id).where(about)))
        tables.append(_rows(session, table, ids[name], *TITLES[name]))
    tables.sort(key=lambda rows: list(TITLES).index(rows.table))
    audit = _audit(session, concerned, ids)
    tables.append(_rows(session, AuditEntry.__table__, audit, *AUDIT_TITLE))
    return Found(tuple(tables), _names(session, tables))


def _targets(column: Column) -> set[str]:
    """The tables ``column`` points at (a ``pupil_id`` without a foreign key: the pupil's)."""
    return {key.column.table.name for key in column.foreign_keys} or (
        {PUPIL} if column.name == "pupil_id" else set()
    )


def _about(leads: Iterable[Column], ids: Mapping[str, set[int]]):
    """A row whose ``pupil_id`` is the pupil's, or that points at a row about the pupil."""
    conditions = []
    for column in leads:
        wanted = set().union(*(ids.get(target, set()) for target in _targets(column)))
        if wanted:
            conditions.append(column.in_(sorted(wanted)))
    return or_(*conditions) if conditions else false()


def _naming(session: Session, pupil_id: int) -> tuple[str, ...]:
    """What names the pupil in free text: the case reference and the full name."""
    case_ref, first, last = session.execute(
        select(Pupil.case_ref, Pupil.first_name, Pupil.last_name).where(Pupil.id == pupil_id)
    ).one()
    return tuple(words for words in (case_ref, f"{first} {last}") if words.strip())


def _names_the_pupil(table: Table, leads: Iterable[Column], naming: tuple[str, ...]):
    """A row about no pupil (every column that could say whose it is empty: an action of a
    meeting rather than of an item, as the minutes list it) whose text names this pupil.
    A row of another pupil's is never taken for naming this one: it is that pupil's data."""
    texts = [c for c in table.columns if isinstance(getattr(c.type, "impl", c.type), String)]
    if not texts or not naming or any(not column.nullable for column in leads):
        return false()
    named = or_(
        *(
            func.lower(column).contains(words.lower(), autoescape=True)
            for column in texts
            for words in naming
        )
    )
    return and_(*(column.is_(None) for column in leads), named)


def _rows(session: Session, table: Table, ids: set[int], title: str, about: str) -> TableRows:
    rows = session.execute(select(table).where(table.c.id.in_(sorted(ids))).order_by(table.c.id))
    return TableRows(
        table.name, title, about, tuple(table.columns.keys()), tuple(tuple(r) for r in rows)
    )


def _audit(
    session: Session, tables: Mapping[str, tuple[Column, ...]], ids: Mapping[str, set[int]]
) -> set[int]:
    """The audit entries of the pupil's rows, and the deletions of rows that were the
    pupil's (found by the deleted values: ``"pupil_id": 7`` in the JSON ``before``)."""
    entry = AuditEntry.__table__.c
    conditions = []
    for name, leads in tables.items():
        if ids[name]:
            conditions.append(and_(entry.table_name == name, entry.row_id.in_(sorted(ids[name]))))
        for column in leads:
            for target in _targets(column):
                for each in sorted(ids.get(target, ())):
                    conditions.extend(
                        and_(
                            entry.table_name == name,
                            entry.action == "delete",
                            entry.before.like(f'%"{column.name}": {each}{end}%'),
                        )
                        for end in (",", "}")
                    )
    if not conditions:
        return set()
    return set(session.scalars(select(entry.id).where(or_(*conditions))))


#: The tables the pupil's rows point at, and how each row is named on the printable page.
_NAMED = {
    School.__tablename__: (School.id, School.name),
    Provider.__tablename__: (Provider.id, Provider.name),
    Partnership.__tablename__: (Partnership.id, Partnership.name),
}


def _names(session: Session, tables: list[TableRows]) -> dict[tuple[str, int], str]:
    """The name of each school, provider, partnership and meeting the rows point at."""
    wanted: dict[str, set[int]] = {}
    for rows in tables:
        for at, column in enumerate(SQLModel.metadata.tables[rows.table].columns):
            for target in _targets(column):
                values = {row[at] for row in rows.rows if row[at] is not None}
                wanted.setdefault(target, set()).update(values)
    names: dict[tuple[str, int], str] = {}
    for target, (key, name) in _NAMED.items():
        found = session.execute(select(key, name).where(key.in_(sorted(wanted.get(target, ())))))
        names.update({(target, row_id): text for row_id, text in found})
    meetings = session.execute(
        select(Meeting.id, Meeting.kind, Meeting.meeting_date).where(
            Meeting.id.in_(sorted(wanted.get(Meeting.__tablename__, ())))
        )
    )
    names.update(
        {
            (Meeting.__tablename__, row_id): f"{_KINDS[kind]} of {day:%d %B %Y}"
            for row_id, kind, day in meetings
        }
    )
    return names


_KINDS = {"panel": "Panel", "inclusion_forum": "Inclusion Forum"}


def shown(value: object) -> str:
    """A stored value as text, the same in the CSV files and on the printable page."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        # SQLite hands back the store's UTC without its zone, PostgreSQL with it: one form.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def outcome_words(outcome: str) -> str:
    """A decision's outcome as the record screen says it."""
    return DECISION_OUTCOMES.get(outcome, outcome)
