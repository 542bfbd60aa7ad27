"""Tier counts term by term (R6) and the moves between tiers in a period, for the flow chart."""

from datetime import date

import pytest
from query_store import ON
from tier_store import ADMIN, TierStore, chair

from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.queries.trends import tier_movements, tier_trend

SEP_1, SEP_3, OCT_1 = date(2025, 9, 1), date(2025, 9, 3), date(2025, 10, 1)
NOV_3, DEC_1, DEC_31, JAN_5 = (
    date(2025, 11, 3),
    date(2025, 12, 1),
    date(2025, 12, 31),
    date(2026, 1, 5),
)


@pytest.fixture
def store(engine):
    with write_session("test", engine) as session:
        add = TierStore(session)
        s = add.county()
        ids = {"n1": s.n1.id, "n2": s.n2.id, "s1": s.s1.id}
        # Tier 1 from the first day of Summer 2024-25, Tier 3 from the first day of Autumn.
        add.history((s.n1, 1, date(2025, 4, 22), SEP_3), (s.n1, 3, SEP_3, None))
        add.history((s.s1, 4, JAN_5, None))  # Tier 4 from the first day of Spring
        add.history((s.n2, 2, date(2025, 4, 23), DEC_1))  # the day after Summer began; left
        # New at Tier 3, up to Tier 4, then a change of school at Tier 4 (no move between tiers).
        add.history((s.n1, 3, OCT_1, NOV_3), (s.n1, 4, NOV_3, DEC_1), (s.n2, 4, DEC_1, None))
        # From SOUTH's Tier 3 to NORTH's Tier 4: both partnerships see the move (R2).
        add.history((s.s1, 3, date(2025, 5, 1), OCT_1), (s.n1, 4, OCT_1, None))
        # Changes the day before the period and after it.
        add.history((s.n1, 2, date(2025, 6, 1), date(2025, 8, 31)), (s.n1, 2, JAN_5, None))
        add.history((s.n1, 1, SEP_1, DEC_31))  # new on the first day, left on the last
    return engine, ids


def trend(store, partnership=None, viewer=ADMIN, **kwargs):
    with read_session(store[0]) as session:
        return tier_trend(session, viewer, partnership, end=kwargs.pop("end", ON), **kwargs)


def moves(store, partnership=None, viewer=ADMIN, **kwargs):
    with read_session(store[0]) as session:
        view = tier_movements(session, viewer, partnership, start=SEP_1, end=DEC_31, **kwargs)
    return {(move.from_tier, move.to_tier): move.moves for move in view.moves}


def test_r6_tiers_counted_on_the_first_day_of_each_term_that_has_begun(store):
    view = trend(store)
    assert [(t.label, t.first_day) for t in view.terms] == [
        ("Summer 2024-25", date(2025, 4, 22)),  # stored as one whole term
        ("Autumn 2025-26", SEP_3),  # Autumn 1 and 2 together
        ("Spring 2025-26", JAN_5),  # Summer 2025-26 begins after ON: not yet
    ]
    assert view.by == "partnership"
    assert {line.name: line.counts for line in view.series} == {
        # The first day of a term counts the changes of that day; a period ending that day
        # does not count (Tier 1 up to 2 September).
        "NORTH": ((1, 0, 0, 0), (1, 1, 1, 0), (0, 1, 1, 2)),
        "SOUTH": ((0, 0, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)),
    }
    assert view.totals == ((1, 0, 0, 0), (1, 1, 2, 0), (0, 1, 1, 3))


def test_the_trend_per_school_of_a_partnership_and_of_one_school(store):
    view = trend(store, "NORTH", by="school")
    assert {line.name: line.counts for line in view.series} == {
        "NORTH School 1": ((1, 0, 0, 0), (1, 0, 1, 0), (0, 1, 1, 1)),
        "NORTH School 2": ((0, 0, 0, 0), (0, 1, 0, 0), (0, 0, 0, 1)),
    }
    one = trend(store, "NORTH", school_id=store[1]["n2"])
    assert [(line.name, line.school_id) for line in one.series] == [
        ("NORTH School 2", store[1]["n2"])
    ]
    assert one.totals == ((0, 0, 0, 0), (0, 1, 0, 0), (0, 0, 0, 1))


def test_the_last_terms_asked_for_that_began_by_the_end_day(store):
    assert [t.label for t in trend(store, terms=2).terms] == ["Autumn 2025-26", "Spring 2025-26"]
    assert trend(store, end=DEC_31).terms[-1].label == "Autumn 2025-26"
    assert trend(store, end=JAN_5).terms[-1].label == "Spring 2025-26"  # its first day
    with pytest.raises(InvalidValue, match="Terms"):
        trend(store, terms=0)
    with pytest.raises(InvalidValue, match="Series"):
        trend(store, by="pupil")


def test_moves_between_tiers_with_new_entries_and_exits_in_the_period(store):
    assert moves(store, "NORTH") == {
        (1, 3): 1,
        (None, 3): 1,
        (3, 4): 2,  # one inside School 1, one from SOUTH's school
        (2, None): 1,
        (None, 1): 1,  # on the period's first day
        (1, None): 1,  # on its last day
    }


def test_r2_a_move_between_partnerships_counts_for_both_and_once_for_the_county(store):
    assert moves(store, "SOUTH", viewer=chair("SOUTH")) == {(3, 4): 1}
    assert moves(store, None) == moves(store, "NORTH")


def test_moves_of_one_school(store):
    # School 2: the exit; the Tier 4 pupil who came from School 1 made no move between tiers.
    assert moves(store, "NORTH", school_id=store[1]["n2"]) == {(2, None): 1}


def test_movements_refuse_a_backwards_period_and_other_partnerships(store):
    with read_session(store[0]) as session:
        with pytest.raises(InvalidValue, match="Period"):
            tier_movements(session, ADMIN, None, start=DEC_31, end=SEP_1)
        with pytest.raises(NotAllowed):
            tier_movements(session, chair("SOUTH"), "NORTH", start=SEP_1, end=DEC_31)
