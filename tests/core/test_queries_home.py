"""The home page's figures equal what was put in the store, per partnership and county-wide."""

import pytest
from query_store import DAY, ON, QueryStore

from seips_core.db import read_session, write_session
from seips_core.queries.home import HomeFigures, home_figures


@pytest.fixture
def store(engine):
    """Two partnerships; every figure has rows that count and rows that must not."""
    with write_session("test", engine) as session:
        add = QueryStore(session)
        north, south = add.partnership("NORTH"), add.partnership("SOUTH")
        n1, n2, s1 = add.school(north), add.school(north, member=False), add.school(south)

        add.referral(n1, received=ON - 30 * DAY)  # open
        add.referral(n2, received=ON - 30 * DAY, closed=ON + DAY)  # closed after: open on ON
        add.referral(n1, received=ON - 30 * DAY, closed=ON)  # closed on the day: not open
        add.referral(n1, received=ON + DAY)  # not yet received
        add.referral(s1, received=ON)  # open, south

        add.tier(n1, 4, from_date=ON - 100 * DAY)  # Tier 4, open period
        add.tier(n2, 4, from_date=ON)  # Tier 4 from today
        add.tier(n1, 4, from_date=ON - 100 * DAY, to_date=ON)  # ended yesterday (R6)
        add.tier(n1, 3, from_date=ON - 100 * DAY)  # Tier 3
        mover = add.pupil(n1)  # Tier 4 in the north, then moved south 10 days ago
        add.move(mover, n1, 4, from_date=ON - 100 * DAY, to_date=ON - 10 * DAY)
        add.move(mover, s1, 4, from_date=ON - 10 * DAY)

        add.fair_access(north, n1, accepted=ON - 5 * DAY)  # waiting
        add.fair_access(north, n1, accepted=ON - 5 * DAY, allocated=n2)  # allocated
        add.fair_access(north, n1, accepted=None)  # not accepted yet
        add.fair_access(south, s1, accepted=ON + DAY)  # accepted after ON
        add.fair_access(south, s1, accepted=ON)  # waiting, south

        add.placement(n1, start=ON - 20 * DAY)  # running
        add.placement(n2, start=ON - 20 * DAY, end=ON)  # ends today: still running
        add.placement(n1, start=ON - 20 * DAY, end=ON - DAY)  # ended
        add.placement(s1, start=ON + DAY)  # not started
    return engine


def figures(engine, partnership: str | None) -> HomeFigures:
    with read_session(engine) as session:
        return home_figures(session, ON, partnership)


def test_home_figures_for_one_partnership_count_only_its_schools(store):
    assert figures(store, "NORTH") == HomeFigures(
        open_referrals=2, pupils_at_tier4=2, fair_access_waiting=1, placements_running=2
    )
    assert figures(store, "SOUTH") == HomeFigures(
        open_referrals=1, pupils_at_tier4=1, fair_access_waiting=1, placements_running=0
    )


def test_home_figures_for_the_county_add_up_the_partnerships(store):
    assert figures(store, None) == HomeFigures(
        open_referrals=3, pupils_at_tier4=3, fair_access_waiting=2, placements_running=2
    )


def test_r6_a_pupil_who_moved_counts_at_the_school_responsible_on_the_date(store):
    earlier = ON - 20 * DAY
    with read_session(store) as session:
        north = home_figures(session, earlier, "NORTH").pupils_at_tier4
        south = home_figures(session, earlier, "SOUTH").pupils_at_tier4
    # Before the move: the moved pupil and the one whose period ended are both in the north.
    assert (north, south) == (3, 0)


def test_an_unknown_partnership_has_nothing(store):
    assert figures(store, "NOWHERE") == HomeFigures(0, 0, 0, 0)
