"""The placements list on a crafted store (R7, R9, R26, R27; days a week, school days so far).

Each test writes the placements a figure should and should not count, in one transaction, and
checks the row a co-ordinator would read: the grid, the days at the provider and in total at
AP, the school days so far across half term, and each flag's boundary.
"""

from datetime import date

import pytest
from ap_read_store import ADMIN, DAY, ON, ApStore, actor

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import NotAllowed
from seips_core.queries.flags import county_flags
from seips_core.queries.placements import (
    PLACEMENT_RULES,
    PlacementRow,
    placements_list,
    session_grid,
)

NW_COORDINATOR = actor(Role.COORDINATOR, "NW")
NW_VIEWER = actor(Role.VIEWER, "NW")


def listed(engine, viewer=ADMIN, code: str | None = None, on: date = ON, **options):
    with read_session(engine) as session:
        return placements_list(session, viewer, code, on=on, **options)


def rules(row: PlacementRow) -> set[str]:
    return {flag.rule for flag in row.flags}


def test_the_grid_is_monday_to_friday_morning_and_afternoon():
    assert session_grid("MonAM TuePM FriAM FriPM") == (
        (True, False),
        (False, True),
        (False, False),
        (False, False),
        (True, True),
    )
    assert session_grid("") == ((False, False),) * 5


@pytest.fixture
def two_providers(engine):
    """A NW pupil at two APs, on Monday at both (morning at one, afternoon at the other), with
    work experience on Thursday, an ended AP on Friday and one starting next week; and an HB
    placement of the same pupil's at a third AP on Tuesday."""
    with write_session("test", engine) as session:
        store = ApStore(session)
        nw, hb = store.partnership("NW"), store.partnership("HB")
        school, other = store.school(nw), store.school(hb)
        pupil = store.child(school)
        oak, elm, ash, farm = (
            store.provider("Oakfield Skills Centre"),
            store.provider("Elm Motor Project"),
            store.provider("Ash Boxing Academy"),
            store.provider("Farm Work", lebc=ON - 90 * DAY),
        )
        store.place(pupil, oak, "MonAM WedAM WedPM")
        store.place(pupil, elm, "MonPM")
        store.place(pupil, farm, "ThuAM ThuPM", kind="work_experience")
        store.place(pupil, oak, "FriAM FriPM", start=ON - 60 * DAY, end=ON - DAY)
        store.place(pupil, elm, "FriAM", start=ON + 5 * DAY)
        store.place(pupil, ash, "TueAM", school=other)
        return pupil.case_ref


def test_days_a_week_at_ap_is_the_union_of_the_days_of_current_ap_placements(engine, two_providers):
    rows = listed(engine, NW_COORDINATOR, "NW")
    by_provider = {row.provider: row for row in rows}
    # Only current placements of NW's school: not the ended one, the future one, nor HB's.
    assert sorted(by_provider) == ["Elm Motor Project", "Farm Work", "Oakfield Skills Centre"]
    assert by_provider["Oakfield Skills Centre"].days_at_provider == 2  # Mon (half), Wed
    assert by_provider["Elm Motor Project"].days_at_provider == 1  # Mon afternoon
    assert by_provider["Farm Work"].days_at_provider == 1
    # Mon, Wed and (HB's placement) Tue: 3 days at AP, not 2 + 1 + 1; work experience is not AP.
    assert {row.total_ap_days for row in rows} == {3}
    assert by_provider["Oakfield Skills Centre"].grid == (
        (True, False),
        (False, False),
        (True, True),
        (False, False),
        (False, False),
    )
    assert by_provider["Elm Motor Project"].hours_per_week == 2.5


def test_a_day_after_the_ended_placement_and_before_the_future_one(engine, two_providers):
    # On the last day of the ended placement, Friday at Oakfield counts too.
    rows = listed(engine, ADMIN, None, on=ON - DAY)
    assert {row.total_ap_days for row in rows if row.kind == "ap"} == {4}
    assert len([row for row in rows if row.provider == "Oakfield Skills Centre"]) == 2


def test_school_days_of_placement_so_far_skip_half_term(engine):
    """Started Monday 20 October; half term is 27–31 October; asked on Wednesday 5 November:
    5 days before half term and 3 after."""
    with write_session("test", engine) as session:
        store = ApStore(session)
        store.terms()
        school = store.school(store.partnership("NW"))
        oak = store.provider("Oakfield Skills Centre")
        store.place(store.child(school), oak, "MonAM", start=date(2025, 10, 20))
        store.place(
            store.child(school), oak, "TueAM", start=date(2025, 10, 22), end=date(2025, 11, 4)
        )
    rows = listed(engine, ADMIN, None, on=date(2025, 11, 5))
    assert [row.school_days_so_far for row in rows] == [8]
    # Asked on its last day, the ended one counts Wed 22 to Fri 24, and Mon 3 to Tue 4 November.
    rows = listed(engine, ADMIN, None, on=date(2025, 11, 4))
    assert sorted(row.school_days_so_far for row in rows) == [5, 7]
    # In half term itself nothing is added.
    rows = listed(engine, ADMIN, None, on=date(2025, 10, 31))
    assert sorted(row.school_days_so_far for row in rows) == [3, 5]


@pytest.mark.parametrize(
    ("sessions", "hours", "substantial", "flagged"),
    [
        ("MonAM MonPM TueAM TuePM WedAM WedPM", 15.0, False, set()),  # 3 days
        ("MonAM TueAM WedAM ThuAM", 10.0, True, {"R7"}),  # 4 half-days: 4 days
        ("MonAM MonPM TueAM TuePM WedAM WedPM", 17.5, False, set()),
        ("MonAM MonPM TueAM TuePM WedAM WedPM", 18.0, True, set()),  # R8's hours, not R7
    ],
)
def test_substantial_at_more_than_3_days_or_18_hours(engine, sessions, hours, substantial, flagged):
    with write_session("test", engine) as session:
        store = ApStore(session)
        school = store.school(store.partnership("NW"))
        oak = store.provider("Oakfield Skills Centre", registered=True)
        store.confirm(school, oak)
        store.place(store.child(school), oak, sessions, hours=hours)
    (row,) = listed(engine)
    assert row.substantial is substantial
    assert bool(row.substantial_reason) is substantial
    assert rules(row) == flagged


def test_r9_a_substantial_placement_without_a_plan_and_r27_without_a_confirmation(engine):
    with write_session("test", engine) as session:
        store = ApStore(session)
        nw = store.partnership("NW")
        school, confirmed_school = store.school(nw), store.school(nw)
        oak = store.provider("Oakfield Skills Centre", registered=True)
        store.confirm(confirmed_school, oak)
        store.confirm(school, oak, received=ON + DAY)  # received after the day asked
        store.place(store.child(school), oak, "MonAM", hours=18.0, plan_agreed_date=None)
        store.place(store.child(confirmed_school), oak, "TueAM", la_informed_date=None)
    by_hours = {row.hours_per_week: row for row in listed(engine, NW_COORDINATOR, "NW")}
    unplanned, uninformed = by_hours[18.0], by_hours[2.5]
    assert rules(unplanned) == {"R9", "R27"}
    assert rules(uninformed) == {"R26"}
    assert "18 hours a week" in unplanned.substantial_reason


def test_flags_on_each_row_are_county_flags_for_that_placement(engine, two_providers):
    """A pupil with two placements: each row carries the flags naming its own provider, and the
    rows together carry every placement flag ``county_flags`` raises (so `seips flags` and the
    page agree)."""
    rows = listed(engine, NW_COORDINATOR, "NW")
    with read_session(engine) as session:
        expected = [f for f in county_flags(session, ON, "NW") if f.rule in PLACEMENT_RULES]
    shown = [flag for row in rows for flag in row.flags]
    assert sorted(map(str, shown)) == sorted(map(str, expected))
    # No confirmation held by the school for any provider: R27 on each row, naming its own.
    for row in rows:
        assert "R27" in rules(row)
        assert all(row.provider in flag.message for flag in row.flags)


def test_names_only_for_those_who_may_see_them_and_only_their_partnership(engine, two_providers):
    (name,) = {row.label for row in listed(engine, NW_COORDINATOR, "NW", full_names=True)}
    assert name.startswith("Testfirst Testlast")
    assert {row.label for row in listed(engine, NW_VIEWER, "NW", full_names=True)} == {"T. T."}
    assert {row.label for row in listed(engine, NW_COORDINATOR, "NW")} == {"T. T."}
    with pytest.raises(NotAllowed):
        listed(engine, NW_COORDINATOR, None)
    with pytest.raises(NotAllowed):
        listed(engine, NW_VIEWER, "HB")
    assert {row.partnership for row in listed(engine, ADMIN, "HB")} == {"HB"}
