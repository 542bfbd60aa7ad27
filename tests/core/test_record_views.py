"""Who viewed a pupil's named record (issue 16): the log's writer and its reader.

The writer stores a batch in one transaction and touches neither the audit trail nor the
change markers (a read changes no case data); the reader answers chairs and county admins
only, newest first, and refuses another partnership's pupil rather than answering empty.
"""

from datetime import UTC, datetime, timedelta

import pytest
from query_store import QueryStore
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from seips_core.auth.roles import SYSTEM_ACTOR, Actor, Role
from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.models import AuditEntry, ChangeMarker, RecordView
from seips_core.queries.record_views import RecordViewRow, views_of_pupil
from seips_core.services.record_views import View, record_views

pytestmark = pytest.mark.postgres

ADMIN = SYSTEM_ACTOR("cli:test")
CHAIR_A = Actor("chair.a@shire.example", "Chair A", Role.CHAIR, frozenset({"A"}))
CO_A = Actor("co.a@shire.example", "Co A", Role.COORDINATOR, frozenset({"A"}))
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def pupils(engine: Engine) -> dict[str, int]:
    """A pupil on the roll of a school of partnership A, and one of B."""
    with write_session("test", engine) as session:
        add = QueryStore(session)
        a, b = add.school(add.partnership("A")), add.school(add.partnership("B"))
        return {"A": add.pupil(a).id, "B": add.pupil(b).id}


def _count(engine: Engine, what) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(what))


def _markers(engine: Engine) -> list[tuple[int, int]]:
    with read_session(engine) as session:
        return list(session.execute(select(ChangeMarker.scope, ChangeMarker.audit_id)))


def test_a_batch_is_stored_without_audit_or_marker(engine, pupils) -> None:
    trail, markers = _count(engine, AuditEntry), _markers(engine)
    views = [
        View(AT + timedelta(minutes=n), CO_A.email, pupils["A"], "Fair Access cases", kind)
        for n, kind in enumerate(["names shown", "download", "names shown"])
    ]
    assert record_views(engine, views) == 3
    assert _count(engine, RecordView) == 3
    assert _count(engine, AuditEntry) == trail
    assert _markers(engine) == markers


def test_a_batch_is_one_transaction(engine, pupils) -> None:
    good = View(AT, CO_A.email, pupils["A"], "Fair Access cases", "names shown")
    bad = View(AT, CO_A.email, pupils["A"], "Fair Access cases", "glimpsed")  # the CHECK refuses
    with pytest.raises(IntegrityError):
        record_views(engine, [good, good, bad])
    assert _count(engine, RecordView) == 0


def test_a_view_of_a_vanished_pupil_is_dropped(engine, pupils) -> None:
    views = [
        View(AT, CO_A.email, pupils["A"], "AP placements", "names shown"),
        View(AT, CO_A.email, 999_999, "AP placements", "names shown"),
    ]
    assert record_views(engine, views) == 1
    assert record_views(engine, []) == 0


def test_views_of_a_pupil_newest_first(engine, pupils) -> None:
    record_views(
        engine,
        [
            View(AT, CO_A.email, pupils["A"], "Fair Access cases", "names shown"),
            View(AT + timedelta(hours=1), "co.b@shire.example", pupils["B"], "Home", "download"),
            View(AT + timedelta(hours=2), CHAIR_A.email, pupils["A"], "Minutes", "download"),
        ],
    )
    with read_session(engine) as session:
        for reader in (CHAIR_A, ADMIN):
            found = views_of_pupil(session, reader, pupils["A"])
            assert [(row.actor, row.page, row.kind) for row in found] == [
                (CHAIR_A.email, "Minutes", "download"),
                (CO_A.email, "Fair Access cases", "names shown"),
            ]
            assert found[0].at == AT + timedelta(hours=2)
        assert views_of_pupil(session, ADMIN, pupils["A"], limit=1) == [
            RecordViewRow(found[0].at, CHAIR_A.email, "Minutes", "download")
        ]
        assert len(views_of_pupil(session, ADMIN, pupils["B"])) == 1


def test_views_of_a_pupil_refused_outside_scope(engine, pupils) -> None:
    with read_session(engine) as session:
        with pytest.raises(NotAllowed, match="Pupil"):
            views_of_pupil(session, CHAIR_A, pupils["B"])  # another partnership's pupil
        with pytest.raises(NotAllowed, match="co-ordinator"):
            views_of_pupil(session, CO_A, pupils["A"])  # a co-ordinator reads no access log
        with pytest.raises(InvalidValue):
            views_of_pupil(session, ADMIN, 999_999)
