"""Writers of one partnership racing: both land, and each moves the partnership's marker
(issue 13). On PostgreSQL the markers are upserted under the audit trail's lock, so neither
is lost, and the primary key keeps one marker row per partnership however they interleave."""

import sys
from pathlib import Path

from race import race
from sqlalchemy import Engine, func, select

from seips_core.db import read_session, write_session
from seips_core.models import AuditEntry, ChangeMarker, Meeting

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from query_store import ON, QueryStore

WRITERS = 8


def test_writers_of_one_partnership_all_land_and_all_move_its_marker(engine):
    with write_session("test", engine) as session:
        add = QueryStore(session)
        partnership = add.partnership("A")
        partnership_id = partnership.id

    def write(own: Engine, index: int) -> tuple[int, int]:
        """A meeting of A; the writer's audit id and A's marker as its own transaction sees
        them after the write."""
        with write_session(f"writer{index}", own) as session:
            session.add(Meeting(partnership_id=partnership_id, meeting_date=ON))
            session.flush()
            newest = session.scalar(select(func.max(AuditEntry.id)))
            marker = session.get(ChangeMarker, partnership_id).audit_id
        return newest, marker

    outcome = race(engine, WRITERS, write)
    print(f"\n{outcome.summary(duplicates=0)}")
    assert not outcome.errors and not outcome.refusals, outcome.summary(duplicates=0)
    assert len(outcome.saved) == WRITERS
    # Each writer set A's marker to its own newest entry, no two alike.
    assert all(newest == marker for newest, marker in outcome.answers.values())
    assert len({marker for _, marker in outcome.answers.values()}) == WRITERS
    with read_session(engine) as session:
        assert session.scalar(select(func.count(Meeting.id))) == WRITERS
        rows = session.scalars(
            select(ChangeMarker).where(ChangeMarker.scope == partnership_id)
        ).all()
    (row,) = rows
    assert row.audit_id == max(marker for _, marker in outcome.answers.values())
