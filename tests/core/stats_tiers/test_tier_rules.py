"""Pure pieces of the tier statistics: per 1,000 on roll, terms from term dates, Tier 4 bands."""

from datetime import date

import pytest

from seips_core.queries.trends import DURATION_BANDS, duration_bands, group_terms
from seips_core.rules.per_thousand import per_thousand, per_thousand_each


def test_per_thousand_puts_small_and_large_schools_on_one_scale():
    assert per_thousand(3, 1200) == pytest.approx(2.5)
    assert per_thousand(3, 300) == pytest.approx(10.0)
    assert per_thousand(0, 900) == 0.0
    assert per_thousand_each((1, 2, 0, 4), 500) == (2.0, 4.0, 0.0, 8.0)


def test_per_thousand_of_a_roll_of_0_is_none_not_0_nor_an_error():
    # A closing school still counts pupils whose periods say so (R6); 0 would read as "none".
    assert per_thousand(2, 0) is None
    assert per_thousand(0, 0) is None
    assert per_thousand_each((1, 0), 0) == (None, None)


def test_per_thousand_refuses_negative_figures():
    with pytest.raises(ValueError, match="count"):
        per_thousand(-1, 100)
    with pytest.raises(ValueError, match="number on roll"):
        per_thousand(1, -100)


def test_half_terms_are_grouped_into_terms_by_name():
    terms = group_terms(
        [
            (2025, "Spring 2", date(2026, 2, 23), date(2026, 3, 27)),
            (2025, "Autumn 1", date(2025, 9, 3), date(2025, 10, 24)),
            (2025, "autumn 2", date(2025, 11, 3), date(2025, 12, 19)),
            (2025, "Spring 1", date(2026, 1, 5), date(2026, 2, 13)),
            (2025, "Summer", date(2026, 4, 13), date(2026, 7, 22)),
        ]
    )
    assert [(t.label, t.first_day, t.last_day) for t in terms] == [
        ("Autumn 2025-26", date(2025, 9, 3), date(2025, 12, 19)),
        ("Spring 2025-26", date(2026, 1, 5), date(2026, 3, 27)),
        ("Summer 2025-26", date(2026, 4, 13), date(2026, 7, 22)),
    ]


def test_rows_without_a_season_in_their_name_go_by_their_start_month():
    terms = group_terms(
        [
            (2025, "Term 1", date(2025, 9, 3), date(2025, 12, 19)),
            (2025, "Term 2", date(2026, 1, 5), date(2026, 3, 27)),
            (2025, "Term 3", date(2026, 4, 13), date(2026, 7, 22)),
        ]
    )
    assert [t.season for t in terms] == ["Autumn", "Spring", "Summer"]


def test_tier4_stays_fall_into_bands_with_both_bounds_included():
    bands = duration_bands(ended=(0, 30, 31, 95, 190, 191), running=(60, 400))
    assert [(b.label, b.ended, b.running) for b in bands] == [
        ("0–30 school days", 2, 0),
        ("31–60 school days", 1, 1),
        ("61–95 school days", 1, 0),
        ("96–190 school days", 1, 0),
        ("over 190 school days", 1, 1),
    ]
    assert len(bands) == len(DURATION_BANDS) + 1
