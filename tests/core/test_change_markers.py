"""Change markers per partnership and one county-wide (issue 13): which write moves which.

Each test writes through an audited ``write_session`` and reads the ``change_marker`` table
after the commit: a write must move the marker of every partnership whose pages can show the
row it changed (correctness: a cached answer never outlives its change), and leave the others
where they were (so their pages stay warm).
"""

import json
from datetime import UTC, date, datetime

import pytest
from query_store import ON, QueryStore
from sqlalchemy import Engine, select

from seips_core.audit import append_entries
from seips_core.change_scopes import COUNTY, LARGE_BATCH
from seips_core.db import read_session, write_session
from seips_core.models import (
    ChangeMarker,
    FairAccessCase,
    Meeting,
    Partnership,
    Placement,
    Provider,
    Pupil,
    School,
    Setting,
    User,
)
from seips_core.queries.change_marker import change_marker, markers


def marker_table(engine: Engine) -> dict[int, int]:
    with read_session(engine) as session:
        return dict(session.execute(select(ChangeMarker.scope, ChangeMarker.audit_id)).all())


def moved(engine: Engine, before: dict[int, int]) -> set[int]:
    """The scopes whose marker is not what it was in ``before``."""
    return {scope for scope, marker in marker_table(engine).items() if before.get(scope) != marker}


@pytest.fixture
def two(engine) -> dict[str, int]:
    """Partnerships A and B, a school of each, a pupil on each roll, a provider."""
    with write_session("test", engine) as session:
        add = QueryStore(session)
        a, b = add.partnership("A"), add.partnership("B")
        school_a, school_b = add.school(a), add.school(b)
        pupil_a, pupil_b = add.pupil(school_a), add.pupil(school_b)
        session.add(Provider(name="Shared AP"))
        session.flush()
        ids = {
            "A": a.id,
            "B": b.id,
            "school_a": school_a.id,
            "school_b": school_b.id,
            "pupil_a": pupil_a.id,
            "pupil_b": pupil_b.id,
        }
    return ids


def test_a_write_in_one_partnership_moves_its_marker_alone(engine, two):
    before = marker_table(engine)
    with write_session("test", engine) as session:
        session.add(Meeting(partnership_id=two["A"], meeting_date=ON))
    assert moved(engine, before) == {two["A"]}
    newest = max(marker_table(engine).values())
    with read_session(engine) as session:
        # The newest marker of all is the newest audit entry, as the single marker was.
        assert change_marker(session) == newest
        held = markers(session)
    assert held.of("A") == (newest, held.county)
    assert held.of("B")[0] < newest
    assert held.of(None) == newest


def test_a_fair_access_case_moves_its_partnership_and_the_pupils_school_partnership(engine, two):
    """A Fair Access case in A of a pupil on B's roll shows in A's pages and in B's."""
    before = marker_table(engine)
    with write_session("test", engine) as session:
        session.add(
            FairAccessCase(
                pupil_id=two["pupil_b"],
                partnership_id=two["A"],
                year_group=9,
                referred_date=ON,
            )
        )
    assert moved(engine, before) == {two["A"], two["B"]}
    # From now on the pupil's history spans A and B: a change of the pupil moves both.
    before = marker_table(engine)
    with write_session("test", engine) as session:
        session.get(Pupil, two["pupil_b"]).first_name = "Renamed"
    assert moved(engine, before) == {two["A"], two["B"]}


def test_a_pupil_moving_school_moves_both_schools_partnerships(engine, two):
    before = marker_table(engine)
    with write_session("test", engine) as session:
        session.get(Pupil, two["pupil_a"]).school_id = two["school_b"]
    assert moved(engine, before) == {two["A"], two["B"]}


def test_county_wide_facts_move_the_county_marker(engine, two):
    """R8 counts a provider's substantial pupils across every partnership: placements, the
    LAC/EHCP status of pupils, providers and settings are county-wide facts."""
    with read_session(engine) as session:
        provider_id = session.scalar(select(Provider.id))
    writes = [
        lambda s: s.add(
            Placement(
                pupil_id=two["pupil_a"],
                provider_id=provider_id,
                school_id=two["school_a"],
                sessions="MonAM",
                hours_per_week=3,
                start_date=ON,
            )
        ),
        lambda s: setattr(s.get(Pupil, two["pupil_a"]), "ehcp", True),
        lambda s: setattr(s.get(Provider, provider_id), "dsl_training_date", date(2020, 1, 1)),
        lambda s: s.add(Setting(key="r8_threshold", value="3")),
        lambda s: setattr(s.get(School, two["school_b"]), "is_member", False),
        lambda s: setattr(s.get(Partnership, two["B"]), "name", "Renamed"),
    ]
    for write in writes:
        before = marker_table(engine)
        with write_session("test", engine) as session:
            write(session)
        assert COUNTY in moved(engine, before)


def test_an_import_or_an_unknown_table_moves_the_county_marker(engine, two):
    def entry(table: str) -> dict:
        return {
            "at": datetime.now(UTC),
            "actor": "test",
            "action": "insert",
            "table_name": table,
            "row_id": None,
            "before": None,
            "after": json.dumps({"partnership_id": two["A"]}),
        }

    for entries in ([entry("*")], [entry("a_table_added_later")], [entry("meeting")] * 300):
        assert len(entries) <= 1 or len(entries) > LARGE_BATCH
        before = marker_table(engine)
        with write_session("test", engine) as session:
            append_entries(session, entries)
        assert moved(engine, before) == {COUNTY}


def test_an_entry_appended_without_its_values_moves_the_county_marker(engine, two):
    before = marker_table(engine)
    with write_session("test", engine) as session:  # which meeting's partnership: not said
        append_entries(
            session, [{"at": datetime.now(UTC), "actor": "test", "action": "insert",
                       "table_name": "meeting", "row_id": 99}]
        )  # fmt: skip
    assert moved(engine, before) == {COUNTY}


def test_accounts_move_no_marker(engine, two):
    before = marker_table(engine)
    with write_session("test", engine) as session:
        session.add(User(email="someone@example.org", display_name="Someone", role="county_admin"))
    assert moved(engine, before) == set()
