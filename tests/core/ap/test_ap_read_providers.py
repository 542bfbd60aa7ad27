"""The provider register on a crafted store (R8, R10, R27): the county-wide count across
partnerships, the threshold 4 vs 5 through the setting, LAC/EHCP pupils, confirmations."""

import pytest
from ap_read_store import ADMIN, DAY, ON, ApStore, actor

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.queries.flags import county_flags
from seips_core.queries.placements import placements_list
from seips_core.queries.providers import (
    AT_OR_OVER,
    BELOW,
    ONE_AWAY,
    REGISTERED,
    ProviderRow,
    provider_choices,
    provider_register,
)
from seips_core.services.reference_data import set_setting

FOUR_DAYS = "MonAM MonPM TueAM TuePM WedAM WedPM ThuAM ThuPM"
THREE_DAYS = "MonAM MonPM TueAM TuePM WedAM WedPM"
NW_VIEWER = actor(Role.VIEWER, "NW")
HB_COORDINATOR = actor(Role.COORDINATOR, "HB")


def register(engine, viewer=NW_VIEWER) -> dict[str, ProviderRow]:
    with read_session(engine) as session:
        return {row.name: row for row in provider_register(session, viewer, on=ON)}


def r8_flags(engine, partnership: str | None) -> set[str]:
    with read_session(engine) as session:
        return {f.subject for f in county_flags(session, ON, partnership) if f.rule == "R8"}


@pytest.fixture
def shared_provider(engine):
    """Oakfield, unregistered, used by a NW school and a HB school: two substantial pupils from
    each (one of NW's at two substantial placements there), plus what must not count."""
    with write_session("test", engine) as session:
        store = ApStore(session)
        nw_school = store.school(store.partnership("NW"))
        hb_school = store.school(store.partnership("HB"))
        oak = store.provider("Oakfield Skills Centre")
        store.confirm(nw_school, oak)
        store.confirm(hb_school, oak, received=ON + DAY)  # not held yet on the day asked
        twice = store.child(nw_school)
        store.place(twice, oak, FOUR_DAYS)
        store.place(twice, oak, "FriAM", hours=18.0)
        store.place(store.child(nw_school), oak, THREE_DAYS, hours=18.0)  # by R8's hours
        for _ in range(2):
            store.place(store.child(hb_school), oak, FOUR_DAYS)
        store.place(store.child(hb_school), oak, THREE_DAYS, hours=17.5)  # not substantial
        store.place(store.child(hb_school), oak, FOUR_DAYS, start=ON - 90 * DAY, end=ON - DAY)
        store.place(store.child(hb_school), oak, FOUR_DAYS, start=ON + DAY)
    return engine


def test_r8_counts_substantial_pupils_across_partnerships(shared_provider):
    oak = register(shared_provider)["Oakfield Skills Centre"]
    assert (oak.substantial_pupils, oak.substantial_lac_or_ehcp, oak.substantial_others) == (
        4,
        0,
        4,
    )
    assert oak.current_pupils == 5
    assert (oak.threshold, oak.status) == (4, AT_OR_OVER)
    assert oak.threshold_source == "the partnerships' guidance; the statute says 5"
    assert [flag.rule for flag in oak.flags] == ["R8"]
    assert "4 pupils" in oak.flags[0].message
    # Each partnership alone has two: only the county-wide count reaches the line, and each
    # partnership's flags and placements show it.
    assert r8_flags(shared_provider, "NW") == r8_flags(shared_provider, "HB") == {oak.name}
    with read_session(shared_provider) as session:
        rows = placements_list(session, HB_COORDINATOR, "HB", on=ON)
    assert rows and all("R8" in {f.rule for f in row.flags} for row in rows)


def test_r27_confirmations_of_the_commissioning_schools(shared_provider):
    oak = register(shared_provider)["Oakfield Skills Centre"]
    assert (
        oak.confirmations,
        oak.commissioning_schools,
        oak.commissioning_schools_unconfirmed,
    ) == (
        1,
        2,
        1,
    )
    assert oak.all_commissioners_confirmed is False


def test_threshold_4_vs_5_through_the_setting(shared_provider):
    set_setting(shared_provider, ADMIN, "r8_threshold", 5)
    oak = register(shared_provider)["Oakfield Skills Centre"]
    assert (oak.threshold, oak.status, oak.flags) == (5, ONE_AWAY, ())
    assert oak.threshold_source == "the statute, Education Act 1996 s.463"
    assert r8_flags(shared_provider, None) == set()
    set_setting(shared_provider, ADMIN, "r8_threshold", 4)
    assert register(shared_provider)["Oakfield Skills Centre"].status == AT_OR_OVER


def test_three_pupils_are_one_away_and_two_below(engine):
    with write_session("test", engine) as session:
        store = ApStore(session)
        school = store.school(store.partnership("NW"))
        three, two = store.provider("Three Centre"), store.provider("Two Centre")
        for provider, pupils in ((three, 3), (two, 2)):
            for _ in range(pupils):
                store.place(store.child(school), provider, FOUR_DAYS)
    rows = register(engine)
    assert (rows["Three Centre"].substantial_pupils, rows["Three Centre"].status) == (3, ONE_AWAY)
    assert (rows["Two Centre"].substantial_pupils, rows["Two Centre"].status) == (2, BELOW)
    assert rows["Three Centre"].flags == rows["Two Centre"].flags == ()


@pytest.mark.parametrize(
    ("lac_status", "ehcp"), [("own_la", False), ("other_la", False), ("none", True)]
)
def test_one_lac_or_ehcp_pupil_in_substantial_provision_crosses(engine, lac_status, ehcp):
    with write_session("test", engine) as session:
        store = ApStore(session)
        school = store.school(store.partnership("NW"))
        oak, elm, hall = (
            store.provider("Oakfield Skills Centre"),
            store.provider("Elm Motor Project"),
            store.provider("Hall School", registered=True),
        )
        pupil = store.child(school, lac_status=lac_status, ehcp=ehcp)
        store.place(pupil, oak, FOUR_DAYS)
        store.place(pupil, elm, "FriAM FriPM")  # part-time: one more day there would cross
        store.place(store.child(school, ehcp=True), hall, FOUR_DAYS)
    rows = register(engine)
    oak, elm, hall = rows["Oakfield Skills Centre"], rows["Elm Motor Project"], rows["Hall School"]
    assert (oak.substantial_pupils, oak.substantial_lac_or_ehcp, oak.status) == (1, 1, AT_OR_OVER)
    assert "1 looked-after or EHCP pupil(s)" in oak.flags[0].message
    assert (elm.substantial_pupils, elm.lac_or_ehcp_not_substantial, elm.status) == (0, 1, BELOW)
    # A registered school is not at risk of being an unregistered one.
    assert (hall.substantial_lac_or_ehcp, hall.status, hall.flags) == (1, REGISTERED, ())
    assert list(rows) == ["Oakfield Skills Centre", "Elm Motor Project", "Hall School"]


def test_r10_training_and_the_register_shows_every_provider(engine):
    with write_session("test", engine) as session:
        store = ApStore(session)
        store.partnership("NW")
        store.provider("Untrained Centre", staff_trained=None)
        store.provider("Lapsed Centre", dsl_trained=ON - 800 * DAY)
        store.provider("Trained Centre")
    rows = register(engine)
    assert sorted(rows) == ["Lapsed Centre", "Trained Centre", "Untrained Centre"]
    assert {name: [f.rule for f in row.flags] for name, row in rows.items()} == {
        "Lapsed Centre": ["R10"],
        "Trained Centre": [],
        "Untrained Centre": ["R10"],
    }
    assert all(row.current_pupils == row.commissioning_schools == 0 for row in rows.values())
    assert all(row.all_commissioners_confirmed for row in rows.values())
    with read_session(engine) as session:
        choices = provider_choices(session)
    assert [name for _id, name in choices] == [
        "Lapsed Centre",
        "Trained Centre",
        "Untrained Centre",
    ]
    assert {row.provider_id: row.name for row in rows.values()} == dict(choices)
