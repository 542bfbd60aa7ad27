"""An import does not stop a meeting: it validates without the write lock, writes in bulk, and
still refuses cleanly (all or nothing) what another writer changed meanwhile."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

import seips_core.transfer.bulk as bulk
import seips_core.transfer.importer as importer
from benchmarks.import_lock import write_import
from seips_core import db
from seips_core.auth.roles import SYSTEM_ACTOR
from seips_core.db import get_engine, read_session, write_session
from seips_core.migrate import upgrade
from seips_core.models import AuditEntry, Meeting, MeetingInvitation, Partnership, Pupil, TierChange
from seips_core.services.meetings import set_attendance
from seips_core.transfer import ImportRefused, import_path

EXAMPLE = Path(__file__).parents[2] / "sample_data" / "example"
ACTOR = "co-ordinator@example"


@pytest.fixture
def meeting_store(store_url, monkeypatch):
    """The worked example on each engine, its meeting (with invited schools) under way; writers
    wait at most two seconds for a lock, so that a blocked tick fails fast instead of in 30."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 2_000)
    upgrade(store_url)
    engine = get_engine(store_url)
    import_path(EXAMPLE, engine, actor=ACTOR)
    with write_session(ACTOR, engine) as session:
        session.scalars(select(Meeting)).one().status = "open"
    return engine


def _rows(engine, model) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_meeting_ticks_attendance_while_a_large_import_is_being_validated(
    meeting_store, monkeypatch, tmp_path
):
    with read_session(meeting_store) as session:
        invitation = session.scalars(select(MeetingInvitation)).first()
    chair = SYSTEM_ACTOR("chair@example")
    ticked = []
    validate = importer.check_import

    def validate_while_the_meeting_ticks(tables, *stored):
        meeting, school = invitation.meeting_id, invitation.school_id
        version, attended = invitation.version, not invitation.attended
        ticked.append(
            set_attendance(
                meeting_store, chair, meeting, school, attended, expected_version=version
            )
        )
        return validate(tables, *stored)

    monkeypatch.setattr(importer, "check_import", validate_while_the_meeting_ticks)
    counts = import_path(write_import(tmp_path / "large", 3_000), meeting_store, actor=ACTOR)
    assert counts["pupils"] == 3_000
    assert ticked == [invitation.version + 1]
    with read_session(meeting_store) as session:
        assert session.get(MeetingInvitation, invitation.id).attended is not invitation.attended


def test_a_key_another_writer_stored_during_validation_refuses_the_whole_import(
    meeting_store, monkeypatch, tmp_path
):
    folder = write_import(tmp_path / "import", 50)
    pupils, audited = _rows(meeting_store, Pupil), _rows(meeting_store, AuditEntry)
    validate = importer.check_import

    def validate_then_someone_adds_a_clash(tables, *stored):
        checked = validate(tables, *stored)
        if _rows(meeting_store, Partnership) == 1:  # the first check only
            with write_session("someone else", meeting_store) as session:
                session.add(Partnership(code="BM0", name="Added meanwhile"))
        return checked

    monkeypatch.setattr(importer, "check_import", validate_then_someone_adds_a_clash)
    with pytest.raises(ImportRefused) as refused:
        import_path(folder, meeting_store, actor=ACTOR)
    assert [str(problem) for problem in refused.value.problems] == [
        "partnerships.csv row 2, column code: partnership code BM0 is already in the store"
    ]
    assert _rows(meeting_store, Pupil) == pupils
    assert _rows(meeting_store, AuditEntry) == audited + 1  # the other writer's partnership


def test_rows_added_by_another_writer_after_the_ids_were_taken_do_not_clash(engine, monkeypatch):
    """On SQLite the ids are checked again under the lock; PostgreSQL reserved them."""
    made = bulk.batches
    calls = []

    def made_then_someone_adds_a_partnership(tables, ids, actor, dialect, *progress):
        if not calls:
            with write_session("someone else", engine) as session:
                session.add(Partnership(code="ZZ", name="Added meanwhile"))
        calls.append(actor)
        return made(tables, ids, actor, dialect, *progress)

    monkeypatch.setattr(bulk, "batches", made_then_someone_adds_a_partnership)
    counts = import_path(EXAMPLE, engine, actor=ACTOR)
    assert counts["partnerships"] == 1
    with read_session(engine) as session:
        codes = set(session.scalars(select(Partnership.code)))
        pupil = session.scalars(select(Pupil).where(Pupil.case_ref == "EX-001")).one()
        tiers = session.scalars(select(TierChange).where(TierChange.pupil_id == pupil.id)).all()
    assert codes == {"ZZ", "EXV"}
    assert len(tiers) == 2  # EX-001's two rows of tier_history point at EX-001


def test_an_imported_row_is_audited_as_the_orm_audits_a_row_it_adds(engine):
    import_path(EXAMPLE, engine, actor=ACTOR)
    with read_session(engine) as session:
        imported = session.scalars(select(Pupil).where(Pupil.case_ref == "EX-001")).one()
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.table_name == "pupil", AuditEntry.row_id == imported.id
            )
        ).one()
    values = imported.model_dump(exclude={"id", "case_ref"})
    with write_session(ACTOR, engine) as session:
        added = Pupil(case_ref="BY-HAND", **values)
        session.add(added)
    with read_session(engine) as session:
        by_hand = session.scalars(
            select(AuditEntry).where(
                AuditEntry.table_name == "pupil", AuditEntry.row_id == added.id
            )
        ).one()
    bulk_after, orm_after = json.loads(entry.after), json.loads(by_hand.after)
    assert bulk_after["id"] == imported.id and bulk_after["case_ref"] == "EX-001"
    assert {k: v for k, v in bulk_after.items() if k not in ("id", "case_ref")} == {
        k: v for k, v in orm_after.items() if k not in ("id", "case_ref")
    }
    assert (entry.action, entry.actor, entry.before) == ("insert", ACTOR, None)
