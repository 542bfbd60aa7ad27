"""The fairness view (R13b, R22, R23): each member school's allocations in a period against its
fair share, by year group, with refusals, delays, LAC/EHCP pupils and whose turn it is."""

from datetime import date

import pytest
from fairness_store import ADMIN, ON, YEAR_START, FairnessStore, actor
from sqlalchemy import text

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.queries.fairness import fairness
from seips_core.sample_county import generate_sample


@pytest.fixture
def store(engine):
    with write_session("test", engine) as session:
        add = FairnessStore(session)
        nw, hb = add.partnership("NW"), add.partnership("HB")
        ashby = add.school(nw, "Ashby School", roll=1000)
        beacon = add.school(nw, "Beacon Academy", roll=500)
        castle = add.school(nw, "Castle College", roll=500)
        add.school(nw, "Dale School", roll=0)  # R13b: roll 0, never allocated
        outside = add.school(nw, "Zed School (not a member)", roll=800, member=False)
        harbury = add.school(hb, "Harbury High", roll=700)

        # In the period: Ashby 1 (Year 9), Beacon 3 (Year 9) + 1 (Year 7).
        fa_child = add.pupil(ashby, year_group=9)
        add.case(nw, allocated=ashby, decided=date(2025, 10, 1), on_roll=date(2025, 10, 5),
                 pupil=fa_child)  # fmt: skip
        add.allocations(nw, beacon, date(2025, 10, 10), 3)
        year_7 = add.case(nw, year_group=7, allocated=beacon, decided=date(2025, 10, 12))
        # Not counted: before or after the period, a non-member, another partnership, undecided.
        add.case(nw, allocated=castle, decided=date(2025, 3, 3))
        add.case(nw, allocated=ashby, decided=ON.replace(day=ON.day + 1))
        add.case(nw, allocated=outside, decided=date(2025, 10, 1))
        add.allocations(hb, harbury, date(2025, 10, 1), 2)
        year_9 = add.case(nw)

        # R22: against Beacon, a refusal (Year 9 case) and a delay (Year 7 case) in the period,
        # a refusal before it; one against another partnership's school.
        add.refusal(year_9, beacon, date(2025, 10, 15))
        add.refusal(year_7, beacon, date(2025, 10, 20), kind="delay")
        add.refusal(year_9, beacon, date(2025, 8, 20))
        add.refusal(year_9, harbury, date(2025, 10, 15))

        # R23: Year 9 pupils on Ashby's roll: the Fair Access child, a LAC child, an EHCP
        # child; not counted: Year 8, off roll, a Fair Access child allocated elsewhere.
        add.pupil(ashby, year_group=9, lac_status="own_la")
        add.pupil(ashby, year_group=9, ehcp=True, lac_status="other_la")
        add.pupil(ashby, year_group=8, lac_status="own_la", ehcp=True)
        add.pupil(ashby, year_group=9, lac_status="own_la", off_roll=date(2025, 10, 1))
        moved = add.pupil(ashby, year_group=9)
        add.case(nw, allocated=beacon, decided=date(2024, 6, 1), on_roll=date(2024, 6, 8),
                 pupil=moved)  # fmt: skip
    return engine


def view(engine, **kwargs):
    with read_session(engine) as session:
        return fairness(session, kwargs.pop("viewer", ADMIN), "NW", **kwargs)


def by_school(result):
    return {row.school: row for row in result.schools}


def test_r13b_allocations_in_the_period_against_each_member_schools_fair_share(store):
    result = view(store, start=YEAR_START, end=ON)
    rows = by_school(result)
    assert list(rows) == ["Ashby School", "Beacon Academy", "Castle College", "Dale School"]
    # 5 allocations over a member roll of 2000.
    assert [(r.allocations, r.fair_share, r.standing) for r in rows.values()] == [
        (1, 2.5, "under"),
        (4, 1.25, "over"),
        (0, 1.25, "under"),
        (0, 0.0, "fair"),
    ]
    assert rows["Beacon Academy"].difference == pytest.approx(2.75)
    assert result.totals.allocations == 5
    assert result.totals.number_on_roll == 2000
    assert result.year_group is None
    assert rows["Ashby School"].lac_in_year_group is None
    assert result.totals.fair_access_in_year_group is None


def test_r22_refusals_and_delays_logged_in_the_period_are_shown_against_the_school(store):
    rows = by_school(view(store, start=YEAR_START, end=ON))
    assert (rows["Beacon Academy"].refusals, rows["Beacon Academy"].delays) == (1, 1)
    assert (rows["Ashby School"].refusals, rows["Ashby School"].delays) == (0, 0)
    rows = by_school(view(store, start=date(2025, 8, 1), end=ON))
    assert rows["Beacon Academy"].refusals == 2


def test_r23_one_year_group_shares_its_own_allocations_with_pupils_already_in_it(store):
    result = view(store, start=YEAR_START, end=ON, year_group=9)
    rows = by_school(result)
    # 4 Year 9 allocations over a roll of 2000: shares 2, 1, 1, 0.
    assert [(r.allocations, r.fair_share, r.standing) for r in rows.values()] == [
        (1, 2.0, "under"),
        (3, 1.0, "over"),
        (0, 1.0, "under"),
        (0, 0.0, "fair"),
    ]
    ashby = rows["Ashby School"]
    assert (
        ashby.fair_access_in_year_group,
        ashby.lac_in_year_group,
        ashby.ehcp_in_year_group,
    ) == (1, 2, 1)
    assert (rows["Beacon Academy"].refusals, rows["Beacon Academy"].delays) == (1, 0)
    assert (result.totals.fair_access_in_year_group, result.totals.lac_in_year_group) == (1, 2)
    assert rows["Castle College"].lac_in_year_group == 0


def test_r23_whose_turn_last_allocation_in_any_year_group_and_days_since(store):
    result = view(store, start=YEAR_START, end=ON, year_group=7)
    rows = by_school(result)
    assert rows["Ashby School"].last_allocation == date(2025, 10, 1)
    assert rows["Ashby School"].days_since_last == (ON - date(2025, 10, 1)).days
    assert rows["Beacon Academy"].last_allocation == date(2025, 10, 12)
    assert rows["Castle College"].days_since_last == (ON - date(2025, 3, 3)).days
    assert rows["Dale School"].last_allocation is None
    assert rows["Dale School"].days_since_last is None
    # Never allocated one goes before the oldest allocation.
    assert result.longest_without == ("Dale School",)


def test_longest_without_is_the_oldest_last_allocation_when_every_school_has_had_one(engine):
    with write_session("test", engine) as session:
        add = FairnessStore(session)
        nw = add.partnership("NW")
        add.case(nw, allocated=add.school(nw, "Old", roll=10), decided=date(2024, 1, 1))
        add.case(nw, allocated=add.school(nw, "New", roll=10), decided=date(2025, 1, 1))
    assert view(engine, start=YEAR_START, end=ON).longest_without == ("Old",)


def test_a_period_with_no_allocations_leaves_every_school_at_a_share_of_zero(store):
    result = view(store, start=date(2025, 11, 1), end=date(2025, 11, 10))
    assert {(r.allocations, r.fair_share, r.standing) for r in result.schools} == {(0, 0.0, "fair")}


def test_r1_other_partnerships_are_refused_and_bad_filters_name_the_field(store):
    with pytest.raises(NotAllowed, match="HB"):
        view(store, viewer=actor(Role.CHAIR, "HB"), start=YEAR_START, end=ON)
    assert view(store, viewer=actor(Role.VIEWER, "NW"), start=YEAR_START, end=ON).schools
    with pytest.raises(InvalidValue, match="Period"):
        view(store, start=ON, end=YEAR_START)
    with pytest.raises(InvalidValue, match="Year group"):
        view(store, start=YEAR_START, end=ON, year_group=6)
    with read_session(store) as session, pytest.raises(InvalidValue, match="Partnership"):
        fairness(session, ADMIN, "XX", start=YEAR_START, end=ON)


def test_the_sample_county_figures_match_a_direct_count(engine):
    today = date(2026, 11, 25)
    generate_sample(engine, today=today)
    start, end = date(2025, 9, 1), today
    with engine.connect() as connection:
        expected = dict(
            connection.execute(
                text(
                    "SELECT s.name, COUNT(c.id) FROM school s"
                    " JOIN partnership p ON p.id = s.partnership_id"
                    " LEFT JOIN fairaccesscase c ON c.allocated_school_id = s.id"
                    "  AND c.decision_date BETWEEN :start AND :end"
                    " WHERE p.code = 'NW' AND s.is_member GROUP BY s.name"
                ),
                {"start": start, "end": end},
            ).all()
        )
        refused = connection.execute(
            text(
                "SELECT COUNT(*) FROM fairaccessrefusal r JOIN school s ON s.id = r.school_id"
                " JOIN partnership p ON p.id = s.partnership_id"
                " WHERE p.code = 'NW' AND s.is_member AND r.logged_date BETWEEN :start AND :end"
            ),
            {"start": start, "end": end},
        ).scalar_one()
    result = view(engine, start=start, end=end)
    assert {row.school: row.allocations for row in result.schools} == expected
    assert sum(expected.values()) > 0
    assert result.totals.refusals + result.totals.delays == refused
    assert sum(row.fair_share for row in result.schools) == pytest.approx(result.totals.allocations)
