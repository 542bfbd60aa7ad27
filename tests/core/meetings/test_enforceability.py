"""R13a on save: an allocation's enforceability follows from who was notified of its meeting,
whichever is recorded first, the decision or the notification (``derived``).

Today's NW panel in the sample county has a member school not notified (planted).
"""

from meeting_day import AT, TODAY, nw_school_other_than, undecided_items
from sqlalchemy import select

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.minutes import minutes_html
from seips_core.models import AgendaItem, AuditEntry, Decision, MeetingInvitation, School
from seips_core.queries.meetings import meeting_facts
from seips_core.services.decisions import DecisionInput, record_decision
from seips_core.services.meetings import set_notified


def allocate(county, coordinator, item, *, expected_version=None):
    return record_decision(
        county,
        coordinator,
        item.id,
        DecisionInput(
            "allocate_fair_access",
            "Nearest school with a Year 9 place.",
            school_id=nw_school_other_than(county, None).id,
            school_told_date=TODAY,
            admissions_told_date=TODAY,
        ),
        expected_version=expected_version,
        now=AT,
    )


def unnotified(county, meeting) -> list[int]:
    """The member schools not notified by the meeting day, each given an invitation not sent
    if it had none (the sample leaves one out), so that ``set_notified`` can record it."""
    with write_session("test setup", county) as session:
        names = meeting_facts(session, meeting).unnotified_schools
        schools = session.scalars(
            select(School.id).where(School.name.in_(names)).order_by(School.id)
        ).all()
        invited = session.scalars(
            select(MeetingInvitation.school_id).where(MeetingInvitation.meeting_id == meeting.id)
        ).all()
        session.add_all(
            MeetingInvitation(meeting_id=meeting.id, school_id=school_id)
            for school_id in schools
            if school_id not in invited
        )
        return list(schools)


def unenforceable_at(county, meeting_id: int) -> list[int]:
    with read_session(county) as session:
        return list(
            session.scalars(
                select(Decision.id)
                .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
                .where(AgendaItem.meeting_id == meeting_id, ~Decision.enforceable)
            )
        )


def stored(county, decision_id: int) -> Decision:
    with read_session(county) as session:
        return session.get(Decision, decision_id)


def test_notifying_the_missing_school_after_the_decision_makes_the_allocation_bind(
    county, demo, nw_meeting
):
    """set_notified takes only a day on or before the meeting: the school was told in time and
    only the record came late, so the allocation binds; the change is audited."""
    coordinator = demo(Role.COORDINATOR)
    saved = allocate(county, coordinator, undecided_items(county, "fair_access")[0])
    assert saved.enforceable is False
    missing = unnotified(county, nw_meeting)
    assert missing, "the sample plants an un-notified member school at today's NW panel"
    for school_id in missing[:-1]:
        assert set_notified(county, coordinator, nw_meeting.id, school_id, TODAY) == 0
        assert stored(county, saved.decision_id).enforceable is False  # one still missing
    unbound = unenforceable_at(county, nw_meeting.id)
    assert saved.decision_id in unbound  # with the sample's own allocation at this meeting
    assert set_notified(county, coordinator, nw_meeting.id, missing[-1], TODAY) == len(unbound)
    assert unenforceable_at(county, nw_meeting.id) == []
    decision = stored(county, saved.decision_id)
    assert decision.enforceable is True
    with read_session(county) as session:
        last = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name == "decision", AuditEntry.row_id == saved.decision_id)
            .order_by(AuditEntry.id.desc())
        ).first()
        page = minutes_html(session, coordinator, nw_meeting.id, full_names=False)
    assert (last.action, last.actor) == ("update", coordinator.email)
    case_ref_line = page.split(decision.rationale)[1].split("<h3>")[0]
    assert "Enforceable: no" not in case_ref_line


def test_a_decision_saved_after_the_notification_is_enforceable_and_a_resave_keeps_it(
    county, demo, nw_meeting
):
    coordinator = demo(Role.COORDINATOR)
    for school_id in unnotified(county, nw_meeting):
        set_notified(county, coordinator, nw_meeting.id, school_id, TODAY)
    item = undecided_items(county, "fair_access")[0]
    saved = allocate(county, coordinator, item)
    assert (saved.enforceable, stored(county, saved.decision_id).enforceable) == (True, True)
    again = allocate(county, coordinator, item, expected_version=saved.version)
    assert stored(county, again.decision_id).enforceable is True


def test_a_notification_leaves_other_outcomes_enforceable(county, demo, nw_meeting):
    """R13a binds allocations only: a deferral stands whoever was notified."""
    coordinator = demo(Role.COORDINATOR)
    item = undecided_items(county, "fair_access")[0]
    saved = record_decision(
        county, coordinator, item.id, DecisionInput("defer", "Waiting for the EP report."),
        expected_version=None, now=AT,
    )  # fmt: skip
    assert saved.enforceable is True
    school_id, *_ = unnotified(county, nw_meeting)
    assert set_notified(county, coordinator, nw_meeting.id, school_id, TODAY) == 0
    assert stored(county, saved.decision_id).enforceable is True
