"""Reading the audit trail: who may, what a chair sees of it, and never a pupil's name.

The trail is made by real writes under different users' emails; each test compares what the
query answers with the writes that should (and should not) show.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from query_store import QueryStore
from sqlalchemy import func, select

from seips_core.audit import append_entries
from seips_core.auth.accounts import add_user
from seips_core.auth.roles import SYSTEM_ACTOR, Actor, Role
from seips_core.db import read_session, write_session
from seips_core.errors import NotAllowed
from seips_core.models import AuditEntry, Pupil, School
from seips_core.queries.audit import CHANGED, HIDDEN, Change, audit_entries, case_history
from seips_core.services import set_setting

pytestmark = pytest.mark.postgres

ADMIN = SYSTEM_ACTOR("cli:test")
CHAIR_NW = Actor("chair.nw@shire.example", "Chair NW", Role.CHAIR, frozenset({"NW"}))
CO_NW, CO_HB, CO_BOTH = "co.nw@shire.example", "co.hb@shire.example", "co.both@shire.example"
#: 23:30 UTC on 1 July is 00:30 on 2 July on the UK's summer clock.
LATE_EVENING_UTC = datetime(2024, 7, 1, 23, 30, tzinfo=UTC)


@dataclass
class Trail:
    nw_case: str
    hb_case: str
    nw_names: tuple[str, str]


def add_users(engine) -> None:
    for email, role, partnerships in [
        (CHAIR_NW.email, "chair", ["NW"]),
        (CO_NW, "coordinator", ["NW"]),
        (CO_HB, "coordinator", ["HB"]),
        (CO_BOTH, "coordinator", ["NW", "HB"]),
    ]:
        add_user(
            engine, ADMIN, email=email, display_name=email, role=role, partnerships=partnerships
        )


@pytest.fixture
def trail(engine) -> Trail:
    rows = QueryStore(None)  # one numbering of case references across the write sessions

    with write_session(ADMIN.email, engine) as rows.session:
        nw_school, hb_school = (
            rows.school(rows.partnership("NW")),
            rows.school(rows.partnership("HB")),
        )
    add_users(engine)
    with write_session(CO_NW, engine) as rows.session:  # about an NW pupil, by an NW colleague
        nw_pupil = rows.pupil(nw_school)
        rows.move(nw_pupil, nw_school, 3, date(2026, 9, 1))
    with write_session(CO_NW, engine) as session:
        pupil = session.get(Pupil, nw_pupil.id)
        pupil.first_name, pupil.year_group = "Renamed", 10
    with write_session(CO_HB, engine) as rows.session:  # about an HB pupil
        hb_pupil = rows.pupil(hb_school)
        rows.move(hb_pupil, hb_school, 2, date(2026, 9, 1))
    with write_session(CO_BOTH, engine) as rows.session:  # an NW colleague, but an HB pupil
        rows.move(hb_pupil, hb_school, 4, date(2026, 10, 1))
    for actor, school_id in [(CO_NW, nw_school.id), (CO_HB, hb_school.id)]:
        with write_session(actor, engine) as session:  # about no pupil
            session.get(School, school_id).number_on_roll += 10
    set_setting(engine, ADMIN, "r8_threshold", 5)
    with write_session(CO_NW, engine) as session:  # a write made late on a summer evening
        append_entries(session, [{"at": LATE_EVENING_UTC, "actor": CO_NW, "action": "insert",
                                  "table_name": "meeting", "row_id": 99}])  # fmt: skip
    return Trail(nw_pupil.case_ref, hb_pupil.case_ref, ("Testfirst", nw_pupil.last_name))


def read(engine, reader, **filters):
    with read_session(engine) as session:
        return audit_entries(session, reader, **filters)


def history(engine, reader, case_ref):
    with read_session(engine) as session:
        return case_history(session, reader, case_ref)


def described(rows) -> list[tuple]:
    return [(r.actor, r.action, r.table, r.case_ref) for r in rows]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR])
def test_viewers_and_co_ordinators_may_not_read_the_trail(trail, engine, role):
    reader = Actor("someone@shire.example", "Someone", role, frozenset({"NW"}))
    with pytest.raises(NotAllowed, match="only a chair or county admin may read the audit trail"):
        read(engine, reader)
    with pytest.raises(NotAllowed, match="read the audit trail"):
        history(engine, reader, trail.nw_case)


def test_a_county_admin_reads_every_entry_newest_first(trail, engine):
    rows = read(engine, ADMIN)
    with read_session(engine) as session:
        assert len(rows) == session.scalar(select(func.count()).select_from(AuditEntry))
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    assert described(rows[:2]) == [
        (ADMIN.email, "insert", "setting", None),
        (CO_HB, "update", "school", None),
    ]


def test_a_chair_sees_their_pupils_and_their_colleagues_work_only(trail, engine):
    assert sorted(described(read(engine, CHAIR_NW))) == sorted(
        [
            (CO_NW, "insert", "pupil", trail.nw_case),
            (CO_NW, "insert", "tierchange", trail.nw_case),
            (CO_NW, "update", "pupil", trail.nw_case),
            (CO_NW, "update", "school", None),
            (CO_NW, "insert", "meeting", None),
        ]
    )


def test_a_chair_reads_the_history_of_their_partnerships_case(trail, engine):
    rows = history(engine, CHAIR_NW, trail.nw_case)
    assert described(rows) == [
        (CO_NW, "update", "pupil", trail.nw_case),
        (CO_NW, "insert", "tierchange", trail.nw_case),
        (CO_NW, "insert", "pupil", trail.nw_case),
    ]
    assert described(read(engine, CHAIR_NW, case_ref=trail.nw_case)) == described(rows)


def test_a_chair_is_refused_another_partnerships_case(trail, engine):
    with pytest.raises(NotAllowed, match="chair of NW: you may not see or change partnership HB"):
        history(engine, CHAIR_NW, trail.hb_case)


def test_a_county_admin_reads_any_case_with_all_its_authors(trail, engine):
    rows = history(engine, ADMIN, trail.hb_case)
    assert {r.actor for r in rows} == {CO_HB, CO_BOTH}
    assert {r.case_ref for r in rows} == {trail.hb_case}
    assert history(engine, ADMIN, "NO-SUCH-CASE") == []


def test_an_update_lists_its_changes_but_never_a_name(trail, engine):
    [update] = [r for r in history(engine, ADMIN, trail.nw_case) if r.action == "update"]
    assert update.changes == (
        Change("first_name", HIDDEN, CHANGED),
        Change("year_group", 9, 10),
    )
    shown = repr(read(engine, ADMIN))
    for private in (*trail.nw_names, "Renamed", "2012-01-01"):
        assert private not in shown


def test_inserts_list_no_changes(trail, engine):
    assert all(r.changes == () for r in read(engine, ADMIN) if r.action == "insert")


def test_the_trail_narrows_to_one_author(trail, engine):
    rows = read(engine, ADMIN, actor_email=CO_BOTH.upper())
    assert described(rows) == [(CO_BOTH, "insert", "tierchange", trail.hb_case)]


def test_days_are_read_on_the_uk_clock(trail, engine):
    late = read(engine, ADMIN, since=date(2024, 7, 2), until=date(2024, 7, 2))
    assert described(late) == [(CO_NW, "insert", "meeting", None)]
    assert late[0].at.isoformat() == "2024-07-02T00:30:00+01:00"
    assert read(engine, ADMIN, until=date(2024, 7, 1)) == []
    today = datetime.now(UTC).date()
    recent = read(engine, ADMIN, since=today - timedelta(days=1))
    assert len(recent) == len(read(engine, ADMIN)) - 1


def test_the_limit_keeps_the_newest(trail, engine):
    assert read(engine, ADMIN, limit=3) == read(engine, ADMIN)[:3]
