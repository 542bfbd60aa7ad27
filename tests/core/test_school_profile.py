"""The school profile (issue 15) on the sample county, against counts made straight from the store
in plain SQL on each engine: the header, each term's figures, the lists behind them, the charges;
who may see what (R1: another partnership's school is refused; a viewer gets no pupils, no
charges); and a bounded number of statements whatever the school holds (no query per row)."""

from bisect import bisect_right
from collections import Counter
from datetime import date

import pytest
from query_store import module_sample
from sqlalchemy import event, text

from seips_core.auth.roles import Actor, Role
from seips_core.db import read_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.queries.charges import charges
from seips_core.queries.school_profile import PROFILE_TERMS, school_profile

TODAY = date(2026, 3, 4)
CHAIR = Actor("chair@shire.example", "Test Chair", Role.CHAIR, frozenset({"NW"}))
VIEWER = Actor("viewer@shire.example", "Test Viewer", Role.VIEWER, frozenset({"NW"}))
#: The NW school with the most going on in the period: the one the tests look at.
BUSIEST = """
    SELECT s.id FROM school s JOIN partnership p ON p.id = s.partnership_id WHERE p.code = 'NW'
    ORDER BY (SELECT COUNT(*) FROM exclusion x WHERE x.school_id = s.id)
           + (SELECT COUNT(*) FROM placement a WHERE a.school_id = s.id)
           + (SELECT COUNT(*) FROM fairaccesscase f WHERE f.allocated_school_id = s.id) DESC,
             s.id
    LIMIT 1"""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sample(request, tmp_path_factory):
    """The sample county on each engine, built once for the module (the tests only read)."""
    return module_sample(request, tmp_path_factory, today=TODAY)


def rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def day(value) -> date | None:
    """A date column's value: SQLite hands back the stored text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def first_days(engine) -> list[date]:
    """The first day of each of the last terms begun by ``TODAY``, counted apart from the query:
    a term is the half terms of one season of one academic year."""
    found = sorted(
        day(first)
        for (first,) in rows(
            engine,
            "SELECT MIN(start_date) FROM termdate GROUP BY academic_year_start, SUBSTR(name, 1, 6)",
        )
    )
    return [first for first in found if first <= TODAY][-PROFILE_TERMS:]


def by_term(days: list[date], starts: list[date]) -> Counter:
    """How many of ``days`` fall in each term: the last one begun by then."""
    return Counter(bisect_right(starts, each) - 1 for each in days)


@pytest.fixture(scope="module")
def busiest(sample):
    [(school_id,)] = rows(sample, BUSIEST)
    with read_session(sample) as session:
        return school_id, school_profile(session, CHAIR, school_id, on=TODAY)


def test_the_header_is_the_school_as_stored(sample, busiest):
    school_id, profile = busiest
    [(name, urn, roll, member, code)] = rows(
        sample,
        "SELECT s.name, s.urn, s.number_on_roll, s.is_member, p.code FROM school s"
        " JOIN partnership p ON p.id = s.partnership_id WHERE s.id = :id",
        id=school_id,
    )
    header = profile.header
    assert (header.name, header.urn, header.number_on_roll, header.partnership) == (
        name, urn, roll, code,
    )  # fmt: skip
    assert header.is_member == bool(member)


def test_r6_tiers_each_term_and_on_the_day_are_a_direct_count_at_the_school(sample, busiest):
    school_id, profile = busiest
    starts = first_days(sample)
    assert [t.term.first_day for t in profile.terms] == starts
    tier_sql = (
        "SELECT tier, COUNT(DISTINCT pupil_id) FROM tierchange WHERE school_id = :id"
        " AND from_date <= :on AND (to_date IS NULL OR to_date > :on) GROUP BY tier"
    )
    for figures in [*profile.terms, None]:
        on = TODAY if figures is None else figures.term.first_day
        counted = dict(rows(sample, tier_sql, id=school_id, on=on))
        shown = profile.tiers_on if figures is None else figures.pupils_by_tier
        assert shown == tuple(counted.get(tier, 0) for tier in (1, 2, 3, 4)), on
    [(open_referrals,)] = rows(
        sample,
        "SELECT COUNT(*) FROM referral WHERE school_id = :id AND received_date <= :on"
        " AND (closed_date IS NULL OR closed_date > :on)",
        id=school_id,
        on=TODAY,
    )
    assert profile.open_referrals == open_referrals
    assert sum(profile.tiers_on) > 0


def test_each_terms_referrals_allocations_refusals_and_exclusions_are_a_direct_count(
    sample, busiest
):
    school_id, profile = busiest
    starts = first_days(sample)
    period = {"id": school_id, "first": starts[0], "on": TODAY}

    def counted(sql: str) -> Counter:
        return by_term([day(found) for (found,) in rows(sample, sql, **period)], starts)

    def between(column: str) -> str:
        return f"{column} BETWEEN :first AND :on"

    expected = {
        "panel_referrals": counted(
            "SELECT received_date FROM referral WHERE school_id = :id AND route = 'panel' AND "
            + between("received_date")
        ),
        "other_referrals": counted(
            "SELECT received_date FROM referral WHERE school_id = :id AND route <> 'panel' AND "
            + between("received_date")
        ),
        "allocations": counted(
            "SELECT decision_date FROM fairaccesscase WHERE allocated_school_id = :id AND "
            + between("decision_date")
        ),
        "refusals": counted(
            "SELECT logged_date FROM fairaccessrefusal WHERE school_id = :id AND kind = 'refusal'"
            " AND " + between("logged_date")
        ),
        "delays": counted(
            "SELECT logged_date FROM fairaccessrefusal WHERE school_id = :id AND kind = 'delay'"
            " AND " + between("logged_date")
        ),
    }
    for index, figures in enumerate(profile.terms):
        for name, counts in expected.items():
            assert getattr(figures, name) == counts[index], (name, figures.term.label)
    exclusions = rows(
        sample,
        "SELECT start_date, kind, school_days FROM exclusion WHERE school_id = :id AND "
        + between("start_date"),
        **period,
    )
    for index, figures in enumerate(profile.terms):
        mine = [e for e in exclusions if bisect_right(starts, day(e[0])) - 1 == index]
        suspensions = [e for e in mine if e[1] == "suspension"]
        assert figures.exclusions.suspensions == len(suspensions), figures.term.label
        assert figures.exclusions.suspension_days == sum(e[2] or 0 for e in suspensions)
        assert figures.exclusions.permanent == sum(e[1] == "permanent" for e in mine)
    assert exclusions and sum(t.allocations for t in profile.terms) > 0


def test_the_lists_are_the_schools_cases_and_placements_of_the_period_by_initials(sample, busiest):
    school_id, profile = busiest
    period = {"id": school_id, "first": first_days(sample)[0], "on": TODAY}
    allocated = rows(
        sample,
        "SELECT u.case_ref FROM fairaccesscase f JOIN pupil u ON u.id = f.pupil_id"
        " WHERE f.allocated_school_id = :id AND f.decision_date BETWEEN :first AND :on",
        **period,
    )
    assert sorted(a.case_ref for a in profile.allocations) == sorted(r for (r,) in allocated)
    refused = rows(
        sample,
        "SELECT u.case_ref, r.kind FROM fairaccessrefusal r"
        " JOIN fairaccesscase f ON f.id = r.case_id JOIN pupil u ON u.id = f.pupil_id"
        " WHERE r.school_id = :id AND r.logged_date BETWEEN :first AND :on",
        **period,
    )
    assert sorted((r.case_ref, r.kind) for r in profile.refusals) == sorted(refused)
    placed = rows(
        sample,
        "SELECT u.case_ref, v.name, a.start_date, a.end_date FROM placement a"
        " JOIN pupil u ON u.id = a.pupil_id JOIN provider v ON v.id = a.provider_id"
        " WHERE a.school_id = :id AND a.start_date <= :on"
        " AND (a.end_date IS NULL OR a.end_date >= :first)",
        **period,
    )
    assert sorted((p.case_ref, p.provider, p.start_date) for p in profile.placements) == sorted(
        (ref, provider, day(start)) for ref, provider, start, _end in placed
    )
    running = [p for p in placed if p[3] is None or day(p[3]) >= TODAY]
    assert profile.placements_running == len(running) > 0
    names = {
        f"{first} {last}" for first, last in rows(sample, "SELECT first_name, last_name FROM pupil")
    }
    shown = [each.initials for each in (*profile.allocations, *profile.placements)]
    assert shown and all(len(label) == 5 and label not in names for label in shown)


def test_r14_the_charges_are_the_schools_row_of_its_partnerships_charges(sample, busiest):
    school_id, profile = busiest
    with read_session(sample) as session:
        whole = charges(session, CHAIR, "NW", financial_year_start=2025, as_of=TODAY)
    (expected,) = [school for school in whole.schools if school.school_id == school_id] or [None]
    assert profile.charges == expected
    assert profile.charges_year == "2025/26"


def test_r1_a_school_of_another_partnership_is_refused_and_an_unknown_one_too(sample):
    [(other,)] = rows(
        sample,
        "SELECT MIN(s.id) FROM school s JOIN partnership p ON p.id = s.partnership_id"
        " WHERE p.code <> 'NW'",
    )
    with read_session(sample) as session:
        with pytest.raises(NotAllowed, match="may not see"):
            school_profile(session, CHAIR, other, on=TODAY)
        with pytest.raises(InvalidValue, match="no school"):
            school_profile(session, CHAIR, 10**9, on=TODAY)


def test_a_viewer_gets_the_counts_but_no_pupil_and_no_charges(sample, busiest):
    school_id, profile = busiest
    with read_session(sample) as session:
        seen = school_profile(session, VIEWER, school_id, on=TODAY)
    assert not seen.lists_pupils and profile.lists_pupils
    assert (seen.allocations, seen.refusals, seen.placements) == ((), (), ())
    assert (seen.charges, seen.charges_year) == (None, None)
    assert seen.terms == profile.terms
    assert seen.placements_running == profile.placements_running


def test_the_statements_run_do_not_grow_with_the_schools_rows(sample, busiest):
    school_id, _profile = busiest
    [(quiet,)] = rows(sample, BUSIEST.replace("DESC", "ASC"))
    counts = []
    for each in (school_id, quiet):
        statements = []

        def count(*_args, found=statements) -> None:
            found.append(1)

        event.listen(sample, "before_cursor_execute", count)
        try:
            with read_session(sample) as session:
                school_profile(session, CHAIR, each, on=TODAY)
        finally:
            event.remove(sample, "before_cursor_execute", count)
        counts.append(len(statements))
    # A school with placements reads R8's providers and the term dates besides: a few
    # statements more, never one per row.
    assert abs(counts[0] - counts[1]) <= 3 and max(counts) < 40, counts
