"""Time at Tier 4 (R5, R6): school days of the stays ended in a period and of those running."""

from datetime import date

import pytest
from query_store import ON
from tier_store import ADMIN, TierStore

from seips_core.db import read_session, write_session
from seips_core.queries.trends import time_at_tier4

START = date(2025, 9, 1)


@pytest.fixture
def store(engine):
    with write_session("test", engine) as session:
        add = TierStore(session)
        s = add.county()
        ids = {"n1": s.n1.id, "n2": s.n2.id}
        # Ended: Tier 4 at School 1, then at School 2 (one stay), last day 4 January: the 35
        # school days of Autumn 2 (the Christmas holiday counts none). NORTH, at School 2.
        add.history(
            (s.n1, 4, date(2025, 11, 3), date(2025, 12, 1)),
            (s.n2, 4, date(2025, 12, 1), date(2026, 1, 5)),
        )
        # Running since 1 October: 18 + 35 + 30 + 6 school days up to ON.
        add.history((s.n1, 4, date(2025, 10, 1), None))
        # Running at ON though it ends after it: 36 school days up to ON.
        add.history((s.n1, 4, date(2026, 1, 5), date(2026, 3, 10)))
        # Ended on the period's first day (last day 1 September): 37 school days of summer.
        add.history((s.n1, 4, date(2025, 6, 2), date(2025, 9, 2)))
        # Began before the first stored term date: only the 71 stored school days are counted.
        add.history((s.n2, 4, date(2025, 1, 6), date(2025, 9, 10)))
        # Not counted: ended the day before the period (last day 31 August).
        add.history((s.n1, 4, date(2025, 5, 1), date(2025, 9, 1)))
        # SOUTH's: a Tier 4 stay at its school between Tier 3 periods at NORTH's (R2), and one
        # running for 36 school days.
        add.history(
            (s.n1, 3, START, date(2025, 10, 1)),
            (s.s1, 4, date(2025, 10, 1), date(2025, 11, 3)),
            (s.n1, 3, date(2025, 11, 3), None),
        )
        add.history((s.s1, 4, date(2026, 1, 5), None))
    return engine, ids


def stays(store, partnership, **kwargs):
    with read_session(store[0]) as session:
        return time_at_tier4(session, ADMIN, partnership, start=START, end=ON, **kwargs)


def test_stays_ended_in_the_period_and_running_at_its_end_in_school_days(store):
    view = stays(store, "NORTH")
    assert view.ended == (35, 37, 71)
    assert view.running == (36, 89)
    assert (view.median_ended, view.median_running, view.median_all) == (37, 62.5, 37)
    assert view.before_known_terms == 1
    assert [(band.ended, band.running) for band in view.bands] == [
        (0, 0),
        (2, 1),
        (1, 1),
        (0, 0),
        (0, 0),
    ]


def test_r2_a_stay_counts_where_the_school_responsible_on_its_last_day_is(store):
    south = stays(store, "SOUTH")
    assert (south.ended, south.running) == ((18,), (36,))
    county = stays(store, None)
    assert len(county.ended) + len(county.running) == 7
    school_1 = stays(store, "NORTH", school_id=store[1]["n1"])
    assert (school_1.ended, school_1.running) == ((37,), (36, 89))


def test_no_stays_gives_no_median(store):
    with read_session(store[0]) as session:
        view = time_at_tier4(session, ADMIN, "SOUTH", start=date(2024, 1, 1), end=date(2024, 2, 1))
    assert (view.ended, view.running, view.median_all) == ((), (), None)
