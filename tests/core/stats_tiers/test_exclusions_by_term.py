"""Suspensions and permanent exclusions per school and term, and pupils near R25's 45 days."""

from datetime import date

import pytest
from tier_store import ADMIN, TierStore, chair

from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.queries.trends import TermExclusions, exclusions_by_term


@pytest.fixture
def store(engine):
    with write_session("test", engine) as session:
        add = TierStore(session)
        s = add.county()
        ids = {"n2": s.n2.id}
        one = add.pupil(s.n1)
        add.exclusion(one, s.n1, date(2025, 9, 1), 3)  # before Autumn's first day: Autumn
        add.exclusion(one, s.n1, date(2025, 12, 22), 2)  # Christmas holiday: Autumn
        add.exclusion(one, s.n1, date(2026, 1, 5))  # permanent, Spring's first day
        add.exclusion(one, s.n1, date(2026, 4, 13), 5)  # Summer
        add.exclusion(one, s.n1, date(2025, 8, 31), 9)  # last academic year
        # R25 across schools: 20 days at NORTH's school and 20 at SOUTH's, on roll at NORTH's.
        near = add.pupil(s.n1)
        add.exclusion(near, s.n1, date(2025, 10, 6), 20)
        add.exclusion(near, s.s1, date(2025, 11, 10), 20)
        add.exclusion(add.pupil(s.n1), s.n1, date(2026, 2, 2), 34)  # not listed: under 35
        add.exclusion(add.pupil(s.n2), s.n2, date(2025, 9, 10), 35)  # listed, not yet flagged
        add.exclusion(add.pupil(s.s1), s.s1, date(2026, 1, 12), 46)  # past the limit
        add.exclusion(add.pupil(s.s1), s.s1, date(2025, 10, 1), 4)
        add.exclusion(add.pupil(s.n1), s.n1, date(2024, 12, 1), 40)  # last year: not listed
    return engine, ids


def view(store, partnership, viewer=ADMIN, **kwargs):
    with read_session(store[0]) as session:
        return exclusions_by_term(session, viewer, partnership, academic_year=2025, **kwargs)


def figures(*terms):
    return tuple(TermExclusions(*term) for term in terms)


def test_r25_suspensions_and_permanent_exclusions_per_school_and_term(store):
    result = view(store, "NORTH")
    assert result.label == "2025-26"
    assert [term.label for term in result.terms] == [
        "Autumn 2025-26",
        "Spring 2025-26",
        "Summer 2025-26",
    ]
    assert {row.school: row.by_term for row in result.schools} == {
        "NORTH School 1": figures((3, 25, 0), (1, 34, 1), (1, 5, 0)),
        "NORTH School 2": figures((1, 35, 0), (0, 0, 0), (0, 0, 0)),
    }
    assert result.totals == figures((4, 60, 0), (1, 34, 1), (1, 5, 0))
    assert result.year_total == TermExclusions(6, 99, 1)
    assert result.schools[0].year == TermExclusions(5, 64, 1)


def test_r25_pupils_near_45_suspension_days_across_schools_by_case_ref_and_initials(store):
    near = view(store, "NORTH").near_limit
    assert [(p.suspension_days, p.days_left, p.initials, p.partnership) for p in near] == [
        (40, 5, "T. T.", "NORTH"),
        (35, 10, "T. T.", "NORTH"),
    ]
    assert all(p.case_ref.startswith("T-") for p in near)
    assert near[0].flag is not None and near[0].flag.rule == "R25"
    assert near[0].flag.severity == "warning"
    assert near[1].flag is None  # listed from 35; R25 warns from 40


def test_r25_past_the_limit_is_critical_and_the_county_lists_everyone(store):
    south = view(store, "SOUTH", viewer=chair("SOUTH"))
    assert [(p.suspension_days, p.days_left, p.flag.severity) for p in south.near_limit] == [
        (46, 0, "critical")
    ]
    assert south.totals == figures((2, 24, 0), (1, 46, 0), (0, 0, 0))
    assert [p.suspension_days for p in view(store, None).near_limit] == [46, 40, 35]


def test_one_school(store):
    result = view(store, "NORTH", school_id=store[1]["n2"])
    assert [row.school for row in result.schools] == ["NORTH School 2"]
    assert [p.suspension_days for p in result.near_limit] == [35]


def test_a_year_without_term_dates_and_other_partnerships_are_refused(store):
    no_terms = pytest.raises(InvalidValue, match=r"Academic year: no term dates .* 2030-31")
    with read_session(store[0]) as session, no_terms:
        exclusions_by_term(session, ADMIN, None, academic_year=2030)
    with pytest.raises(NotAllowed):
        view(store, "NORTH", viewer=chair("SOUTH"))
