"""The tier statistics on the sample county against direct counts from the store (SQLite and
PostgreSQL): tier counts, the term-by-term trend, moves, Tier 4 stays and exclusions."""

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from tier_store import ADMIN

from seips_core.config import CITY_LA
from seips_core.db import read_session
from seips_core.queries.tiers import tier_counts
from seips_core.queries.trends import (
    NEAR_LIMIT_FROM,
    exclusions_by_term,
    tier_movements,
    tier_trend,
    time_at_tier4,
)
from seips_core.sample_county import generate_sample

TODAY = date(2026, 3, 4)
PERIOD_START = date(2025, 9, 1)


@pytest.fixture
def sample(engine):
    generate_sample(engine, today=TODAY)
    return engine


def rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def day(value: date | str | None) -> date | None:
    """A date column's value: SQLite hands back the stored text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def nw_schools(engine) -> set[int]:
    return {
        school_id
        for (school_id,) in rows(
            engine,
            "SELECT s.id FROM school s JOIN partnership p ON p.id = s.partnership_id"
            " WHERE p.code = 'NW'",
        )
    }


def test_tier_counts_per_school_match_a_direct_count(sample):
    on = TODAY - timedelta(days=30)
    counted = rows(
        sample,
        "SELECT s.name, t.tier, COUNT(DISTINCT t.pupil_id),"
        " COUNT(DISTINCT CASE WHEN u.home_la = :city AND t.tier > 1 THEN t.pupil_id END)"
        " FROM tierchange t JOIN school s ON s.id = t.school_id"
        " JOIN pupil u ON u.id = t.pupil_id"
        " WHERE t.from_date <= :on AND (t.to_date IS NULL OR t.to_date > :on)"
        " GROUP BY s.name, t.tier",
        on=on,
        city=CITY_LA,
    )
    expected = {(name, tier): (pupils, city) for name, tier, pupils, city in counted}
    rolls = dict(rows(sample, "SELECT name, number_on_roll FROM school"))
    with read_session(sample) as session:
        view = tier_counts(session, ADMIN, None, on=on)
    assert len(view.schools) == len(rolls)
    got = {}
    for row in view.schools:
        assert row.number_on_roll == rolls[row.school]
        for tier, pupils, city, rate in zip(
            (1, 2, 3, 4),
            row.pupils_by_tier,
            row.city_by_tier,
            row.per_thousand_by_tier,
            strict=True,
        ):
            assert rate == pytest.approx(pupils * 1000 / row.number_on_roll)
            if pupils:
                got[(row.school, tier)] = (pupils, city)
    assert got == expected
    assert view.totals.pupils_by_tier[3] > 0 and sum(view.totals.city_by_tier) > 0
    assert view.totals.number_on_roll == sum(rolls.values())


def test_the_trend_counts_each_terms_first_day_as_a_direct_count(sample):
    first_days = sorted(
        day(first)
        for (first,) in rows(
            sample,
            "SELECT MIN(start_date) FROM termdate GROUP BY academic_year_start, SUBSTR(name, 1, 6)",
        )
    )
    counted = [first for first in first_days if first <= TODAY][-9:]
    with read_session(sample) as session:
        view = tier_trend(session, ADMIN, "NW", end=TODAY)
    assert [term.first_day for term in view.terms] == counted
    nw = nw_schools(sample)
    for term, totals in zip(view.terms, view.totals, strict=True):
        at = Counter(
            tier
            for school_id, tier, _pupil in rows(
                sample,
                "SELECT DISTINCT school_id, tier, pupil_id FROM tierchange"
                " WHERE from_date <= :on AND (to_date IS NULL OR to_date > :on)",
                on=term.first_day,
            )
            if school_id in nw
        )
        assert totals == tuple(at[tier] for tier in (1, 2, 3, 4)), term.label
    assert sum(view.totals[-1]) > 0


def _periods(engine, tier: int | None = None) -> list[tuple]:
    found = rows(
        engine,
        "SELECT pupil_id, school_id, tier, from_date, to_date FROM tierchange"
        + ("" if tier is None else f" WHERE tier = {tier}"),
    )
    return [(p, s, t, day(f), day(to)) for p, s, t, f, to in found]


def test_moves_between_tiers_match_the_tier_history(sample):
    periods = _periods(sample)
    starts = {(p, f): (s, t) for p, s, t, f, _to in periods}
    ends = {(p, to) for p, _s, _t, _f, to in periods if to is not None}
    nw = nw_schools(sample)
    expected: dict[str | None, Counter] = {None: Counter(), "NW": Counter()}
    for pupil, school, tier, from_date, to_date in periods:
        if to_date is not None and PERIOD_START <= to_date <= TODAY:
            after = starts.get((pupil, to_date))
            if after is None or after[1] != tier:
                move = (tier, after[1] if after else None)
                expected[None][move] += 1
                if school in nw or (after and after[0] in nw):
                    expected["NW"][move] += 1
        if PERIOD_START <= from_date <= TODAY and (pupil, from_date) not in ends:
            expected[None][(None, tier)] += 1
            if school in nw:
                expected["NW"][(None, tier)] += 1
    with read_session(sample) as session:
        for partnership, wanted in expected.items():
            view = tier_movements(session, ADMIN, partnership, start=PERIOD_START, end=TODAY)
            assert {(m.from_tier, m.to_tier): m.moves for m in view.moves} == dict(wanted)
    assert expected["NW"][(3, 4)] > 0


def test_tier4_stays_running_are_the_tier4_pupils_of_the_day_and_ended_ones_match(sample):
    nw = nw_schools(sample)
    tier4 = _periods(sample, 4)
    begins = {(pupil, from_date) for pupil, _s, _t, from_date, _to in tier4}
    last_day = TODAY + timedelta(days=1)
    ended = [
        school
        for pupil, school, _t, _f, to_date in tier4
        if to_date is not None
        and PERIOD_START < to_date <= last_day
        and (pupil, to_date) not in begins
    ]
    with read_session(sample) as session:
        for partnership, schools in ((None, None), ("NW", nw)):
            view = time_at_tier4(session, ADMIN, partnership, start=PERIOD_START, end=TODAY)
            on_the_day = tier_counts(session, ADMIN, partnership, on=TODAY).totals
            assert len(view.running) == on_the_day.pupils_by_tier[3]
            assert len(view.ended) == sum(1 for s in ended if schools is None or s in schools)
            assert sum(b.ended + b.running for b in view.bands) == len(view.ended + view.running)
            assert view.median_all is not None


def test_exclusions_per_school_and_term_and_the_r25_list_match_a_direct_count(sample):
    year = 2025
    with read_session(sample) as session:
        view = exclusions_by_term(session, ADMIN, "NW", academic_year=year)
    bounds = [term.first_day for term in view.terms[1:]]
    counted = rows(
        sample,
        "SELECT x.school_id, x.kind, x.start_date, COALESCE(x.school_days, 0) FROM exclusion x"
        " JOIN school s ON s.id = x.school_id JOIN partnership p ON p.id = s.partnership_id"
        " WHERE p.code = 'NW' AND x.start_date BETWEEN :first AND :last",
        first=date(year, 9, 1),
        last=date(year + 1, 8, 31),
    )
    expected: Counter = Counter()
    for school_id, kind, start, days in counted:
        term = sum(1 for bound in bounds if day(start) >= bound)
        expected[(school_id, term, kind)] += 1
        expected[(school_id, term, "days")] += days
    for row in view.schools:
        for term, figures in enumerate(row.by_term):
            assert figures.suspensions == expected[(row.school_id, term, "suspension")]
            assert figures.suspension_days == expected[(row.school_id, term, "days")]
            assert figures.permanent == expected[(row.school_id, term, "permanent")]
    assert view.year_total.suspensions == sum(1 for row in counted if row[1] == "suspension")
    assert view.year_total.permanent == sum(1 for row in counted if row[1] == "permanent") > 0

    near = rows(
        sample,
        "SELECT pu.case_ref, SUM(x.school_days) FROM exclusion x"
        " JOIN pupil pu ON pu.id = x.pupil_id JOIN school s ON s.id = pu.school_id"
        " JOIN partnership p ON p.id = s.partnership_id"
        " WHERE p.code = 'NW' AND x.kind = 'suspension' AND x.start_date BETWEEN :first AND :last"
        " GROUP BY pu.case_ref HAVING SUM(x.school_days) >= :near",
        first=date(year, 9, 1),
        last=date(year + 1, 8, 31),
        near=NEAR_LIMIT_FROM,
    )
    assert {(p.case_ref, p.suspension_days) for p in view.near_limit} == set(near)
    assert near and all(len(p.initials) == 5 for p in view.near_limit)  # "A. B."
