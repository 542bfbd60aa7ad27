"""The day-count views on a crafted store: providers × weekdays, pupils by days a week at AP, and
week by week over a term, past weeks as they were (R7, R8)."""

from datetime import date

import pytest
from ap_read_store import ADMIN, DAY, ON, ApStore, actor

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import NotAllowed
from seips_core.queries.ap_load import (
    ProviderLoad,
    WeekCount,
    days_a_week_histogram,
    weekday_load,
    weekly_counts,
)

NW_VIEWER = actor(Role.VIEWER, "NW")


@pytest.fixture
def loaded(engine):
    """NW: one pupil at Oakfield Monday morning and Tuesday afternoon, one there all Monday and
    at Elm on Friday and Monday afternoon; work experience and an ended AP that must not count.
    HB: one pupil at Oakfield on Wednesday."""
    with write_session("test", engine) as session:
        store = ApStore(session)
        nw_school = store.school(store.partnership("NW"))
        hb_school = store.school(store.partnership("HB"))
        oak, elm = store.provider("Oakfield Skills Centre"), store.provider("Elm Motor Project")
        farm = store.provider("Farm Work", lebc=ON - 90 * DAY)
        store.place(store.child(nw_school), oak, "MonAM TuePM")
        both = store.child(nw_school)
        store.place(both, oak, "MonAM MonPM")
        store.place(both, elm, "MonPM FriAM")
        store.place(both, farm, "ThuAM ThuPM", kind="work_experience")
        store.place(both, oak, "WedAM", start=ON - 60 * DAY, end=ON - DAY)
        store.place(store.child(hb_school), oak, "WedAM")
    return engine


def test_providers_by_weekday(loaded):
    with read_session(loaded) as session:
        nw = weekday_load(session, NW_VIEWER, "NW", on=ON)
        county = weekday_load(session, ADMIN, None, on=ON)
    assert nw == (
        ProviderLoad("Elm Motor Project", (1, 0, 0, 0, 1), 1),
        ProviderLoad("Oakfield Skills Centre", (2, 1, 0, 0, 0), 2),
    )
    assert county[1] == ProviderLoad("Oakfield Skills Centre", (2, 1, 1, 0, 0), 3)


def test_pupils_by_total_days_a_week_at_ap(loaded):
    with read_session(loaded) as session:
        nw = days_a_week_histogram(session, NW_VIEWER, "NW", on=ON)
        county = days_a_week_histogram(session, ADMIN, None, on=ON)
        before = days_a_week_histogram(session, ADMIN, None, on=ON - DAY)
    # Mon + Tue; Mon (both providers, once) + Fri. Work experience on Thursday is not AP.
    assert nw == {1: 0, 2: 2, 3: 0, 4: 0, 5: 0}
    assert county == {1: 1, 2: 2, 3: 0, 4: 0, 5: 0}
    # The day before, the ended Wednesday placement still ran: Mon, Wed, Fri.
    assert before == {1: 1, 2: 1, 3: 1, 4: 0, 5: 0}


def test_weekly_counts_show_each_week_as_it_was(engine):
    """Across half term (27–31 October): a one-week placement from Wednesday 8 to Tuesday 14
    October counts in both weeks it touches; a substantial one counts from 3 November."""
    with write_session("test", engine) as session:
        store = ApStore(session)
        store.terms()
        school = store.school(store.partnership("NW"))
        store.school(store.partnership("HB"))
        oak = store.provider("Oakfield Skills Centre")
        store.place(store.child(school), oak, "MonAM", start=date(2025, 9, 10))
        store.place(
            store.child(school), oak, "TueAM", start=date(2025, 10, 8), end=date(2025, 10, 14)
        )
        store.place(store.child(school), oak, "MonAM TueAM WedAM ThuAM", start=date(2025, 11, 3))
    with read_session(engine) as session:
        weeks = weekly_counts(
            session, NW_VIEWER, "NW", start=date(2025, 10, 8), end=date(2025, 11, 3)
        )
    assert weeks == (
        WeekCount(date(2025, 10, 6), 5, 2, 0),
        WeekCount(date(2025, 10, 13), 5, 2, 0),
        WeekCount(date(2025, 10, 20), 5, 1, 0),
        WeekCount(date(2025, 10, 27), 0, 1, 0),
        WeekCount(date(2025, 11, 3), 5, 2, 1),
    )
    with read_session(engine) as session:
        hb = weekly_counts(session, ADMIN, "HB", start=date(2025, 10, 8), end=date(2025, 11, 3))
        # NW's placements are not HB's: the same five weeks, no pupil in any.
        assert [(week.monday, week.pupils) for week in hb] == [(w.monday, 0) for w in weeks]
        assert weekly_counts(session, ADMIN, None, start=ON, end=ON - DAY) == ()


def test_day_counts_are_scoped_to_the_viewers_partnership(loaded):
    with read_session(loaded) as session:
        for view in (weekday_load, days_a_week_histogram):
            with pytest.raises(NotAllowed):
                view(session, NW_VIEWER, "HB", on=ON)
            with pytest.raises(NotAllowed):
                view(session, NW_VIEWER, None, on=ON)
        with pytest.raises(NotAllowed):
            weekly_counts(session, NW_VIEWER, None, start=ON, end=ON)
