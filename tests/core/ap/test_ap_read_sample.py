"""Every AP figure on the sample county equals a plain-SQL count of the store, and every flag the
AP views show is one ``county_flags`` raises (so `seips flags` and the pages agree).

The SQL here is written by hand: days a week are counted with ``LIKE`` on the session pattern,
"substantial" is more than 3 days or 18 hours a week or more (R7, R8), and school days are
counted one by one inside the stored term dates.
"""

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from ap_read_store import ADMIN, SAMPLE_DAY, as_date, plain, school_days_from
from sqlalchemy import select

from seips_core.db import read_session
from seips_core.models import Provider
from seips_core.queries.ap_load import days_a_week_histogram, weekday_load, weekly_counts
from seips_core.queries.flags import county_flags, providers_flags
from seips_core.queries.placements import PLACEMENT_RULES, placements_list
from seips_core.queries.providers import AT_OR_OVER, PROVIDER_RULES, provider_register

ON = SAMPLE_DAY
CODES = (None, "NW", "HB")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
#: Days a week of placement ``p`` in plain SQL: a weekday with any session counts.
DAYS = " + ".join(f"(CASE WHEN p.sessions LIKE '%{day}%' THEN 1 ELSE 0 END)" for day in WEEKDAYS)
SUBSTANTIAL = f"({DAYS} > 3 OR p.hours_per_week >= 18)"
CURRENT = "p.start_date <= :on AND (p.end_date IS NULL OR p.end_date >= :on)"
DAY_NAMES = " UNION ALL ".join(f"SELECT '{day}' AS day" for day in WEEKDAYS)
IN_PARTNERSHIP = (
    "(CAST(:code AS VARCHAR(20)) IS NULL OR p.school_id IN (SELECT s.id FROM school s "
    "JOIN partnership t ON t.id = s.partnership_id WHERE t.code = :code))"
)


def current_placements(engine, code: str | None) -> dict[int, tuple]:
    rows = plain(
        engine,
        "SELECT p.id, u.case_ref, s.name, v.name, p.kind, p.sessions, p.hours_per_week, "
        f"p.start_date, {DAYS}, CASE WHEN {SUBSTANTIAL} THEN 1 ELSE 0 END, p.pupil_id "
        "FROM placement p JOIN pupil u ON u.id = p.pupil_id JOIN school s ON s.id = p.school_id "
        f"JOIN provider v ON v.id = p.provider_id WHERE {CURRENT} AND {IN_PARTNERSHIP}",
        on=ON,
        code=code,
    )
    return {row[0]: row[1:] for row in rows}


def ap_days_of_pupils(engine, on: date = ON) -> dict[int, int]:
    """Distinct weekdays each pupil is at AP on ``on``, wherever the placement was commissioned."""
    rows = plain(
        engine,
        f"SELECT p.pupil_id, count(DISTINCT d.day) FROM placement p JOIN ({DAY_NAMES}) d "
        f"ON p.sessions LIKE '%' || d.day || '%' WHERE p.kind = 'ap' AND {CURRENT} "
        "GROUP BY p.pupil_id",
        on=on,
    )
    return dict(rows)


@pytest.mark.parametrize("code", CODES)
def test_placements_list_equals_plain_sql(county, code):
    expected = current_placements(county, code)
    ap_days = ap_days_of_pupils(county)
    with read_session(county) as session:
        rows = placements_list(session, ADMIN, code, on=ON)
    assert len(rows) == len(expected) > 0
    assert {row.placement_id for row in rows} == set(expected)
    for row in rows:
        case_ref, school, provider, kind, sessions, hours, start, days, substantial, pupil = (
            expected[row.placement_id]
        )
        assert (row.case_ref, row.school, row.provider, row.kind) == (
            case_ref,
            school,
            provider,
            kind,
        )
        assert (row.sessions, row.hours_per_week, row.start_date) == (
            sessions,
            hours,
            as_date(start),
        )
        assert row.days_at_provider == days == sum(am or pm for am, pm in row.grid)
        assert row.total_ap_days == ap_days.get(pupil, 0)
        assert row.substantial is bool(substantial)
        assert row.school_days_so_far == school_days_from(county, row.start_date, ON)
    # Some pupils are at two providers on different days: the total is more than either.
    assert any(row.total_ap_days > row.days_at_provider for row in rows)


@pytest.mark.parametrize("code", (*CODES, "CV", "ME", "SW"))
def test_placement_flags_are_county_flags(county, code):
    with read_session(county) as session:
        rows = placements_list(session, ADMIN, code, on=ON)
        flags = county_flags(session, ON, code)
    shown = Counter(str(flag) for row in rows for flag in row.flags if flag.rule != "R8")
    assert shown == Counter(str(flag) for flag in flags if flag.rule in PLACEMENT_RULES)
    at_risk = {flag.subject: flag for flag in flags if flag.rule == "R8"}
    for row in rows:
        assert [f for f in row.flags if f.rule == "R8"] == (
            [at_risk[row.provider]] if row.provider in at_risk else []
        )
        assert all(f.subject == row.case_ref for f in row.flags if f.rule != "R8")
    if code is None:  # the sample plants one of each
        assert {f.rule for row in rows for f in row.flags} == PLACEMENT_RULES | {"R8"}


@pytest.mark.parametrize("code", CODES)
def test_the_registers_provider_flags_are_county_flags_on_providers(county, code):
    """Issue 13: the register reads R8 and R10 from the providers' facts alone; they are the
    very flags the whole store's flags raise on providers (and nothing else is raised)."""
    with read_session(county) as session:
        names = set(session.scalars(select(Provider.name)))
        alone = providers_flags(session, ON, code)
        everything = county_flags(session, ON, code)
    on_providers = [flag for flag in everything if flag.subject in names]
    assert sorted(map(str, alone)) == sorted(map(str, on_providers))
    assert {flag.rule for flag in alone} <= PROVIDER_RULES
    if code is None:  # the sample plants an R8 provider
        assert any(flag.rule == "R8" for flag in alone)


def test_provider_register_equals_plain_sql(county):
    load = {
        name: (pupils, lac)
        for name, pupils, lac in plain(
            county,
            "SELECT v.name, count(DISTINCT p.pupil_id), count(DISTINCT CASE WHEN "
            "u.lac_status <> 'none' OR u.ehcp THEN p.pupil_id END) FROM placement p "
            "JOIN pupil u ON u.id = p.pupil_id JOIN provider v ON v.id = p.provider_id "
            f"WHERE {CURRENT} AND {SUBSTANTIAL} GROUP BY v.name",
            on=ON,
        )
    }
    current = dict(
        plain(
            county,
            "SELECT v.name, count(DISTINCT p.pupil_id) FROM placement p "
            f"JOIN provider v ON v.id = p.provider_id WHERE {CURRENT} GROUP BY v.name",
            on=ON,
        )
    )
    received = dict(
        plain(
            county,
            "SELECT v.name, count(*) FROM safeguardingconfirmation c "
            "JOIN provider v ON v.id = c.provider_id WHERE c.received_date <= :on GROUP BY v.name",
            on=ON,
        )
    )
    pairs = plain(
        county,
        "SELECT DISTINCT v.name, p.school_id FROM placement p "
        f"JOIN provider v ON v.id = p.provider_id WHERE {CURRENT} AND NOT EXISTS ("
        "SELECT 1 FROM safeguardingconfirmation c WHERE c.school_id = p.school_id "
        "AND c.provider_id = p.provider_id AND c.received_date <= :on)",
        on=ON,
    )
    unconfirmed = Counter(name for name, _school in pairs)
    ((providers,),) = plain(county, "SELECT count(*) FROM provider")
    with read_session(county) as session:
        rows = provider_register(session, ADMIN, on=ON)
        flags = defaultdict(list)
        for flag in county_flags(session, ON):
            if flag.rule in ("R8", "R10"):
                flags[flag.subject].append(flag)
    assert len(rows) == providers
    for row in rows:
        assert (row.substantial_pupils, row.substantial_lac_or_ehcp) == load.get(row.name, (0, 0))
        assert row.current_pupils == current.get(row.name, 0)
        assert row.confirmations == received.get(row.name, 0)
        assert row.commissioning_schools_unconfirmed == unconfirmed[row.name]
        assert list(row.flags) == flags[row.name]
        assert (row.status == AT_OR_OVER) is any(f.rule == "R8" for f in row.flags)
    assert [row.status for row in rows][:1] == [AT_OR_OVER]  # the sample's planted R8 provider
    assert sum(unconfirmed.values()) >= 1  # the sample's planted R27 pair


@pytest.mark.parametrize("code", CODES)
def test_weekday_load_and_histogram_equal_plain_sql(county, code):
    per_day = plain(
        county,
        f"SELECT v.name, d.day, count(DISTINCT p.pupil_id) FROM placement p JOIN ({DAY_NAMES}) d "
        "ON p.sessions LIKE '%' || d.day || '%' JOIN provider v ON v.id = p.provider_id "
        f"WHERE p.kind = 'ap' AND {CURRENT} AND {IN_PARTNERSHIP} GROUP BY v.name, d.day",
        on=ON,
        code=code,
    )
    expected: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
    for name, day, pupils in per_day:
        expected[name][WEEKDAYS.index(day)] = pupils
    listed = {
        pupil
        for (pupil,) in plain(
            county,
            f"SELECT DISTINCT p.pupil_id FROM placement p WHERE p.kind = 'ap' AND {CURRENT} "
            f"AND {IN_PARTNERSHIP}",
            on=ON,
            code=code,
        )
    }
    totals = Counter(days for pupil, days in ap_days_of_pupils(county).items() if pupil in listed)
    with read_session(county) as session:
        load = weekday_load(session, ADMIN, code, on=ON)
        histogram = days_a_week_histogram(session, ADMIN, code, on=ON)
    assert {row.provider: list(row.by_weekday) for row in load} == dict(expected)
    assert histogram == {days: totals[days] for days in range(1, 6)}
    assert sum(histogram.values()) == len(listed) > 0


@pytest.mark.parametrize("code", CODES)
def test_weekly_counts_over_the_spring_term_equal_plain_sql(county, code):
    first, last = date(2026, 1, 5), date(2026, 3, 27)
    with read_session(county) as session:
        weeks = weekly_counts(session, ADMIN, code, start=first, end=last)
    assert [week.monday for week in weeks] == [first + timedelta(weeks=n) for n in range(12)]
    for week in weeks:
        friday = week.monday + timedelta(days=4)
        ((pupils, substantial),) = plain(
            county,
            "SELECT count(DISTINCT p.pupil_id), "
            f"count(DISTINCT CASE WHEN {SUBSTANTIAL} THEN p.pupil_id END) FROM placement p "
            "WHERE p.kind = 'ap' AND p.start_date <= :friday "
            f"AND (p.end_date IS NULL OR p.end_date >= :monday) AND {IN_PARTNERSHIP}",
            monday=week.monday,
            friday=friday,
            code=code,
        )
        assert (week.pupils, week.substantial) == (pupils, substantial)
        assert week.school_days == school_days_from(county, week.monday, friday)
    assert [week.school_days for week in weeks].count(0) == 1  # February half term
    # Placements end and start over the term: the count is not one figure repeated.
    assert len({week.pupils for week in weeks}) > 1
