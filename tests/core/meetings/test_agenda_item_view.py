"""What the projector and the recording screen show of one item (issue 4)."""

from dataclasses import replace
from datetime import timedelta

import pytest
from meeting_day import AT, TODAY
from sqlalchemy import select

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import NotAllowed
from seips_core.models import (
    AgendaItem,
    Decision,
    Exclusion,
    Meeting,
    Placement,
    Provider,
    Pupil,
    Referral,
    School,
    TierChange,
)
from seips_core.queries.agenda_item import agenda_item_view
from seips_core.queries.flags import county_flags
from seips_core.rules.flag import when
from seips_core.services.decisions import DecisionInput, record_decision


def items(engine, meeting_id: int) -> list[AgendaItem]:
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position)
            )
        )


def view(engine, actor, item_id: int, **kwargs):
    with read_session(engine) as session:
        return agenda_item_view(session, actor, item_id, on=TODAY, **kwargs)


def test_progress_and_neighbours_follow_the_agenda_order(county, demo, nw_meeting):
    agenda = items(county, nw_meeting.id)
    viewer = demo(Role.VIEWER)
    first, second, last = (view(county, viewer, i.id) for i in (agenda[0], agenda[1], agenda[-1]))
    assert first.progress == f"item 1 of {len(agenda)}"
    assert (first.previous_item_id, first.next_item_id) == (None, agenda[1].id)
    assert (second.previous_item_id, second.next_item_id) == (agenda[0].id, agenda[2].id)
    assert (last.position, last.next_item_id) == (len(agenda), None)


def test_the_item_shows_history_exclusions_placements_and_the_cases_flags(county, demo, nw_meeting):
    item = items(county, nw_meeting.id)[-1]  # the referral: a pupil on roll
    with write_session("test", county) as session:
        pupil = session.get(Pupil, item.pupil_id)
        earlier = session.scalars(
            select(Meeting)
            .where(
                Meeting.partnership_id == nw_meeting.partnership_id, Meeting.meeting_date < TODAY
            )
            .order_by(Meeting.meeting_date.desc())
        ).first()
        before = AgendaItem(
            meeting_id=earlier.id, position=99, purpose="referral", pupil_id=pupil.id
        )
        session.add(before)
        session.flush()
        session.add(Decision(
            agenda_item_id=before.id, outcome="defer", rationale="Wait for the EP report.",
            decided_by="test", decided_at=AT,
        ))  # fmt: skip
        session.add_all([
            Exclusion(pupil_id=pupil.id, school_id=pupil.school_id, kind="suspension",
                      start_date=TODAY - timedelta(days=20), school_days=5),
            Exclusion(pupil_id=pupil.id, school_id=pupil.school_id, kind="suspension",
                      start_date=TODAY - timedelta(days=10), school_days=35),
            Placement(pupil_id=pupil.id, school_id=pupil.school_id, kind="ap",
                      provider_id=session.scalars(select(Provider.id)).first(),
                      sessions="MonAM MonPM TueAM", hours_per_week=9, start_date=TODAY),
        ])  # fmt: skip
        case_ref, earlier_day = pupil.case_ref, earlier.meeting_date
    shown = view(county, demo(Role.COORDINATOR), item.id)
    assert shown.case_ref == case_ref
    assert ("Defer", "Wait for the EP report.", earlier_day) in {
        (d.outcome_label, d.rationale, d.meeting_date) for d in shown.previous_decisions
    }
    assert shown.suspension_days_this_year >= 40
    assert shown.suspension_limit == 45
    assert {(p.sessions, p.days_a_week) for p in shown.placements} >= {("MonAM MonPM TueAM", 2)}
    with read_session(county) as session:
        tiers = session.scalars(
            select(TierChange.from_date).where(TierChange.pupil_id == item.pupil_id)
        ).all()
        expected = [f for f in county_flags(session, TODAY, "NW") if f.subject == case_ref]
    assert [t.from_date for t in shown.tier_history] == sorted(tiers)
    assert list(shown.flags) == expected
    assert "R25" in {flag.rule for flag in shown.flags}  # 40 of 45 suspension days


def test_the_decision_and_its_version_come_with_the_item(county, demo, nw_meeting):
    item = next(i for i in items(county, nw_meeting.id) if i.purpose == "fair_access")
    coordinator = demo(Role.COORDINATOR)
    before = view(county, coordinator, item.id)
    saved = record_decision(
        county, coordinator, item.id, DecisionInput("defer", "Next meeting."),
        expected_version=before.decision.version if before.decision else None,
    )  # fmt: skip
    after = view(county, coordinator, item.id).decision
    assert (after.id, after.version, after.outcome_label) == (
        saved.decision_id,
        saved.version,
        "Defer",
    )


def test_names_only_for_those_who_may_see_them_and_only_when_asked(county, demo, nw_meeting):
    item = items(county, nw_meeting.id)[0]
    with read_session(county) as session:
        pupil = session.get(Pupil, item.pupil_id)
    full = f"{pupil.first_name} {pupil.last_name}"
    initials = f"{pupil.first_name[0]}. {pupil.last_name[0]}.".upper()
    coordinator = demo(Role.COORDINATOR)
    assert view(county, coordinator, item.id).label == initials
    assert view(county, coordinator, item.id, full_names=True).label == full
    assert view(county, demo(Role.VIEWER), item.id, full_names=True).label == initials
    with pytest.raises(NotAllowed):
        view(county, replace(coordinator, partnerships=frozenset({"HB"})), item.id)


def test_the_item_says_why_it_is_here_in_the_agenda_builders_words(county, demo, nw_meeting):
    with write_session("test", county) as session:
        placement = session.scalars(
            select(Placement)
            .join(School, School.id == Placement.school_id)
            .where(
                School.partnership_id == nw_meeting.partnership_id,
                Placement.kind == "ap",
                Placement.next_review_date.is_not(None),
            )
        ).first()
        session.add(AgendaItem(
            meeting_id=nw_meeting.id, position=99, purpose="ap_review",
            pupil_id=placement.pupil_id, placement_id=placement.id,
        ))  # fmt: skip
        due = placement.next_review_date
    agenda = items(county, nw_meeting.id)
    referral_item = next(i for i in agenda if i.referral_id is not None)
    case_item = next(i for i in agenda if i.fair_access_case_id is not None)
    with read_session(county) as session:
        referral = session.get(Referral, referral_item.referral_id)
        school = session.get(School, referral.school_id).name
    said = {i.id: view(county, demo(Role.COORDINATOR), i.id).reason for i in agenda}
    assert said[referral_item.id].why.startswith("Referral to ")
    assert f"by {school}, received {when(referral.received_date)}" in said[referral_item.id].why
    assert said[referral_item.id].asked == f"The school's summary: {referral.summary}"
    assert said[case_item.id].why.startswith("Fair Access case for Year ")
    assert "now: " in said[case_item.id].why
    assert said[agenda[-1].id].why.endswith(f"due {when(due)} (R11, R26)")
    assert "day" in said[agenda[-1].id].asked and "hours a week" in said[agenda[-1].id].asked
    assert all(reason.why for reason in said.values())
