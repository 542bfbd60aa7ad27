"""The meetings list a partnership sees, with its R13a gaps (issue 4, meetings page)."""

import pytest
from sqlalchemy import func, select

from seips_core.auth.roles import Role
from seips_core.db import read_session
from seips_core.errors import NotAllowed
from seips_core.models import Meeting, MeetingInvitation, Partnership, School
from seips_core.queries.meetings import invitations, meetings_of, meetings_overview


def test_nw_meetings_come_newest_first_with_todays_r13a_gap(county, demo, nw_meeting):
    with read_session(county) as session:
        listed = meetings_of(session, demo(Role.VIEWER), "NW")
        stored = session.scalar(
            select(func.count())
            .select_from(Meeting)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(Partnership.code == "NW")
        )
        members = session.scalars(
            select(School.name)
            .join(Partnership, Partnership.id == School.partnership_id)
            .where(Partnership.code == "NW", School.is_member)
        ).all()
        notified = set(
            session.scalars(
                select(School.name)
                .join(MeetingInvitation, MeetingInvitation.school_id == School.id)
                .where(
                    MeetingInvitation.meeting_id == nw_meeting.id,
                    MeetingInvitation.notified_date <= nw_meeting.meeting_date,
                )
            )
        )
    assert len(listed) == stored
    assert [m.meeting_date for m in listed] == sorted(
        (m.meeting_date for m in listed), reverse=True
    )
    today = next(m for m in listed if m.id == nw_meeting.id)
    assert today.unnotified == tuple(sorted(set(members) - notified))
    assert today.unnotified, "the sample plants a school not notified of this meeting (R13a)"
    assert 0 <= today.decided <= today.items


def test_every_member_school_is_listed_for_a_meeting_invited_or_not(county, demo, nw_meeting):
    with read_session(county) as session:
        rows = invitations(session, demo(Role.COORDINATOR), "NW", nw_meeting.id)
        members = session.scalar(
            select(func.count())
            .select_from(School)
            .join(Partnership, Partnership.id == School.partnership_id)
            .where(Partnership.code == "NW", School.is_member)
        )
    assert len(rows) == members
    assert [r.school for r in rows] == sorted(r.school for r in rows)


def test_another_partnerships_meetings_are_refused(county, demo):
    with read_session(county) as session, pytest.raises(NotAllowed):
        meetings_of(session, demo(Role.COORDINATOR), "HB")


def test_the_overview_splits_meetings_around_the_day(county, demo, nw_meeting):
    with read_session(county) as session:
        listed = meetings_of(session, demo(Role.VIEWER), "NW")
        split = meetings_overview(session, demo(Role.VIEWER), "NW", on=nw_meeting.meeting_date)
    assert [m.id for m in split.today] == [nw_meeting.id]
    assert all(m.meeting_date < nw_meeting.meeting_date for m in split.past)
    assert [m.meeting_date for m in split.next] == sorted(m.meeting_date for m in split.next)
    assert len(split.past) + len(split.today) + len(split.next) == len(listed)
