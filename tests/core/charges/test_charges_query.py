"""The charges view (R14, R15, R3, R4, R2): each school's rows and totals for a financial year,
partnership and county totals, scope and names, on SQLite and PostgreSQL."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from charges_store import (
    ADMIN,
    APC_A_DAY,
    FULL_COST_A_DAY,
    PP_A_DAY,
    RATES_2025,
    ChargesStore,
    actor,
)
from sqlalchemy import text

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import NotAllowed
from seips_core.queries.charges import charges
from seips_core.sample_county import generate_sample

AS_OF = date(2026, 1, 31)
PERMANENT = "Permanent exclusion"


@pytest.fixture
def store(engine):
    """Two partnerships; NW has members A and B and non-member N. Days per pupil are in the
    comments; each day costs £15 APC, £2 pupil premium, £60 full cost (see charges_store)."""
    with write_session("test", engine) as session:
        add = ChargesStore(session)
        nw, hb = add.partnership("NW"), add.partnership("HB")
        a, b = add.school(nw), add.school(nw)
        n = add.school(nw, member=False)
        h = add.school(hb)
        add.rates(2025, RATES_2025)  # none for 2024/25 or 2026/27

        # p1: Tier 4 from 1 Mar 2025 to 30 Apr: 30 days in 2025/26 (March is 2024/25's).
        add.move(p1 := add.child(a), a, 4, date(2025, 3, 1), date(2025, 5, 1))
        # p2 (pupil premium): Tier 3, then Tier 4 from 1 Jun, running: 245 days to 31 Jan.
        p2 = add.child(a, pupil_premium=True)
        add.move(p2, a, 3, date(2025, 1, 1), date(2025, 6, 1))
        add.move(p2, a, 4, date(2025, 6, 1))
        # p3: excluded by B on 1 Sep, Tier 4 at B from 15 Sep, on roll at A (Tier 3) on
        # 3 Nov: B pays 1 Sep to 2 Nov, 63 days, once; A pays nothing.
        p3 = add.child(b)
        add.move(p3, b, 3, date(2025, 5, 1), date(2025, 9, 15))
        add.excluded(p3, b, date(2025, 9, 1))
        add.move(p3, b, 4, date(2025, 9, 15), date(2025, 11, 3))
        add.move(p3, a, 3, date(2025, 11, 3))
        # p4: excluded by the non-member N on 1 Oct, no tier history: 123 days to 31 Jan.
        add.excluded(add.child(n), n, date(2025, 10, 1))
        # p5: a City pupil at Tier 4 (R4): listed, not charged.
        add.move(add.child(a, home_la="City of Exampleton"), a, 4, date(2025, 4, 1))
        # p6: HB's Tier 4 pupil: 306 days to 31 Jan; only in the county's view.
        add.move(add.child(h), h, 4, date(2025, 4, 1))
        # p7, p8: Tier 4 wholly before the year, and starting after the day counted to.
        add.move(add.child(a), a, 4, date(2024, 4, 1), date(2025, 3, 1))
        add.move(add.child(b), b, 4, date(2026, 2, 10))
        # p9: excluded by A on 1 May, off roll 1 Jun: 31 days.
        add.excluded(p9 := add.child(a, off_roll=date(2025, 6, 1)), a, date(2025, 5, 1))
        # p10: excluded by B on 10 Apr, back on A's roll through Fair Access on 20 Apr: 10 days.
        add.excluded(p10 := add.child(b), b, date(2025, 4, 10))
        add.back_on_roll(p10, nw, a, date(2025, 4, 20))
        # p11: two Tier 4 spells at A with a gap: two rows of 10 days.
        p11 = add.child(a)
        add.move(p11, a, 4, date(2025, 4, 1), date(2025, 4, 11))
        add.move(p11, a, 4, date(2025, 5, 1), date(2025, 5, 11))
        refs = {
            name: pupil.case_ref
            for name, pupil in {"p1": p1, "p2": p2, "p3": p3, "p9": p9, "p10": p10}.items()
        }
        refs["p11"] = p11.case_ref
        ids = {"A": a.id, "B": b.id, "N": n.id, "H": h.id}
    return engine, refs, ids


def view(engine, partnership="NW", viewer=ADMIN, **options):
    options = {"financial_year_start": 2025, "as_of": AS_OF} | options
    with read_session(engine) as session:
        return charges(session, viewer, partnership, **options)


def test_r14_each_school_pays_apc_and_pupil_premium_pro_rata_for_its_days(store):
    engine, refs, ids = store
    result = view(engine)
    assert (result.label, result.first, result.last) == (
        "2025/26",
        date(2025, 4, 1),
        date(2026, 3, 31),
    )
    assert result.counted_to == AS_OF
    schools = {school.school_id: school for school in result.schools}
    assert set(schools) == {ids["A"], ids["B"], ids["N"]}  # HB's school is not NW's

    a_rows = [
        (row.case_ref, row.reason, row.first, row.days, row.amount, row.pupil_premium)
        for row in schools[ids["A"]].rows
        if row.charged
    ]
    pp_245 = Decimal(245 * PP_A_DAY)
    assert sorted(a_rows) == sorted(
        [
            (refs["p1"], "Tier 4", date(2025, 4, 1), 30, Decimal(30 * APC_A_DAY), None),
            (refs["p2"], "Tier 4", date(2025, 6, 1), 245, Decimal(245 * APC_A_DAY), pp_245),
            (refs["p9"], PERMANENT, date(2025, 5, 1), 31, Decimal(31 * APC_A_DAY), None),
            (refs["p11"], "Tier 4", date(2025, 4, 1), 10, Decimal(10 * APC_A_DAY), None),
            (refs["p11"], "Tier 4", date(2025, 5, 1), 10, Decimal(10 * APC_A_DAY), None),
        ]
    )
    p2 = next(r for r in schools[ids["A"]].rows if r.case_ref == refs["p2"])
    assert p2.working == (
        "APC £5,475.00 × 245/365 days = £3,675.00\nPupil premium £730.00 × 245/365 days = £490.00"
    )
    assert p2.charge.runs_on and p2.period == "1 Jun 2025 – 31 Jan 2026 (245 days), continues"
    assert schools[ids["A"]].totals.total == Decimal(
        (30 + 245 + 31 + 20) * APC_A_DAY + 245 * PP_A_DAY
    )
    assert schools[ids["A"]].totals.pupils == 4  # p11's two spells are one pupil


def test_r2_an_excluding_school_pays_once_until_the_pupil_is_back_on_a_roll(store):
    engine, refs, ids = store
    b = next(school for school in view(engine).schools if school.school_id == ids["B"])
    rows = {row.case_ref: row for row in b.rows}
    assert set(rows) == {refs["p3"], refs["p10"]}
    # p3: excluded 1 Sep, Tier 4 from 15 Sep, on A's roll 3 Nov: one row, 63 days.
    assert rows[refs["p3"]].reason == "Permanent exclusion and Tier 4"
    assert (rows[refs["p3"]].first, rows[refs["p3"]].last) == (date(2025, 9, 1), date(2025, 11, 2))
    assert rows[refs["p3"]].amount == Decimal(63 * APC_A_DAY)
    # p10: back on a roll through Fair Access (R13) after 10 days.
    assert (rows[refs["p10"]].days, rows[refs["p10"]].amount) == (10, Decimal(10 * APC_A_DAY))
    assert b.totals.total == Decimal(73 * APC_A_DAY)


def test_r3_a_non_member_school_pays_full_cost_recovery(store):
    engine, _refs, ids = store
    (n,) = [school for school in view(engine).schools if not school.is_member]
    assert n.school_id == ids["N"]
    (row,) = n.rows
    assert (row.reason, row.days) == ("Permanent exclusion", 123)
    assert row.amount == Decimal(123 * APC_A_DAY)
    assert row.charge.full_cost_balance == Decimal(123 * (FULL_COST_A_DAY - APC_A_DAY))
    assert n.totals.total == Decimal(123 * FULL_COST_A_DAY)
    assert "Full cost recovery (R3, R14), estimate" in row.working


def test_r4_another_home_las_pupil_is_listed_but_not_charged(store):
    engine, _refs, ids = store
    a = next(school for school in view(engine).schools if school.school_id == ids["A"])
    (city,) = [row for row in a.rows if not row.charged]
    assert city.amount is None and city.days == 306
    assert city.working.startswith("R4: home LA is City of Exampleton")
    assert a.totals.not_charged == 1


def test_partnership_and_county_totals_add_up(store):
    engine, _refs, _ids = store
    nw_days = 30 + 245 + 31 + 20 + 63 + 10 + 123
    nw = view(engine)
    assert nw.total.days == nw_days
    assert nw.total.apc == Decimal(nw_days * APC_A_DAY)
    assert nw.total.pupil_premium == Decimal(245 * PP_A_DAY)
    assert nw.total.full_cost_balance == Decimal(123 * (FULL_COST_A_DAY - APC_A_DAY))
    nw_total = Decimal(nw_days * APC_A_DAY + 245 * PP_A_DAY + 123 * (FULL_COST_A_DAY - APC_A_DAY))
    assert nw.total.total == nw_total
    assert (nw.total.pupils, nw.total.incomplete, nw.total.not_charged) == (7, 0, 1)
    assert [p.code for p in nw.partnerships] == ["NW"]
    assert nw.missing == ()  # 2024/25's missing rate does not matter for 2025/26

    county = view(engine, partnership=None)
    totals = {p.code: p.totals.total for p in county.partnerships}
    assert totals == {"HB": Decimal(306 * APC_A_DAY), "NW": nw_total}
    assert county.total.total == nw_total + Decimal(306 * APC_A_DAY)
    assert sum(school.totals.total for school in county.schools) == county.total.total


def test_after_the_year_the_whole_year_is_counted(store):
    engine, refs, _ids = store
    result = view(engine, as_of=date(2026, 6, 1))
    assert result.counted_to == date(2026, 3, 31)
    p2 = next(r for s in result.schools for r in s.rows if r.case_ref == refs["p2"])
    assert p2.days == 304  # 1 Jun 2025 to 31 Mar 2026
    assert p2.charge.runs_on  # into 2026/27


def test_r14_a_missing_rate_is_named_not_charged_as_zero(store):
    engine, refs, _ids = store
    result = view(engine, financial_year_start=2026, as_of=date(2026, 4, 30))
    assert result.missing == (
        "no APC rate held for 2026/27: add it in reference data",
        "no pupil premium rate held for 2026/27: add it in reference data",
        "no specialist placement rate held for 2026/27: add it in reference data "
        "(the full-cost estimate for a non-member school, R3)",
    )
    charged = [row for school in result.schools for row in school.rows if row.charged]
    assert {row.case_ref for row in charged} >= {refs["p2"]}
    assert all(row.amount is None and not row.charge.complete for row in charged)
    assert result.total.incomplete == len(charged) == 3  # p2, p4 and p8 run on into 2026/27
    assert result.rates["average_pupil_cost"] is None
    # Even with no pupil to charge, the year's missing APC is said.
    empty = view(engine, financial_year_start=2027, as_of=date(2026, 4, 30))
    assert empty.schools == () and empty.missing == (
        "no APC rate held for 2027/28: add it in reference data",
    )


def test_pupils_by_initials_unless_names_are_asked_for_and_allowed(store):
    engine, refs, _ids = store

    def label(**options):
        rows = [r for s in view(engine, **options).schools for r in s.rows]
        return next(r.label for r in rows if r.case_ref == refs["p1"])

    assert label() == "J. D."
    coordinator = actor(Role.COORDINATOR, "NW")
    assert label(viewer=coordinator, full_names=True).startswith("Jane Doe")
    assert label(viewer=actor(Role.VIEWER, "NW"), full_names=True) == "J. D."


def test_scope_a_chair_sees_their_partnership_only(store):
    engine, _refs, _ids = store
    chair = actor(Role.CHAIR, "NW")
    assert view(engine, viewer=chair).total.pupils == 7
    with pytest.raises(NotAllowed, match="whole county"):
        view(engine, partnership=None, viewer=chair)
    with pytest.raises(NotAllowed, match="partnership HB"):
        view(engine, partnership="HB", viewer=chair)


# --- The sample county against a count from plain SQL ----------------------------------------


def _day(value) -> date | None:
    """A date column as plain SQL returns it (SQLite gives text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _days(first: date, end: date | None, lo: date, hi: date) -> set[date]:
    """The days from ``first`` up to before ``end`` (None: open), within ``lo``..``hi``."""
    day, stop = max(first, lo), min(end or hi, hi)
    found = set()
    while day < stop:
        found.add(day)
        day += timedelta(days=1)
    return found


def _runs(days: set[date]) -> list[set[date]]:
    """The unbroken runs of days in ``days``."""
    runs: list[set[date]] = []
    previous = None
    for day in sorted(days):
        if previous is None or day != previous + timedelta(days=1):
            runs.append(set())
        runs[-1].add(day)
        previous = day
    return runs


def _pro_rata(rate: Decimal, days: int, year_days: int) -> Decimal:
    return (rate * days / year_days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expected_from_plain_sql(engine, year: int, as_of: date) -> dict[int, dict[str, Decimal]]:
    """Per school id: days, APC, pupil premium, full-cost balance and top-up, from raw rows.

    Each pupil's days at a school are a set (Tier 4 days, plus days from a permanent exclusion
    until the pupil is on another school's tier history, back on a roll by Fair Access, or off
    roll); each unbroken run of days is one row, priced on its own.
    """
    lo, hi = date(year, 4, 1), min(date(year + 1, 4, 1), as_of + timedelta(days=1))
    year_days = (date(year + 1, 4, 1) - date(year, 4, 1)).days
    with engine.connect() as connection:

        def rows(sql: str, **params) -> list[tuple]:
            return [tuple(row) for row in connection.execute(text(sql), params)]

        rates = {
            kind: Decimal(str(amount))
            for kind, amount in rows(
                "SELECT kind, amount FROM fundingrate WHERE financial_year_start = :y", y=year
            )
        }
        tiers = [
            (pupil_id, school_id, tier, _day(first), _day(end))
            for pupil_id, school_id, tier, first, end in rows(
                "SELECT pupil_id, school_id, tier, from_date, to_date FROM tierchange"
            )
        ]
        exclusions = [
            (pupil_id, school_id, _day(start))
            for pupil_id, school_id, start in rows(
                "SELECT pupil_id, school_id, start_date FROM exclusion WHERE kind = 'permanent'"
            )
        ]
        on_roll = defaultdict(list)
        for pupil_id, day in rows(
            "SELECT pupil_id, on_roll_date FROM fairaccesscase WHERE on_roll_date IS NOT NULL"
        ):
            on_roll[pupil_id].append(_day(day))
        pupils = {
            pupil_id: (bool(pp), home_la, _day(off_roll), top_up, top_up_year)
            for pupil_id, pp, home_la, off_roll, top_up, top_up_year in rows(
                "SELECT id, pupil_premium, home_la, off_roll_date, top_up_amount,"
                " top_up_year_start FROM pupil"
            )
        }
        schools = {
            school_id: (la, bool(member))
            for school_id, la, member in rows("SELECT id, local_authority, is_member FROM school")
        }

    days: dict[tuple[int, int], set[date]] = defaultdict(set)
    for pupil_id, school_id, tier, first, end in tiers:
        if tier == 4:
            days[pupil_id, school_id] |= _days(first, end, lo, hi)
    for pupil_id, school_id, start in exclusions:
        ends = [f for p, s, _t, f, _e in tiers if p == pupil_id and s != school_id and f > start]
        ends += [d for d in on_roll[pupil_id] if d > start]
        off_roll = pupils[pupil_id][2]
        ends += [off_roll] if off_roll and off_roll > start else []
        days[pupil_id, school_id] |= _days(start, min(ends, default=None), lo, hi)

    expected: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (pupil_id, school_id), pupil_days in days.items():
        pupil_premium, home_la, _off, top_up, top_up_year = pupils[pupil_id]
        school_la, member = schools[school_id]
        if not pupil_days or home_la != school_la:  # R4: the home LA takes the cost
            continue
        for run_days in _runs(pupil_days):
            length = len(run_days)
            apc = _pro_rata(rates["average_pupil_cost"], length, year_days)
            pp = _pro_rata(rates["pupil_premium"], length, year_days) if pupil_premium else 0
            figures = expected[school_id]
            figures["days"] += length
            figures["apc"] += apc
            figures["pupil_premium"] += pp
            if not member:
                full = _pro_rata(rates["specialist_placement"], length, year_days)
                figures["full_cost_balance"] += max(full - apc - pp, 0)
            if top_up is not None:  # R15: only the days inside its school year
                school_year = _days(date(top_up_year, 9, 1), date(top_up_year + 1, 9, 1), lo, hi)
                inside = len(run_days & school_year)
                ay_days = (date(top_up_year + 1, 9, 1) - date(top_up_year, 9, 1)).days
                figures["top_up"] += (
                    _pro_rata(Decimal(str(top_up)), inside, ay_days) if inside else 0
                )
    return expected


@pytest.mark.parametrize(
    ("year", "as_of"), [(2025, date(2026, 11, 25)), (2026, date(2026, 11, 25))]
)
def test_the_sample_county_charges_match_a_count_from_plain_sql(engine, year, as_of):
    generate_sample(engine, today=as_of)
    expected = expected_from_plain_sql(engine, year, as_of)
    result = view(engine, partnership=None, financial_year_start=year, as_of=as_of)
    keys = ("days", "apc", "pupil_premium", "full_cost_balance", "top_up")
    found = {
        school.school_id: {key: getattr(school.totals, key) for key in keys}
        for school in result.schools
        if school.totals.days
    }
    assert found == {
        school_id: {key: figures.get(key, 0) for key in keys}
        for school_id, figures in expected.items()
    }
    assert len(found) > 10 and result.total.apc > 0
    county = sum(sum(figures[key] for key in keys[1:]) for figures in expected.values())
    assert result.total.total == county
    assert sum(p.totals.total for p in result.partnerships) == county
    assert result.missing == () and result.total.incomplete == 0
