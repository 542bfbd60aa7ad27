"""The allocation suggestion for one Fair Access case: member schools of its partnership ranked
furthest below their Year-group fair share this year first, then longest without an allocation,
then name (R23); the schools left out listed with why (R22, R23)."""

from datetime import date

import pytest
from fairness_store import ADMIN, ON, FairnessStore, actor

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.queries.allocation_suggestion import suggest_schools


@pytest.fixture
def case_id(engine) -> int:
    with write_session("test", engine) as session:
        add = FairnessStore(session)
        nw, hb = add.partnership("NW"), add.partnership("HB")
        ashby = add.school(nw, "Ashby School", roll=1000)
        beacon, castle, dale, elm, fern, grove = (
            add.school(nw, name, roll=500)
            for name in ("Beacon", "Castle", "Dale", "Elm", "Fern", "Grove")
        )
        hill = add.school(nw, "Hill", roll=500)
        add.school(nw, "Ivy", roll=500)
        add.school(nw, "Zed (not a member)", roll=500, member=False)
        harbury = add.school(hb, "Harbury High", roll=500)

        child = add.pupil(elm, year_group=9)  # on Elm's roll: the current school
        case = add.case(nw, year_group=9, pupil=child)

        # Year 9 allocations this academic year: 4 over a member roll of 5000, so a share of
        # 0.4 per 500 on roll: Ashby +0.2, Beacon +0.6, Elm +1.6, Fern/Grove/Hill/Ivy -0.4.
        add.case(nw, allocated=ashby, decided=date(2025, 11, 1))
        add.case(nw, allocated=beacon, decided=date(2025, 9, 10))
        add.allocations(nw, elm, date(2025, 10, 1), 2)
        # Not in this year's Year 9 share, but each a school's last allocation.
        add.case(nw, year_group=7, allocated=fern, decided=date(2025, 10, 6))
        add.case(nw, allocated=fern, decided=date(2025, 6, 20))  # last academic year
        add.case(nw, allocated=grove, decided=date(2025, 3, 3))
        add.case(nw, allocated=hill, decided=date(2025, 12, 1))  # after the day asked about
        add.case(hb, allocated=harbury, decided=date(2025, 10, 1))

        # Left out: Castle excluded the child, Dale refused this case, Elm is the child's school.
        add.exclusion(child.id, castle, date(2024, 3, 1))
        add.refusal(case, dale, date(2025, 11, 5))
        # Not reasons to leave a school out: a suspension, a delay, another case's refusal,
        # another child's permanent exclusion.
        add.exclusion(child.id, ashby, date(2025, 1, 10), kind="suspension")
        add.refusal(case, beacon, date(2025, 11, 6), kind="delay")
        add.refusal(add.case(nw), ashby, date(2025, 11, 6))
        add.exclusion(add.pupil().id, beacon, date(2025, 2, 2))
        return case.id


def suggest(engine, case_id, viewer=ADMIN):
    with read_session(engine) as session:
        return suggest_schools(session, viewer, case_id, on=ON)


def test_r23_ranked_by_fair_share_then_longest_wait_then_name(engine, case_id):
    rows = suggest(engine, case_id)
    assert [(row.rank, row.school) for row in rows if row.suggested] == [
        (1, "Hill"),  # -0.4, never allocated (one decided after the day asked about)
        (2, "Ivy"),  # -0.4, never allocated: by name after Hill
        (3, "Grove"),  # -0.4, last allocation in March 2025
        (4, "Fern"),  # -0.4, last allocation (Year 7) in October 2025
        (5, "Ashby School"),  # +0.2 (its last allocation is the newest)
        (6, "Beacon"),  # +0.6, though it waited longer than Ashby
    ]
    first = rows[0]
    assert (first.allocations, first.fair_share, first.last_allocation) == (0, 0.4, None)
    assert rows[5].difference == pytest.approx(0.6)


def test_the_reasons_say_the_share_and_the_turn_in_words(engine, case_id):
    reasons = {row.school: row.reasons for row in suggest(engine, case_id)}
    assert reasons["Hill"] == (
        "0.4 below its fair share for Year 9 this year (R23)",
        "no allocation on record",
    )
    assert reasons["Grove"][1] == "no allocation since 3 Mar 2025"
    assert reasons["Beacon"] == (
        "0.6 above its fair share for Year 9 this year (R23)",
        "no allocation since 10 Sep 2025",
    )


def test_r22_r23_excluded_schools_are_listed_last_with_why(engine, case_id):
    rows = suggest(engine, case_id)
    left_out = [(row.rank, row.school, row.excluded) for row in rows if not row.suggested]
    assert left_out == [
        (None, "Castle", ("excluded: permanently excluded the child in 2024 (R23)",)),
        (None, "Dale", ("excluded: refused this child on 5 Nov 2025 (R22)",)),
        (None, "Elm", ("excluded: the child's current school",)),
    ]
    assert rows[-3:] == tuple(row for row in rows if not row.suggested)
    elm = rows[-1]
    assert elm.allocations == 2
    assert elm.reasons[0] == "1.6 above its fair share for Year 9 this year (R23)"


def test_r1_r2_only_the_member_schools_of_the_cases_partnership(engine, case_id):
    schools = {row.school for row in suggest(engine, case_id)}
    assert "Zed (not a member)" not in schools
    assert "Harbury High" not in schools
    assert len(schools) == 9


def test_other_partnerships_cases_are_refused_and_an_unknown_case_named(engine, case_id):
    with pytest.raises(NotAllowed, match="NW"):
        suggest(engine, case_id, viewer=actor(Role.CHAIR, "HB"))
    assert suggest(engine, case_id, viewer=actor(Role.VIEWER, "NW"))
    with pytest.raises(InvalidValue, match="Fair Access case"):
        suggest(engine, case_id + 1000)
