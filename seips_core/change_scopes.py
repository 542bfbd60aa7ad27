"""Which partnerships' answers an audited write can change, and their change markers.

The pages cache each answer keyed on a change marker (``dashboard.store``). One marker for the
whole store made every write anywhere cool every page of every partnership (issue 13). Here
each partnership has its own marker, plus one for the county-wide facts every partnership
reads: ``append_entries`` works out, for each row it records, the partnerships whose pages can
show that row, and sets their markers to the new audit id, in the write's own transaction.

What a row can change (correctness first: a cached answer never outlives a change it rests on):

- The county-wide facts: partnerships, schools, providers, placements, safeguarding
  confirmations, funding rates, term dates, settings. R8 counts a provider's substantial pupils
  across every partnership, so a placement anywhere changes what another partnership's provider
  register says; a pupil's LAC or EHCP status counts there too. An unknown table, a bulk load
  (``*``) and a large batch count as county-wide as well.
- Rows about a pupil: every partnership that can show the pupil, through the school on roll,
  tier periods, referrals, exclusions, placements, Fair Access cases (and their allocated
  school), agenda items and the schools decided on; the county when the pupil has none.
- Rows of a meeting: the meeting's partnership (and a pupil's, an invited school's).
- Accounts and access (users, their partnerships, browser sessions, signing keys, sign-in
  throttles) and the log of who viewed a record: no case-data marker, so a sign-in or a read
  keeps every page warm.

Both the row's values before and after the write are read, so a pupil moving school moves the
old school's partnership and the new one's. The markers only grow: the audit trail's appends are
queued (PostgreSQL advisory lock, SQLite's write lock), so the new audit id is the newest.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, func, select, union
from sqlalchemy.dialects import postgresql, sqlite

from .models import (
    AgendaItem,
    AuditEntry,
    ChangeMarker,
    Decision,
    Exclusion,
    FairAccessCase,
    Meeting,
    Placement,
    Pupil,
    Referral,
    School,
    TierChange,
)

#: The scope of the county-wide facts (partnership ids start at 1).
COUNTY = 0
#: More rows than this in one append (an import) move the county-wide marker alone: quicker than
#: working out each row's partnerships, and such a write touches most of them anyway.
LARGE_BATCH = 200
#: Tables that are not case data: no cached page reads them (the case history reads
#: ``record_view`` uncached).
NOT_CASE_DATA = frozenset(
    {
        "dashboard_user",
        "userpartnership",
        "browser_session",
        "signing_key",
        "sign_in_throttle",
        "record_view",
    }
)
#: A change of these pupil fields changes R8's counts of LAC or EHCP pupils at a provider.
_PUPIL_FIELDS_READ_COUNTY_WIDE = ("lac_status", "ehcp")

Scopes = set[int]


def _school(connection: Connection, school_id: int) -> Scopes:
    found = connection.execute(select(School.partnership_id).where(School.id == school_id))
    return set(found.scalars())


def _partnership(_connection: Connection, partnership_id: int) -> Scopes:
    return {partnership_id}


def _meeting(connection: Connection, meeting_id: int) -> Scopes:
    found = connection.execute(select(Meeting.partnership_id).where(Meeting.id == meeting_id))
    return set(found.scalars())


def pupil_scopes(connection: Connection, pupil_id: int) -> Scopes:
    """Every partnership that can show pupil ``pupil_id`` (the county when none can)."""

    def schools_of(model: Any, column: Any = None) -> Any:
        school_id = model.school_id if column is None else column
        return (
            select(School.partnership_id)
            .join(model, school_id == School.id)
            .where(model.pupil_id == pupil_id)
        )

    decided = (
        select(School.partnership_id)
        .join(Decision, Decision.school_id == School.id)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .where(AgendaItem.pupil_id == pupil_id)
    )
    partnerships = union(
        select(School.partnership_id)
        .join(Pupil, Pupil.school_id == School.id)
        .where(Pupil.id == pupil_id),
        schools_of(TierChange),
        schools_of(Referral),
        schools_of(Exclusion),
        schools_of(Placement),
        schools_of(FairAccessCase, FairAccessCase.allocated_school_id),
        select(FairAccessCase.partnership_id).where(FairAccessCase.pupil_id == pupil_id),
        select(Meeting.partnership_id)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.pupil_id == pupil_id),
        decided,
    )
    return set(connection.execute(partnerships).scalars()) or {COUNTY}


def _agenda_item(connection: Connection, item_id: int) -> Scopes:
    found = connection.execute(
        select(Meeting.partnership_id, AgendaItem.pupil_id)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.id == item_id)
    ).first()
    return set() if found is None else {found[0]} | pupil_scopes(connection, found[1])


def _fair_access_case(connection: Connection, case_id: int) -> Scopes:
    found = connection.execute(
        select(FairAccessCase.partnership_id, FairAccessCase.pupil_id).where(
            FairAccessCase.id == case_id
        )
    ).first()
    return set() if found is None else {found[0]} | pupil_scopes(connection, found[1])


Resolver = Callable[[Connection, int], Scopes]

#: For each table of case data local to partnerships: which of its columns lead to which
#: partnerships. A table not listed here (nor in ``NOT_CASE_DATA``) is county-wide.
_REFERENCES: dict[str, dict[str, Resolver]] = {
    "pupil": {"id": pupil_scopes, "school_id": _school},
    "tierchange": {"pupil_id": pupil_scopes, "school_id": _school},
    "referral": {"pupil_id": pupil_scopes, "school_id": _school},
    "exclusion": {"pupil_id": pupil_scopes, "school_id": _school},
    "fairaccesscase": {
        "pupil_id": pupil_scopes,
        "partnership_id": _partnership,
        "allocated_school_id": _school,
    },
    "fairaccesscategory": {"case_id": _fair_access_case},
    "fairaccessrefusal": {"case_id": _fair_access_case, "school_id": _school},
    "meeting": {"partnership_id": _partnership},
    "meetinginvitation": {"meeting_id": _meeting, "school_id": _school},
    "agendaitem": {"meeting_id": _meeting, "pupil_id": pupil_scopes},
    "decision": {"agenda_item_id": _agenda_item, "school_id": _school},
    "action": {"meeting_id": _meeting, "agenda_item_id": _agenda_item},
    "presentation": {"meeting_id": _meeting, "agenda_item_id": _agenda_item},
    "wall_link": {"meeting_id": _meeting},
}


def _values(entry: dict) -> list[dict]:
    """The row's values before and after the write, as recorded; none for an entry appended
    without them (``append_entries`` leaves them optional), which then moves the county."""
    recorded = (entry.get("before"), entry.get("after"))
    return [json.loads(text) for text in recorded if text is not None]


def entry_scopes(connection: Connection, entry: dict) -> Scopes:
    """The scopes whose answers the write recorded by audit ``entry`` can change."""
    table = entry["table_name"]
    if table in NOT_CASE_DATA:
        return set()
    references = _REFERENCES.get(table)
    if references is None:
        return {COUNTY}
    values = _values(entry)
    scopes: Scopes = set()
    if table == "pupil" and len({_read_county_wide(v) for v in values}) > 1:
        scopes.add(COUNTY)
    for row in values:
        for column, resolve in references.items():
            if row.get(column) is not None:
                scopes |= resolve(connection, row[column])
    return scopes or {COUNTY}


def _read_county_wide(pupil: dict) -> tuple:
    return tuple(pupil.get(field) for field in _PUPIL_FIELDS_READ_COUNTY_WIDE)


def bump(connection: Connection, entries: list[dict]) -> None:
    """Set the marker of every scope ``entries`` (just appended) can change to the newest audit
    id. Called by ``append_entries`` while it holds the trail's lock, in the same transaction."""
    if len(entries) > LARGE_BATCH:
        scopes: Scopes = {COUNTY}
    else:
        scopes = set().union(*(entry_scopes(connection, entry) for entry in entries))
    if not scopes:
        return
    newest = connection.execute(select(func.max(AuditEntry.id))).scalar_one()
    _upsert(connection, ({"scope": scope, "audit_id": newest} for scope in sorted(scopes)))


def _upsert(connection: Connection, rows: Iterable[dict]) -> None:
    """Insert each marker row, or set the audit id of the one already there (the primary key
    keeps one row per scope; two writers of a new scope both land, the later one's id stays)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(ChangeMarker)
    stmt = stmt.on_conflict_do_update(
        index_elements=[ChangeMarker.scope], set_={"audit_id": stmt.excluded.audit_id}
    )
    connection.execute(stmt, list(rows))
