"""The Fair Access case list on the sample county, checked against plain SQL (R13, R20–R22).

Every figure is compared with a hand-written count from the store, or, for R21's school days,
with weekdays counted one by one inside the stored term dates.
"""

from datetime import date, timedelta

import pytest
from fa_sample import TODAY, as_date, cases_referred, plain, school_days_after

from seips_core.auth.roles import Actor, Role
from seips_core.db import read_session
from seips_core.errors import NotAllowed
from seips_core.queries.fair_access_cases import CaseRow, fair_access_cases
from seips_core.queries.flags import county_flags

ADMIN = Actor("admin@test.example", "County Admin", Role.COUNTY_ADMIN)
NW_COORDINATOR = Actor("co@test.example", "NW Co-ordinator", Role.COORDINATOR, frozenset({"NW"}))
NW_VIEWER = Actor("viewer@test.example", "NW Viewer", Role.VIEWER, frozenset({"NW"}))
DAY = timedelta(days=1)
#: The columns the plain-SQL checks below read of NW's cases.
NW_CASES = (
    "SELECT f.id, {columns} FROM fairaccesscase f "
    "JOIN partnership p ON p.id = f.partnership_id JOIN pupil u ON u.id = f.pupil_id "
    "LEFT JOIN school s ON s.id = f.allocated_school_id WHERE p.code = 'NW' AND {where}"
)


def listed(engine, viewer: Actor, code: str | None, on: date = TODAY, **options) -> list[CaseRow]:
    with read_session(engine) as session:
        return list(fair_access_cases(session, viewer, code, on=on, **options))


def by_id(rows: list[CaseRow]) -> dict[int, CaseRow]:
    return {row.case_id: row for row in rows}


def nw_cases(engine, columns: str, where: str, **params) -> list[tuple]:
    return plain(engine, NW_CASES.format(columns=columns, where=where), **params)


@pytest.mark.parametrize(
    ("viewer", "code", "on", "year_group"),
    [
        (NW_COORDINATOR, "NW", TODAY, None),
        (ADMIN, None, TODAY, None),
        (ADMIN, "HB", TODAY, None),
        (ADMIN, None, date(2025, 1, 15), None),  # cases referred since are not listed yet
        (NW_COORDINATOR, "NW", TODAY, 10),
    ],
)
def test_the_list_holds_every_case_referred_by_the_day(county, viewer, code, on, year_group):
    rows = listed(county, viewer, code, on, year_group=year_group)
    assert len(rows) == cases_referred(county, code, on, year_group) > 0
    assert len({row.case_id for row in rows}) == len(rows)
    if code is not None:
        assert {row.partnership for row in rows} == {code}
    if year_group is not None:
        assert {row.year_group for row in rows} == {year_group}


def test_r21_school_days_of_the_longest_waiting_case_come_from_the_term_dates(county):
    ((case_id, accepted),) = nw_cases(
        county,
        "f.accepted_date",
        "f.accepted_date <= :on AND f.decision_date IS NULL AND f.on_roll_date IS NULL "
        "ORDER BY f.accepted_date LIMIT 1",
        on=TODAY,
    )
    accepted = as_date(accepted)
    row = by_id(listed(county, NW_COORDINATOR, "NW"))[case_id]
    clock = row.allocation_clock
    expected = school_days_after(county, accepted, TODAY)
    assert expected > 20  # the sample's planted R21 case, past the limit
    assert (clock.school_days, clock.status, clock.running) == (expected, "past", True)
    # "allocate by": the day the 20th school day after acceptance falls on.
    assert school_days_after(county, accepted, clock.allocate_by) == 20
    assert school_days_after(county, accepted, clock.allocate_by - DAY) == 19
    assert "R21" in {flag.rule for flag in row.flags}
    assert row.stage.name == "Accepted"
    assert row.days_out_of_education == (TODAY - row.stage.steps[0].day).days


def test_open_cases_come_first_with_clocks_past_their_limit_at_the_top(county):
    rows = listed(county, ADMIN, None)
    ((still_open,),) = plain(
        county,
        "SELECT count(*) FROM fairaccesscase WHERE referred_date <= :on "
        "AND (on_roll_date IS NULL OR on_roll_date > :on)",
        on=TODAY,
    )
    assert [row.is_open for row in rows] == [True] * still_open + [False] * (len(rows) - still_open)
    ranks = {"past": 0, "near": 1, "ok": 2}

    def most_urgent(row: CaseRow) -> int:
        running = [
            ranks[clock.status]
            for clock in (row.allocation_clock, row.on_roll_clock)
            if clock is not None and clock.running
        ]
        return min(running, default=3)

    urgency = [most_urgent(row) for row in rows[:still_open]]
    assert urgency == sorted(urgency)
    assert urgency[0] == 0  # the sample's planted R13 and R21 cases are past their limits
    closed = [row.stage.day for row in rows[still_open:]]
    assert closed == sorted(closed, reverse=True)


def test_r13_a_child_not_on_roll_a_week_after_the_decision_is_followed_up(county):
    late = nw_cases(
        county,
        "f.decision_date, s.name",
        "f.decision_date < :week_ago AND (f.on_roll_date IS NULL OR f.on_roll_date > :on)",
        week_ago=TODAY - 7 * DAY,
        on=TODAY,
    )
    assert late, "the sample plants a case not on roll a week after the decision"
    rows = by_id(listed(county, NW_COORDINATOR, "NW"))
    for case_id, decided, school in late:
        row = rows[case_id]
        clock = row.on_roll_clock
        assert (clock.days, clock.status) == ((TODAY - as_date(decided)).days, "past")
        assert clock.action == "tell Admissions and follow up"
        assert row.allocated_school == school
        assert "R13" in {flag.rule for flag in row.flags}


def test_r22_refusals_and_delays_are_counted_per_case(county):
    logged = dict(
        (
            (case_id, (refusals, delays))
            for case_id, refusals, delays in plain(
                county,
                "SELECT case_id, sum(CASE WHEN kind = 'refusal' THEN 1 ELSE 0 END), "
                "sum(CASE WHEN kind = 'delay' THEN 1 ELSE 0 END) FROM fairaccessrefusal "
                "WHERE logged_date <= :on GROUP BY case_id",
                on=TODAY,
            )
        )
    )
    rows = listed(county, ADMIN, None)
    assert sum(sum(counts) for counts in logged.values()) > 0
    assert {
        row.case_id: (row.refusals, row.delays) for row in rows if row.refusals or row.delays
    } == logged


def test_r20_categories_and_the_eligibility_check(county):
    counted = dict(
        plain(
            county,
            "SELECT case_id, count(*) FROM fairaccesscategory GROUP BY case_id",
        )
    )
    rows = listed(county, NW_COORDINATOR, "NW")
    assert {row.case_id: len(row.categories) for row in rows} == {
        row.case_id: counted.get(row.case_id, 0) for row in rows
    }
    without = [row for row in rows if row.case_id not in counted]
    assert without, "the sample plants an NW case accepted with no category"
    for row in without:
        assert row.eligibility == (False, "R20: cannot pass the check: no category recorded")
        assert "R20" in {flag.rule for flag in row.flags}
    assert all(row.eligibility.ok for row in rows if row.case_id in counted and row.unplaced)


def test_the_flags_are_those_county_flags_raises_on_the_case(county):
    rows = listed(county, NW_COORDINATOR, "NW")
    with read_session(county) as session:
        flags = county_flags(session, TODAY, "NW")
    for row in rows:
        assert row.flags == tuple(flag for flag in flags if flag.subject == row.case_ref)
    assert sum(len(row.flags) for row in rows) >= 4  # R13, R20 and the two R21 plants


def test_names_only_for_those_allowed_to_see_them(county):
    names = dict(
        nw_cases(
            county,
            "u.first_name || ' ' || u.last_name",
            "f.referred_date <= :on",
            on=TODAY,
        )
    )
    named = listed(county, NW_COORDINATOR, "NW", full_names=True)
    assert {row.case_id: row.label for row in named} == names
    for viewer, full_names in ((NW_VIEWER, True), (NW_COORDINATOR, False)):
        for row in listed(county, viewer, "NW", full_names=full_names):
            first, last = names[row.case_id].split(" ", 1)
            assert row.label == f"{first[0].upper()}. {last[0].upper()}."


def test_other_partnerships_and_the_county_are_refused(engine):
    with read_session(engine) as session:
        for code in ("HB", None):
            with pytest.raises(NotAllowed, match="you may not see"):
                fair_access_cases(session, NW_COORDINATOR, code, on=TODAY)
        assert fair_access_cases(session, ADMIN, None, on=TODAY) == ()
