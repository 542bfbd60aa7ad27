"""The chair's schools table: per school roll, membership, pupils at each tier, open referrals."""

import pytest
from query_store import DAY, ON, QueryStore

from seips_core.db import read_session, write_session
from seips_core.queries.schools import SchoolFigures, school_figures


@pytest.fixture
def store(engine):
    with write_session("test", engine) as session:
        add = QueryStore(session)
        north, south = add.partnership("NORTH"), add.partnership("SOUTH")
        member = add.school(north, roll=1200)  # "NORTH School 1"
        add.school(north, member=False, roll=450)  # "NORTH School 2": nothing open
        other = add.school(south, roll=800)

        for tier in (1, 2, 2, 3, 4):
            add.tier(member, tier, from_date=ON - 50 * DAY)
        add.tier(member, 4, from_date=ON - 50 * DAY, to_date=ON - DAY)  # over before ON
        add.tier(other, 4, from_date=ON - 50 * DAY)
        pupil = add.pupil(member)  # R6: Tier 2 until last week, Tier 3 since
        add.move(pupil, member, 2, from_date=ON - 50 * DAY, to_date=ON - 7 * DAY)
        add.move(pupil, member, 3, from_date=ON - 7 * DAY)

        add.referral(member, received=ON - 9 * DAY)
        add.referral(member, received=ON - 9 * DAY, closed=ON - DAY)  # closed
        add.referral(other, received=ON - 9 * DAY)
    return engine


def test_each_school_of_the_partnership_has_its_own_counts(store):
    with read_session(store) as session:
        rows = school_figures(session, ON, "NORTH")
    assert rows == (
        SchoolFigures("NORTH School 1", "NORTH", True, 1200, (1, 2, 2, 1), 1),
        SchoolFigures("NORTH School 2", "NORTH", False, 450, (0, 0, 0, 0), 0),
    )


def test_the_county_view_lists_every_school_by_partnership(store):
    with read_session(store) as session:
        rows = school_figures(session, ON, None)
    assert [(row.partnership, row.pupils_by_tier[3]) for row in rows] == [
        ("NORTH", 1),
        ("NORTH", 0),
        ("SOUTH", 1),
    ]


def test_r6_tiers_are_counted_as_they_were_on_an_earlier_date(store):
    with read_session(store) as session:
        first = school_figures(session, ON - 10 * DAY, "NORTH")[0]
    assert first.pupils_by_tier == (1, 3, 1, 2)
