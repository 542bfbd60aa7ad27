"""R13b/R23: each school's fair share of allocations in proportion to its roll (pure arithmetic)."""

import pytest

from seips_core.rules.fair_share import FairShare, fair_shares, fair_shares_by_year_group


def test_r13b_shares_follow_the_roll_and_sum_to_the_allocations():
    # 12 allocations over rolls 600/300/300: shares 6, 3, 3.
    rows = fair_shares({1: 600, 2: 300, 3: 300}, {1: 2, 2: 5, 3: 5})
    assert [(r.school_id, r.fair_share, r.difference) for r in rows] == [
        (1, 6.0, -4.0),
        (2, 3.0, 2.0),
        (3, 3.0, 2.0),
    ]
    assert sum(r.fair_share for r in rows) == pytest.approx(12)
    assert [r.standing for r in rows] == ["under", "over", "over"]
    assert [r.ratio for r in rows] == pytest.approx([1 / 3, 5 / 3, 5 / 3])


def test_r13b_within_one_whole_allocation_of_the_share_is_fair():
    # 4 allocations over rolls 1000/500/500/500: shares 1.6, 0.8, 0.8, 0.8.
    rows = fair_shares({1: 1000, 2: 500, 3: 500, 4: 500}, {1: 2, 2: 1, 3: 1})
    assert [r.fair_share for r in rows] == pytest.approx([1.6, 0.8, 0.8, 0.8])
    # 2 against 1.6 and 1 or 0 against 0.8: the whole numbers either side of the share.
    assert [r.standing for r in rows] == ["fair", "fair", "fair", "fair"]
    rows = fair_shares({1: 1000, 2: 500, 3: 500, 4: 500}, {1: 1, 2: 1, 3: 1, 4: 1})
    assert [r.standing for r in rows] == ["fair", "fair", "fair", "fair"]
    rows = fair_shares({1: 1000, 2: 500, 3: 500, 4: 500}, {2: 4})
    assert [r.standing for r in rows] == ["under", "over", "fair", "fair"]


def test_r13b_exactly_one_allocation_away_from_a_whole_share_is_over_or_under():
    rows = fair_shares({1: 500, 2: 500}, {1: 3, 2: 1})  # shares 2 and 2
    assert [(r.difference, r.standing) for r in rows] == [(1.0, "over"), (-1.0, "under")]


def test_r13b_a_school_with_roll_zero_has_no_share_so_any_allocation_is_over():
    rows = fair_shares({1: 0, 2: 1000}, {1: 1, 2: 3})
    assert rows[0] == FairShare(1, 0, 1, 0.0, 1.0, None, "over")
    assert rows[1].fair_share == 4.0
    assert rows[1].standing == "under"
    (empty,) = fair_shares({1: 0}, {})
    assert empty == FairShare(1, 0, 0, 0.0, 0.0, None, "fair")


def test_r13b_every_roll_zero_gives_every_share_zero():
    rows = fair_shares({1: 0, 2: 0}, {2: 2})
    assert [(r.fair_share, r.standing) for r in rows] == [(0.0, "fair"), (0.0, "over")]


def test_r13b_a_period_with_no_allocations_leaves_nobody_over_or_under():
    rows = fair_shares({1: 1200, 2: 400}, {})
    assert [(r.allocations, r.fair_share, r.difference, r.ratio, r.standing) for r in rows] == [
        (0, 0.0, 0.0, None, "fair"),
        (0, 0.0, 0.0, None, "fair"),
    ]


def test_no_schools_give_no_rows():
    assert fair_shares({}, {}) == ()


def test_r13b_an_allocation_to_a_school_outside_the_sharing_schools_is_refused():
    with pytest.raises(ValueError, match="R13b"):
        fair_shares({1: 100}, {1: 1, 7: 2})


def test_r23_each_year_group_shares_its_own_allocations_by_roll():
    rolls = {1: 900, 2: 300}
    shares = fair_shares_by_year_group(rolls, [(1, 9), (1, 9), (2, 9), (2, 9), (2, 7)])
    assert list(shares) == [7, 9]
    assert [(r.allocations, r.fair_share) for r in shares[9]] == [(2, 3.0), (2, 1.0)]
    assert [(r.allocations, r.fair_share) for r in shares[7]] == [(0, 0.75), (1, 0.25)]
    assert [r.standing for r in shares[9]] == ["under", "over"]
