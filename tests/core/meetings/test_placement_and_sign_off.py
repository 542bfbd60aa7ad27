"""Agreeing an AP placement, actions, signing the minutes off and amending afterwards (issue 4)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from meeting_day import AT, TODAY, counts, nw_school_other_than, undecided_items, with_pupil
from sqlalchemy import select

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed, Problems
from seips_core.models import (
    Action,
    AuditEntry,
    Decision,
    Meeting,
    Placement,
    Provider,
    Pupil,
)
from seips_core.queries.decisions import current_decision, replaced_decision
from seips_core.services.decisions import DecisionInput, amend_decision, record_decision
from seips_core.services.meetings import add_action, sign_off_minutes


def a_provider(engine) -> Provider:
    with read_session(engine) as session:
        return session.scalars(select(Provider).order_by(Provider.id)).first()


def item_of_a_pupil_on_roll(engine):
    """An undecided item whose pupil is on an NW school's roll (AP is commissioned by it, R17)."""
    item = undecided_items(engine, "fair_access")[0]
    with_pupil(engine, item, school_id=nw_school_other_than(engine, None).id)
    return item


def ap_placement(provider_id: int, sessions: str, **fields) -> DecisionInput:
    defaults = {"hours_per_week": 10.0, "start_date": TODAY + timedelta(days=5)}
    return DecisionInput(
        "agree_ap_placement",
        "Two days a week at the provider while the school rebuilds the timetable.",
        provider_id=provider_id,
        sessions=sessions,
        **{**defaults, **fields},
    )


def test_an_agreed_ap_placement_creates_the_placement_and_warns_when_substantial(county, demo):
    item = item_of_a_pupil_on_roll(county)
    provider = a_provider(county)
    four_days = "MonAM MonPM TueAM TuePM WedAM WedPM ThuAM ThuPM"
    saved = record_decision(
        county, demo(Role.COORDINATOR), item.id,
        ap_placement(provider.id, four_days, hours_per_week=20.0),
        expected_version=None,
    )  # fmt: skip
    rules = {warning.split(":")[0] for warning in saved.warnings}
    assert {"R7", "R9"} <= rules  # 4 days: substantial (R7), no plan or end date (R9)
    with read_session(county) as session:
        decision = session.get(Decision, saved.decision_id)
        placement = session.get(Placement, decision.placement_id)
    assert (placement.pupil_id, placement.provider_id) == (item.pupil_id, provider.id)
    assert (placement.sessions, placement.hours_per_week) == (four_days, 20.0)


def test_changing_the_outcome_before_sign_off_takes_the_placement_back(county, demo):
    item = item_of_a_pupil_on_roll(county)
    coordinator = demo(Role.COORDINATOR)
    first = record_decision(
        county, coordinator, item.id, ap_placement(a_provider(county).id, "MonAM TueAM"),
        expected_version=None,
    )  # fmt: skip
    with read_session(county) as session:
        placement_id = session.get(Decision, first.decision_id).placement_id
    record_decision(
        county, coordinator, item.id, DecisionInput("defer", "Wait for the EP report."),
        expected_version=first.version,
    )  # fmt: skip
    with read_session(county) as session:
        assert session.get(Placement, placement_id) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sessions": ""}, "Sessions"),
        ({"sessions": "MonAM Sat"}, "Sessions"),
        ({"hours_per_week": 0.0}, "Hours a week"),
        ({"start_date": None}, "Start date"),
        ({"planned_end_date": TODAY - timedelta(days=1), "start_date": TODAY}, "Planned end"),
    ],
)
def test_an_ap_placement_missing_a_field_is_refused_naming_it(county, demo, fields, field):
    item = item_of_a_pupil_on_roll(county)
    fields = {"sessions": "MonAM", **fields}
    decision = ap_placement(a_provider(county).id, **fields)
    before = counts(county)
    with pytest.raises(InvalidValue, match=f"^{field}"):
        record_decision(county, demo(Role.COORDINATOR), item.id, decision, expected_version=None)
    assert counts(county) == before


def test_sign_off_locks_decisions_and_a_chairs_amendment_keeps_the_signed_one(
    county, demo, nw_meeting
):
    item = undecided_items(county, "fair_access")[0]
    coordinator, chair = demo(Role.COORDINATOR), demo(Role.CHAIR)
    signed = record_decision(
        county, coordinator, item.id, DecisionInput("defer", "Wait for the EP report."),
        expected_version=None,
    )  # fmt: skip
    with pytest.raises(NotAllowed):
        sign_off_minutes(county, coordinator, nw_meeting.id)
    sign_off_minutes(county, chair, nw_meeting.id, now=AT)
    with read_session(county) as session:
        meeting = session.get(Meeting, nw_meeting.id)
    assert (meeting.status, meeting.signed_off_by, meeting.signed_off_at) == (
        "closed", chair.display_name, AT,
    )  # fmt: skip
    late = DecisionInput("decline", "The EP report came: not for this panel.")
    with pytest.raises(InvalidValue, match=r"^Meeting: its minutes are signed off"):
        record_decision(county, coordinator, item.id, late, expected_version=signed.version)
    with pytest.raises(NotAllowed):
        amend_decision(county, coordinator, item.id, late, expected_version=signed.version)
    amended = amend_decision(county, chair, item.id, late, expected_version=signed.version)
    with read_session(county) as session:
        kept = session.get(Decision, signed.decision_id)
        now_standing = current_decision(session, item.id)
        replaced = replaced_decision(session, now_standing)
        audited = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.table_name == "decision", AuditEntry.row_id == amended.decision_id
            )
        ).all()
    assert (kept.outcome, kept.version) == ("defer", signed.version)
    assert (now_standing.id, now_standing.outcome) == (amended.decision_id, "decline")
    assert replaced.id == signed.decision_id
    assert audited == [chair.email]


def test_amending_is_only_for_signed_off_minutes(county, demo):
    item = undecided_items(county, "fair_access")[0]
    with pytest.raises(InvalidValue, match=r"^Meeting: its minutes are not signed off"):
        amend_decision(
            county, demo(Role.CHAIR), item.id, DecisionInput("defer", "Later."),
            expected_version=None,
        )  # fmt: skip


def test_actions_are_recorded_with_owner_and_due_date_and_refused_without(county, demo, nw_meeting):
    item = undecided_items(county, "fair_access")[0]
    coordinator = demo(Role.COORDINATOR)
    due = TODAY + timedelta(days=14)
    action_id = add_action(
        county, coordinator, nw_meeting.id, item.id, "Send the EP report", "SENCO", due
    )
    with read_session(county) as session:
        action = session.get(Action, action_id)
    assert (action.description, action.owner, action.due_date) == (
        "Send the EP report",
        "SENCO",
        due,
    )
    with pytest.raises(InvalidValue, match=r"^Owner"):
        add_action(county, coordinator, nw_meeting.id, None, "Chase the school", " ", due)
    with pytest.raises(InvalidValue, match=r"^Due date"):
        add_action(county, coordinator, nw_meeting.id, None, "Chase", "Chair", date(2020, 1, 1))
    with pytest.raises(NotAllowed):
        add_action(county, demo(Role.VIEWER), nw_meeting.id, None, "Chase", "Chair", due)


# --- R8: agreeing a placement at a provider that reaches the illegal-school threshold ----------

FOUR_DAYS = "MonAM MonPM TueAM TuePM WedAM WedPM ThuAM ThuPM"


def unregistered_provider_with(engine, pupils_already: int, *, besides: int) -> Provider:
    """A new unregistered AP, trained (no R10), giving ``pupils_already`` other NW pupils
    (neither LAC nor EHCP, not pupil ``besides``) four days a week from before today (R7)."""
    with write_session("test", engine) as session:
        provider = Provider(
            name="Brookside Test AP", staff_training_date=TODAY, dsl_training_date=TODAY
        )
        session.add(provider)
        others = session.scalars(
            select(Pupil)
            .where(
                Pupil.school_id.is_not(None),
                Pupil.lac_status == "none",
                Pupil.ehcp.is_(False),
                Pupil.id != besides,
            )
            .order_by(Pupil.id)
            .limit(pupils_already)
        ).all()
        session.flush()
        for pupil in others:
            session.add(
                Placement(
                    pupil_id=pupil.id, provider_id=provider.id, school_id=pupil.school_id,
                    sessions=FOUR_DAYS, hours_per_week=20.0,
                    start_date=TODAY - timedelta(days=20),
                )
            )  # fmt: skip
    return provider


@pytest.mark.parametrize(("already", "warned"), [(3, True), (2, False)])
def test_a_substantial_placement_reaching_the_threshold_of_four_warns_r8(
    county, demo, already, warned
):
    """The sample's r8_threshold is the partnerships' 4: the fourth pupil raises R8."""
    item = item_of_a_pupil_on_roll(county)
    with_pupil(county, item, lac_status="none", ehcp=False)
    provider = unregistered_provider_with(county, already, besides=item.pupil_id)
    saved = record_decision(
        county, demo(Role.COORDINATOR), item.id,
        ap_placement(provider.id, FOUR_DAYS, hours_per_week=20.0), expected_version=None,
    )  # fmt: skip
    r8 = [warning for warning in saved.warnings if warning.startswith("R8:")]
    if warned:
        assert r8 == [
            "R8: Brookside Test AP: May be acting as an unregistered school: substantial "
            "provision to 4 pupils (limit: 4 or more, the partnerships' guidance; the statute "
            "says 5)"
        ]
    else:
        assert r8 == []
        assert "R7" in {warning.split(":")[0] for warning in saved.warnings}  # still substantial


def test_one_looked_after_pupil_in_substantial_provision_warns_r8_at_once(county, demo):
    item = item_of_a_pupil_on_roll(county)
    with_pupil(county, item, lac_status="own_la", ehcp=False)
    provider = unregistered_provider_with(county, 0, besides=item.pupil_id)
    saved = record_decision(
        county, demo(Role.COORDINATOR), item.id,
        ap_placement(provider.id, FOUR_DAYS, hours_per_week=20.0), expected_version=None,
    )  # fmt: skip
    (r8,) = [warning for warning in saved.warnings if warning.startswith("R8:")]
    assert "Brookside Test AP" in r8
    assert "1 looked-after or EHCP pupil" in r8


def test_every_problem_of_a_decision_is_said_at_once_and_nothing_is_written(county, demo):
    """Issue 15: a rationale left empty, no provider and no half-day ticked are three problems
    in one refusal, each naming its field on the form."""
    item = item_of_a_pupil_on_roll(county)
    decision = replace(ap_placement(None, ""), rationale="  ")
    before = counts(county)
    with pytest.raises(Problems) as refused:
        record_decision(county, demo(Role.COORDINATOR), item.id, decision, expected_version=None)
    assert [(problem.field, problem.rule) for problem in refused.value.problems] == [
        ("Rationale", None), ("AP provider", None), ("Sessions", "R7"),
    ]  # fmt: skip
    assert counts(county) == before
