"""The Meetings page on the sample county: the list, the R13a warning, ticking attendance."""

from page_helpers import MEETINGS, open_page, open_part
from sqlalchemy import func, select

from seips_core.auth.roles import SYSTEM_ACTOR, Role
from seips_core.db import get_engine, read_session
from seips_core.models import Meeting, MeetingInvitation, Partnership
from seips_core.queries.meetings import meetings_of


def nw_meetings(url: str) -> int:
    with read_session(get_engine(url)) as session:
        return session.scalar(
            select(func.count())
            .select_from(Meeting)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(Partnership.code == "NW")
        )


def test_a_viewer_sees_every_nw_meeting_and_no_attendance_ticks(app_as, county_url):
    app = open_page(app_as(Role.VIEWER), MEETINGS)
    assert not app.checkbox, "viewers read attendance; they do not tick it"
    open_part(app, "meetings_part", "All meetings")
    (listing,) = [table for table in app.table if "Meeting" in table.value.columns]
    assert len(listing.value) == nw_meetings(county_url)


def test_the_meeting_with_an_unnotified_school_carries_the_r13a_message(app_as, county_url):
    with read_session(get_engine(county_url)) as session:
        meetings = meetings_of(session, SYSTEM_ACTOR("test"), "NW")
    (gap,) = [row for row in meetings if row.unnotified]  # the sample plants one (R13a)
    app = open_page(app_as(Role.CHAIR), MEETINGS)
    app.selectbox(key="meeting").set_value(gap.id).run()
    shown = [box.value for box in (*app.warning, *app.error) if box.value.startswith("R13a:")]
    assert len(shown) == 1
    assert all(school in shown[0] for school in gap.unnotified)
    assert "unenforceable" in shown[0]


def test_a_co_ordinator_ticks_a_school_in_and_the_store_has_it(app_as, own_store):
    url = own_store  # its own store: the shared sample stays as it was
    app = open_page(app_as(Role.COORDINATOR), MEETINGS)
    assert app.checkbox, "a co-ordinator ticks attendance"
    box = next(box for box in app.checkbox if not box.disabled)
    box.set_value(not box.value).run()
    assert not app.exception and not app.error
    with read_session(get_engine(url)) as session:
        ticked = session.scalar(
            select(func.count()).select_from(MeetingInvitation).where(MeetingInvitation.version > 1)
        )
    assert ticked == 1
