"""The store on SQLite and PostgreSQL: migrations, integrity, locking, audit, concurrency."""

import json
import threading
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from seips_core.db import get_engine, read_session, write_session
from seips_core.errors import Conflict
from seips_core.migrate import upgrade
from seips_core.models import AuditEntry, Partnership, Pupil, School, TierChange


def _school(session, urn: int = 100001) -> School:
    partnership = Partnership(code="NW", name="North West Partnership")
    session.add(partnership)
    session.flush()
    school = School(
        urn=urn,
        name="Oakmere Academy",
        partnership_id=partnership.id,
        number_on_roll=1200,
        local_authority="Shire County",
    )
    session.add(school)
    session.flush()
    return school


def test_migrations_upgrade_an_empty_database_to_the_models(store_url):
    upgrade(store_url)
    engine = get_engine(store_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert set(SQLModel.metadata.tables) <= tables
    assert differences == [], "the models and the Alembic revisions disagree"


def test_upgrade_twice_changes_nothing(store_url):
    upgrade(store_url)
    upgrade(store_url)
    with get_engine(store_url).connect() as connection:
        revisions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(revisions) == 1


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError), write_session("test", engine) as session:
        session.add(
            School(
                urn=1,
                name="Nowhere School",
                partnership_id=999,
                number_on_roll=10,
                local_authority="Shire County",
            )
        )
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(School)) == 0


def test_check_constraints_refuse_a_tier_5(engine):
    with write_session("test", engine) as session:
        school_id = _school(session).id
        pupil = Pupil(
            case_ref="NW-0001",
            first_name="Ada",
            last_name="Brackenfold",
            date_of_birth=date(2011, 3, 1),
            year_group=9,
            school_id=school_id,
            home_la="Shire County",
        )
        session.add(pupil)
    with pytest.raises(IntegrityError), write_session("test", engine) as session:
        session.add(
            TierChange(pupil_id=pupil.id, school_id=school_id, tier=5, from_date=date(2025, 9, 1))
        )


def test_a_stale_update_is_refused_with_a_conflict(engine):
    with write_session("setup", engine) as session:
        school_id = _school(session).id
    with read_session(engine) as first_reader, read_session(engine) as second_reader:
        mine = first_reader.get(School, school_id)
        theirs = second_reader.get(School, school_id)
    with write_session("co-ordinator A", engine) as session:
        theirs.number_on_roll = 1250
        session.add(theirs)
    with (
        pytest.raises(Conflict, match="changed by someone else"),
        write_session("co-ordinator B", engine) as session,
    ):
        mine.number_on_roll = 900
        session.add(mine)
    with read_session(engine) as session:
        stored = session.get(School, school_id)
    assert (stored.number_on_roll, stored.version) == (1250, 2)


def test_every_change_is_audited_with_before_and_after(engine):
    with write_session("setup", engine) as session:
        school_id = _school(session).id
    with write_session("jo.coordinator", engine) as session:
        school = session.get(School, school_id)
        school.number_on_roll = 1300
    with read_session(engine) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "school").order_by(AuditEntry.id)
        ).all()
    assert [(e.action, e.actor, e.row_id) for e in entries] == [
        ("insert", "setup", school_id),
        ("update", "jo.coordinator", school_id),
    ]
    assert json.loads(entries[1].before)["number_on_roll"] == 1200
    assert json.loads(entries[1].after)["number_on_roll"] == 1300


def test_a_failed_write_leaves_no_change_and_no_audit_row(engine):
    with pytest.raises(IntegrityError), write_session("jo.coordinator", engine) as session:
        _school(session)
        session.add(
            School(
                urn=100001,
                name="Duplicate URN",
                partnership_id=1,
                number_on_roll=5,
                local_authority="Shire County",
            )
        )
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(School)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_eight_threads_writing_at_once_on_sqlite_lose_nothing(sqlite_engine):
    """A panel reading while co-ordinators write never sees "database is locked"."""
    with write_session("setup", sqlite_engine) as session:
        school_id = _school(session).id
    errors: list[BaseException] = []
    increments_per_thread = 15

    def co_ordinator(number: int) -> None:
        try:
            for _ in range(increments_per_thread):
                with write_session(f"co-ordinator {number}", sqlite_engine) as session:
                    school = session.get(School, school_id)
                    school.number_on_roll += 1
                with read_session(sqlite_engine) as session:
                    session.scalar(select(func.count()).select_from(AuditEntry))
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=co_ordinator, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(sqlite_engine) as session:
        school = session.get(School, school_id)
    assert school.number_on_roll == 1200 + 8 * increments_per_thread
    assert school.version == 1 + 8 * increments_per_thread


def test_sqlite_connections_use_wal_and_foreign_keys(sqlite_engine):
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
