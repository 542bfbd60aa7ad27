"""Subject access (issue 16): the bundle for a sample pupil against plain SQL, on each engine.

Every row of every table that concerns the pupil is in the CSV files, nothing of another
pupil is, the audit of those rows (deletions too) comes with them, the printable page shows
hostile stored text as text, only a county admin may export, and the export is recorded.
"""

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from html import escape

import pytest
from query_store import module_sample
from sqlalchemy import Column, Engine, ForeignKey, Integer, MetaData, Table, select, text
from sqlmodel import SQLModel

from seips_core.auth.roles import SYSTEM_ACTOR, Actor, Role
from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.models import (
    Action,
    AgendaItem,
    AuditEntry,
    Pupil,
    Referral,
    SubjectAccessRequest,
    TierChange,
)
from seips_core.services.record_views import View, record_views
from seips_core.subject_access import Bundle, counts_for, export_subject_access
from seips_core.subject_access.collect import AUDIT, TITLES, pupil_tables

ON = date(2026, 3, 4)
ADMIN = SYSTEM_ACTOR("test:admin")
#: The pupil's rows of each table, in plain SQL written by hand: the check of ``collect``.
_ITEMS = "SELECT id FROM agendaitem WHERE pupil_id = :p"
_CASES = "SELECT id FROM fairaccesscase WHERE pupil_id = :p"
#: A meeting's action that is no item's, naming the pupil (the minutes list it).
_NAMING = """agenda_item_id IS NULL AND EXISTS (
    SELECT 1 FROM pupil p WHERE p.id = :p AND (
        lower(description) LIKE '%' || lower(p.case_ref) || '%'
        OR lower(owner) LIKE '%' || lower(p.case_ref) || '%'
        OR lower(description) LIKE '%' || lower(p.first_name || ' ' || p.last_name) || '%'
        OR lower(owner) LIKE '%' || lower(p.first_name || ' ' || p.last_name) || '%'))"""
PLAIN_SQL = {
    "pupil": "SELECT id FROM pupil WHERE id = :p",
    "tierchange": "SELECT id FROM tierchange WHERE pupil_id = :p",
    "referral": "SELECT id FROM referral WHERE pupil_id = :p",
    "fairaccesscase": _CASES,
    "fairaccesscategory": f"SELECT id FROM fairaccesscategory WHERE case_id IN ({_CASES})",
    "fairaccessrefusal": f"SELECT id FROM fairaccessrefusal WHERE case_id IN ({_CASES})",
    "agendaitem": _ITEMS,
    "decision": f"SELECT id FROM decision WHERE agenda_item_id IN ({_ITEMS})",
    "action": f"SELECT id FROM action WHERE agenda_item_id IN ({_ITEMS}) OR ({_NAMING})",
    "presentation": f"SELECT id FROM presentation WHERE agenda_item_id IN ({_ITEMS})",
    "placement": "SELECT id FROM placement WHERE pupil_id = :p",
    "exclusion": "SELECT id FROM exclusion WHERE pupil_id = :p",
    "subject_access_request": "SELECT id FROM subject_access_request WHERE pupil_id = :p",
    "record_view": "SELECT id FROM record_view WHERE pupil_id = :p",
}
#: The pupil with the most kinds of record in the sample: decisions, Fair Access, placements.
RICHEST = """
    SELECT p.case_ref, p.id FROM pupil p
    WHERE EXISTS (SELECT 1 FROM fairaccesscase f WHERE f.pupil_id = p.id)
      AND EXISTS (SELECT 1 FROM placement l WHERE l.pupil_id = p.id)
      AND EXISTS (SELECT 1 FROM exclusion e WHERE e.pupil_id = p.id)
      AND EXISTS (SELECT 1 FROM action a JOIN agendaitem i ON i.id = a.agenda_item_id
                  WHERE i.pupil_id = p.id)
    ORDER BY p.id LIMIT 1
"""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sample(request, tmp_path_factory) -> Engine:
    """The sample county, once per engine; the tests add audited changes and exports."""
    return module_sample(request, tmp_path_factory, today=ON, seed=7)


def day_of(value: date | str) -> date:
    """A date column as read by plain SQL: SQLite hands back its text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def ids(engine: Engine, query: str, **values: object) -> set[int]:
    with engine.connect() as connection:
        return set(connection.scalars(text(query), values))


def csv_rows(bundle: Bundle, table: str) -> list[dict[str, str]]:
    content = bundle.files[f"{table}.csv"].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def richest(engine: Engine) -> tuple[str, int]:
    with engine.connect() as connection:
        case_ref, pupil_id = connection.execute(text(RICHEST)).one()
    return case_ref, pupil_id


def leads_to_a_pupil(metadata: MetaData) -> set[str]:
    """Every table with a ``pupil_id`` or a chain of foreign keys to the pupil table."""
    found = {"pupil"}
    while True:
        more = {
            table.name
            for table in metadata.sorted_tables
            if table.name not in found
            and ("pupil_id" in table.c or any(
                key.column.table.name in found for key in table.foreign_keys))
        }  # fmt: skip
        if not more:
            return found
        found |= more


def test_every_table_that_concerns_a_pupil_is_covered():
    """A new table about pupils fails here until the bundle gives it a title and this test a
    plain-SQL check of its rows."""
    tables = leads_to_a_pupil(SQLModel.metadata)
    assert set(pupil_tables()) == tables
    assert set(TITLES) == tables, "give the new table a title in subject_access.collect.TITLES"
    assert set(PLAIN_SQL) == tables, "add the new table's rows about a pupil to PLAIN_SQL"


def test_a_table_added_later_is_found_through_its_foreign_keys():
    metadata = MetaData()
    Table("pupil", metadata, Column("id", Integer, primary_key=True))
    Table("school", metadata, Column("id", Integer, primary_key=True))
    Table("case", metadata, Column("id", Integer, primary_key=True),
          Column("pupil_id", ForeignKey("pupil.id")),
          Column("school_id", ForeignKey("school.id")))  # fmt: skip
    Table("note", metadata, Column("id", Integer, primary_key=True),
          Column("case_id", ForeignKey("case.id")))  # fmt: skip
    Table("view", metadata, Column("id", Integer, primary_key=True), Column("pupil_id", Integer))
    found = pupil_tables(metadata)
    assert set(found) == {"pupil", "case", "note", "view"}
    assert [column.name for column in found["case"]] == ["pupil_id"]


def add_actions_naming(engine: Engine, pupil_id: int) -> dict[str, set[int]]:
    """Actions of a meeting, no item's, naming the pupil by case reference (in other letter
    case) or full name; and ones that are not the pupil's: naming nobody, or another pupil's
    item's action that names this pupil (that pupil's data, not this one's)."""
    with write_session("test:minutes", engine) as session:
        pupil = session.get(Pupil, pupil_id)
        theirs = session.scalars(select(AgendaItem).where(AgendaItem.pupil_id != pupil_id)).first()
        full_name = f"{pupil.first_name} {pupil.last_name}"

        def action(description: str, item: int | None = None) -> Action:
            made = Action(meeting_id=theirs.meeting_id, agenda_item_id=item,
                          description=description, owner="Co-ordinator", due_date=ON)  # fmt: skip
            session.add(made)
            return made

        mine = [action(f"Chase {pupil.case_ref.lower()}'s report"), action(f"Ring {full_name}")]
        not_mine = [action("Book the room"), action(f"Compare with {full_name}", theirs.id)]
        session.flush()
        return {"mine": {a.id for a in mine}, "not mine": {a.id for a in not_mine}}


def test_the_bundle_holds_every_row_about_the_pupil_and_none_of_another(sample):
    case_ref, pupil_id = richest(sample)
    seen = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    with sample.connect() as connection:
        another = connection.execute(
            text("SELECT MIN(case_ref) FROM pupil WHERE id <> :p"), {"p": pupil_id}
        ).scalar_one()
    mine = View(seen, "chair@example.org", case_ref, "Meetings", "names shown")
    record_views(sample, [mine, View(seen, "other@example.org", another, "Meetings", "download")])
    named = add_actions_naming(sample, pupil_id)
    # Asked before the export, which adds its own record after reading the pupil's rows.
    expected = {table: ids(sample, query, p=pupil_id) for table, query in PLAIN_SQL.items()}
    bundle = export_subject_access(sample, ADMIN, case_ref)
    for table, rows in expected.items():
        assert {int(row["id"]) for row in csv_rows(bundle, table)} == rows, table
    for table in PLAIN_SQL:
        for row in csv_rows(bundle, table):
            assert row.get("pupil_id", str(pupil_id)) == str(pupil_id), table
    assert csv_rows(bundle, "pupil")[0]["case_ref"] == case_ref
    actions = {int(row["id"]) for row in csv_rows(bundle, "action")}
    assert named["mine"] <= actions and not named["not mine"] & actions
    viewed = csv_rows(bundle, "record_view")
    assert ("chair@example.org", "Meetings", "2026-03-04T10:00:00+00:00") in {
        (row["actor"], row["page"], row["at"]) for row in viewed
    }
    assert "other@example.org" not in {row["actor"] for row in viewed}
    # The printable page names what the ids point at: the school, the meetings.
    page = bundle.files["subject-access.html"].decode()
    meetings = (
        "SELECT meeting_date FROM meeting "
        "WHERE id IN (SELECT meeting_id FROM agendaitem WHERE pupil_id = :p)"
    )
    with sample.connect() as connection:
        school = connection.scalar(
            text("SELECT s.name FROM school s JOIN pupil p ON p.school_id = s.id WHERE p.id = :p"),
            {"p": pupil_id},
        )
        days = list(connection.scalars(text(meetings), {"p": pupil_id}))
    assert f"({escape(school)})" in page
    assert days and all(f"of {day_of(day):%d %B %Y})" in page for day in days)
    assert sum(bundle.counts.values()) > 10


def test_the_audit_of_the_pupils_rows_comes_with_them_deletions_too(sample):
    case_ref, pupil_id = richest(sample)
    actor = "test:changer"
    with write_session(actor, sample) as session:
        mine = session.scalars(select(Referral).where(Referral.pupil_id == pupil_id)).first()
        mine.summary = "Changed for the test"
        theirs = session.scalars(select(Referral).where(Referral.pupil_id != pupil_id)).first()
        theirs.summary = "Another pupil's change"
        tier = session.scalars(select(TierChange).where(TierChange.pupil_id == pupil_id)).first()
        session.delete(tier)
    expected = set()
    for table, query in PLAIN_SQL.items():
        rows = ids(sample, query, p=pupil_id)
        if rows:
            expected |= ids(
                sample,
                f"SELECT id FROM auditentry WHERE table_name = :t AND row_id IN ({query})",
                t=table,
                p=pupil_id,
            )
    expected |= ids(
        sample,
        "SELECT id FROM auditentry WHERE table_name = 'tierchange' AND action = 'delete' "
        "AND before LIKE :pattern",
        pattern=f'%"pupil_id": {pupil_id},%',
    )
    bundle = export_subject_access(sample, ADMIN, case_ref)
    audit = csv_rows(bundle, AUDIT)
    assert {int(row["id"]) for row in audit} == expected
    assert {(row["table_name"], row["action"]) for row in audit} >= {
        ("referral", "update"),
        ("tierchange", "delete"),
    }
    assert "Another pupil's change" not in bundle.files[f"{AUDIT}.csv"].decode()


def test_the_export_is_recorded_in_its_transaction_and_audited(sample):
    case_ref, pupil_id = richest(sample)
    before = ids(sample, PLAIN_SQL["subject_access_request"], p=pupil_id)
    bundle = export_subject_access(sample, ADMIN, case_ref)
    with read_session(sample) as session:
        made = session.scalars(
            select(SubjectAccessRequest)
            .where(SubjectAccessRequest.pupil_id == pupil_id)
            .order_by(SubjectAccessRequest.id.desc())
        ).first()
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.table_name == "subject_access_request", AuditEntry.row_id == made.id
            )
        ).one()
    assert made.id not in before
    assert (made.requested_by, made.rows) == (ADMIN.email, sum(bundle.counts.values()))
    assert (entry.actor, entry.action) == (ADMIN.email, "insert")
    # The next bundle lists this export among the pupil's records.
    again = export_subject_access(sample, ADMIN, case_ref)
    assert made.id in {int(row["id"]) for row in csv_rows(again, "subject_access_request")}


def test_a_failed_delivery_records_no_export(sample):
    case_ref, pupil_id = richest(sample)
    before = ids(sample, PLAIN_SQL["subject_access_request"], p=pupil_id)

    def fail(_bundle: Bundle) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        export_subject_access(sample, ADMIN, case_ref, fail)
    assert ids(sample, PLAIN_SQL["subject_access_request"], p=pupil_id) == before


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR, Role.CHAIR])
def test_only_a_county_admin_may_export(sample, role):
    case_ref, _ = richest(sample)
    actor = Actor(
        email="x@example.org", display_name="X", role=role, partnerships=frozenset({"NW"})
    )
    with pytest.raises(NotAllowed, match="only a county admin"):
        export_subject_access(sample, actor, case_ref)


def test_an_unknown_case_reference_is_refused(sample):
    with pytest.raises(InvalidValue, match="no pupil has case reference 'NOPE-1'"):
        export_subject_access(sample, ADMIN, " NOPE-1 ")
    with read_session(sample) as session, pytest.raises(InvalidValue):
        counts_for(session, "NOPE-1")


def test_the_counts_match_the_bundle_and_the_zip_holds_every_file(sample):
    case_ref, _ = richest(sample)
    with read_session(sample) as session:
        counts = counts_for(session, case_ref)
    bundle = export_subject_access(sample, ADMIN, case_ref)
    assert counts.keys() == bundle.counts.keys()
    with zipfile.ZipFile(io.BytesIO(bundle.zipped())) as archive:
        assert set(archive.namelist()) == set(bundle.files)
    readme = bundle.files["README.txt"].decode()
    assert case_ref in readme and ADMIN.email in readme
