"""Tier counts per school on a date (R5, R6): boundaries of the tier history, the roll and the
rate per 1,000, the City's labels, totals, and who may see which partnership (R1)."""

from types import SimpleNamespace

import pytest
from query_store import DAY, ON
from tier_store import ADMIN, TierStore, chair

from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.queries.tiers import tier_counts


@pytest.fixture
def store(engine):
    with write_session("test", engine) as session:
        add = TierStore(session)
        north, south = add.partnership("NORTH"), add.partnership("SOUTH")
        big = add.school(north, roll=1200)  # "NORTH School 1"
        empty = add.school(north, roll=0, member=False)  # "NORTH School 2": roll 0
        other = add.school(south, roll=800)  # "SOUTH School 3"

        add.tier(big, 3, from_date=ON)  # R6: a change counts on its own day
        changed = add.pupil(big)  # Tier 2 up to the day before ON (to_date exclusive), then 3
        add.move(changed, big, 2, from_date=ON - 30 * DAY, to_date=ON)
        add.move(changed, big, 3, from_date=ON)
        add.city(add.tier(big, 2, from_date=ON - 90 * DAY))  # R5: city address
        moved = add.pupil(big)  # R2: Tier 4 at School 1, then at School 3 from ON - 5
        add.move(moved, big, 4, from_date=ON - 100 * DAY, to_date=ON - 5 * DAY)
        add.city(add.move(moved, other, 4, from_date=ON - 5 * DAY))
        gone = add.pupil(empty)  # left School 2 ten days ago; its period still says School 2
        add.move(gone, empty, 1, from_date=ON - 60 * DAY)
        add.left(gone, ON - 10 * DAY)
        add.tier(big, 1, from_date=ON - 60 * DAY, to_date=ON - 20 * DAY)  # over before ON
    return SimpleNamespace(engine=engine, big=big.id, empty=empty.id, other=other.id)


def counts(store, partnership="NORTH", viewer=ADMIN, **kwargs):
    with read_session(store.engine) as session:
        return tier_counts(session, viewer, partnership, on=kwargs.pop("on", ON), **kwargs)


def by_school(view):
    return {row.school: row for row in view.schools}


def test_r6_each_school_counts_its_pupils_at_each_tier_on_the_day(store):
    rows = by_school(counts(store))
    assert list(rows) == ["NORTH School 1", "NORTH School 2"]
    # School 1: the pupil changed to Tier 3 on ON, the new Tier 3 pupil, the city Tier 2 pupil.
    assert rows["NORTH School 1"].pupils_by_tier == (0, 1, 2, 0)
    assert rows["NORTH School 1"].number_on_roll == 1200
    # The pupil who left still counts where the period says.
    assert rows["NORTH School 2"].pupils_by_tier == (1, 0, 0, 0)
    assert rows["NORTH School 2"].is_member is False


def test_r6_the_day_before_counts_the_old_tier_and_not_the_change_to_come(store):
    rows = by_school(counts(store, on=ON - DAY))
    # Tier 2 still on the day before ON (the period ends the day before to_date); the new
    # Tier 3 pupil not yet.
    assert rows["NORTH School 1"].pupils_by_tier == (0, 2, 0, 0)


def test_r6_a_period_ends_the_day_before_its_to_date(store):
    # The Tier 1 period has to_date ON - 20: its last day is ON - 21.
    last_day = by_school(counts(store, on=ON - 21 * DAY))["NORTH School 1"]
    to_date = by_school(counts(store, on=ON - 20 * DAY))["NORTH School 1"]
    assert (last_day.pupils_by_tier[0], to_date.pupils_by_tier[0]) == (1, 0)


def test_r2_a_pupil_who_moved_counts_at_each_school_while_its_period_ran(store):
    before = by_school(counts(store, None, on=ON - 6 * DAY))
    after = by_school(counts(store, None))
    assert (
        before["NORTH School 1"].pupils_by_tier[3],
        before["SOUTH School 3"].pupils_by_tier[3],
    ) == (1, 0)
    assert (
        after["NORTH School 1"].pupils_by_tier[3],
        after["SOUTH School 3"].pupils_by_tier[3],
    ) == (0, 1)


def test_each_tier_per_1000_on_roll_and_none_for_a_roll_of_0(store):
    rows = by_school(counts(store))
    assert rows["NORTH School 1"].per_thousand_by_tier == pytest.approx(
        (0, 1000 / 1200, 2000 / 1200, 0)
    )
    assert rows["NORTH School 1"].per_thousand == pytest.approx(2500 / 1000)
    assert rows["NORTH School 2"].per_thousand_by_tier == (None, None, None, None)
    assert rows["NORTH School 2"].per_thousand is None


def test_r5_city_address_pupils_by_the_citys_label_beside_the_tier(store):
    rows = by_school(counts(store, None))
    assert rows["NORTH School 1"].psp_labels == {2: ("PSP1", 1), 3: ("PSP2a", 0), 4: ("PSP3", 0)}
    assert rows["SOUTH School 3"].psp_labels == {2: ("PSP1", 0), 3: ("PSP2a", 0), 4: ("PSP3", 1)}


def test_totals_add_the_schools_and_work_the_rate_from_the_summed_roll(store):
    totals = counts(store).totals
    assert totals.number_on_roll == 1200
    assert totals.pupils_by_tier == (1, 1, 2, 0)
    assert totals.city_by_tier == (0, 1, 0, 0)
    assert totals.per_thousand_by_tier == pytest.approx((1000 / 1200, 1000 / 1200, 2000 / 1200, 0))
    county = counts(store, None).totals
    assert (county.number_on_roll, county.pupils_by_tier) == (2000, (1, 1, 2, 1))


def test_one_school_alone(store):
    view = counts(store, school_id=store.big)
    assert [row.school for row in view.schools] == ["NORTH School 1"]
    assert view.totals.pupils_by_tier == (0, 1, 2, 0)


def test_r1_a_chair_sees_their_partnership_only_and_a_school_must_be_in_it(store):
    assert counts(store, "SOUTH", viewer=chair("SOUTH")).totals.pupils_by_tier == (0, 0, 0, 1)
    with pytest.raises(NotAllowed, match="partnership NORTH"):
        counts(store, "NORTH", viewer=chair("SOUTH"))
    with pytest.raises(NotAllowed, match="whole county"):
        counts(store, None, viewer=chair("SOUTH"))
    with pytest.raises(InvalidValue, match=r"School: there is no school .* in partnership NORTH"):
        counts(store, "NORTH", school_id=store.other)
