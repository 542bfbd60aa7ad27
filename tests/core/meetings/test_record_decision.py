"""Recording a panel decision on the sample county's meeting today (issue 4): rules first."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from meeting_day import AT, TODAY, counts, nw_school_other_than, undecided_items, with_pupil
from sqlalchemy import select

from seips_core.auth.local_time import clock_time
from seips_core.auth.roles import Role
from seips_core.config import COUNTY_LA
from seips_core.db import read_session, write_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed, Problems, RuleViolation
from seips_core.models import (
    AgendaItem,
    AuditEntry,
    Decision,
    FairAccessCase,
    Pupil,
    TierChange,
)
from seips_core.queries.flags import county_flags
from seips_core.services.decisions import DecisionInput, record_decision


def test_a_fair_access_allocation_is_saved_audited_and_marked_unenforceable_r13a(county, demo):
    """Today's NW panel left a member school un-notified (planted): the allocation is saved,
    with the R13a warning, as unenforceable; the case records the school and the told days (R13)."""
    item = undecided_items(county, "fair_access")[0]
    school = nw_school_other_than(county, None)
    saved = record_decision(
        county,
        demo(Role.COORDINATOR),
        item.id,
        DecisionInput(
            "allocate_fair_access",
            "Nearest school with a Year 9 place; furthest below its fair share.",
            school_id=school.id,
            school_told_date=TODAY,
            admissions_told_date=TODAY,
            suggestion="1. Oakfield Academy; 2. Brook School",
        ),
        expected_version=None,
        now=AT,
    )
    assert saved.enforceable is False
    assert [w[:5] for w in saved.warnings] == ["R13a:"]
    with read_session(county) as session:
        decision = session.get(Decision, saved.decision_id)
        case = session.scalars(
            select(FairAccessCase).where(FairAccessCase.id == item.fair_access_case_id)
        ).one()
        audit = session.scalars(
            select(AuditEntry).where(
                AuditEntry.table_name == "decision", AuditEntry.row_id == saved.decision_id
            )
        ).all()
    assert (decision.outcome, decision.enforceable, decision.decided_by) == (
        "allocate_fair_access", False, "coordinator@demo.seips.example",
    )  # fmt: skip
    assert (case.allocated_school_id, case.decision_date) == (school.id, TODAY)
    assert (case.school_told_date, case.admissions_told_date) == (TODAY, TODAY)
    # R23: the panel decided; what the dashboard suggested is kept beside the decision.
    assert decision.suggestion == "1. Oakfield Academy; 2. Brook School"
    assert [entry.actor for entry in audit] == ["coordinator@demo.seips.example"]


def managed_move(**agreements: bool) -> DecisionInput:
    return DecisionInput("agree_managed_move", "A fresh start closer to home.", **agreements)


@pytest.mark.parametrize(
    "missing", ["parents_agree", "home_school_agrees", "receiving_school_agrees"]
)
def test_a_managed_move_without_every_agreement_is_refused_and_nothing_saved_r16(
    county, demo, missing
):
    item = undecided_items(county, "fair_access")[0]
    with read_session(county) as session:
        own_school = session.get(Pupil, item.pupil_id).school_id
    agreements = {
        "parents_agree": True, "home_school_agrees": True, "receiving_school_agrees": True,
    }  # fmt: skip
    decision = replace(
        managed_move(**{**agreements, missing: False}),
        school_id=nw_school_other_than(county, own_school).id,
    )
    before = counts(county)
    with pytest.raises(Problems, match=r"agrees?: .*it needs all three .*\(R16\)") as refused:
        record_decision(county, demo(Role.COORDINATOR), item.id, decision, expected_version=None)
    assert [problem.rule for problem in refused.value.problems] == ["R16"]
    assert counts(county) == before


def test_the_second_of_two_saves_on_one_item_is_refused_with_who_and_when(county, demo):
    item = undecided_items(county, "fair_access")[0]
    coordinator, chair = demo(Role.COORDINATOR), demo(Role.CHAIR)
    first = record_decision(
        county, coordinator, item.id, DecisionInput("defer", "Waiting for the EP report."),
        expected_version=None, now=AT,
    )  # fmt: skip
    with read_session(county) as session:
        saved_at = session.scalars(
            select(AuditEntry.at).where(
                AuditEntry.table_name == "decision", AuditEntry.row_id == first.decision_id
            )
        ).one()
    # The chair opened the item before the co-ordinator saved: they saw no decision.
    expected = f"Changed by Demo Co-ordinator at {clock_time(saved_at)}: reload"
    with pytest.raises(Conflict, match=f"^{expected}"):
        record_decision(
            county, chair, item.id, DecisionInput("decline", "Not for this panel."),
            expected_version=None,
        )  # fmt: skip
    with read_session(county) as session:
        kept = session.get(Decision, first.decision_id)
    assert (kept.outcome, kept.rationale) == ("defer", "Waiting for the EP report.")
    # Reloaded, the chair changes it on purpose: allowed, and the version moves on.
    again = record_decision(
        county, chair, item.id, DecisionInput("decline", "Not for this panel."),
        expected_version=first.version,
    )  # fmt: skip
    assert again.version == first.version + 1


def test_a_viewer_or_another_partnerships_co_ordinator_may_not_record(county, demo):
    item = undecided_items(county, "fair_access")[0]
    defer = DecisionInput("defer", "Next meeting.")
    with pytest.raises(NotAllowed):
        record_decision(county, demo(Role.VIEWER), item.id, defer, expected_version=None)
    elsewhere = replace(demo(Role.COORDINATOR), partnerships=frozenset({"HB"}))
    with pytest.raises(NotAllowed):
        record_decision(county, elsewhere, item.id, defer, expected_version=None)
    assert undecided_items(county, "fair_access")[0].id == item.id


def test_tier_4_for_a_pupil_on_no_schools_roll_is_refused_r2(county, demo):
    item = undecided_items(county, "fair_access")[0]
    with_pupil(county, item, school_id=None)
    before = counts(county)
    with pytest.raises(RuleViolation, match=r"^R2: "):
        record_decision(
            county, demo(Role.COORDINATOR), item.id,
            DecisionInput("programme_manage_tier4", "Full-time programme needed."),
            expected_version=None,
        )  # fmt: skip
    assert counts(county) == before


def test_a_decision_needs_its_reason(county, demo):
    item = undecided_items(county, "fair_access")[0]
    with pytest.raises(InvalidValue, match=r"^Rationale: "):
        record_decision(
            county, demo(Role.COORDINATOR), item.id, DecisionInput("defer", "   "),
            expected_version=None,
        )  # fmt: skip


def test_an_ehcp_pupil_goes_to_the_annual_review_not_the_panel_r15(county, demo):
    item = undecided_items(county, "fair_access")[0]
    with_pupil(county, item, ehcp=True)
    coordinator = demo(Role.COORDINATOR)
    with pytest.raises(Problems, match=r"^Outcome: .*\(R15\)"):
        record_decision(
            county, coordinator, item.id, DecisionInput("decline", "No."), expected_version=None
        )
    routed = record_decision(
        county, coordinator, item.id,
        DecisionInput("route_ehcp_annual_review", "The SENCO holds the annual review."),
        expected_version=None,
    )  # fmt: skip
    assert routed.warnings == ()


def test_tier_4_for_a_city_pupil_starts_tier_4_today_and_warns_to_refer_home_r4(county, demo):
    item = undecided_items(county, "fair_access")[0]
    on_roll_at = nw_school_other_than(county, None).id
    with_pupil(county, item, home_la="City of Exampleton", school_id=on_roll_at)
    assert COUNTY_LA != "City of Exampleton"
    saved = record_decision(
        county, demo(Role.COORDINATOR), item.id,
        DecisionInput("programme_manage_tier4", "Full-time programme needed now."),
        expected_version=None,
    )  # fmt: skip
    assert [w[:3] for w in saved.warnings] == ["R4:"]
    with read_session(county) as session:
        tiers = session.scalars(
            select(TierChange)
            .where(TierChange.pupil_id == item.pupil_id)
            .order_by(TierChange.from_date)
        ).all()
    assert (tiers[-1].tier, tiers[-1].from_date, tiers[-1].to_date) == (4, TODAY, None)
    assert tiers[-1].school_id == on_roll_at  # R2: the school on roll
    assert all(t.to_date is not None for t in tiers[:-1])


def test_an_amended_decision_no_longer_raises_its_flag_r16(county):
    """The planted managed move without consent (R16) is put right by an amendment."""
    with read_session(county) as session:
        (r16,) = [f for f in county_flags(session, TODAY) if f.rule == "R16"]
        wrong = session.scalars(
            select(Decision)
            .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
            .join(Pupil, Pupil.id == AgendaItem.pupil_id)
            .where(Pupil.case_ref == r16.subject, Decision.outcome == "agree_managed_move")
        ).one()
    with write_session("test", county) as session:
        session.add(
            Decision(
                agenda_item_id=wrong.agenda_item_id, amends_decision_id=wrong.id,
                outcome="defer", rationale="Parents have not agreed yet.",
                decided_by="test", decided_at=AT,
            )
        )  # fmt: skip
    with read_session(county) as session:
        assert [f for f in county_flags(session, TODAY) if f.rule == "R16"] == []


# --- R5/R6: a Tier 4 decision changed before sign-off takes its Tier 4 period back ------------

TIER4 = DecisionInput("programme_manage_tier4", "Full-time programme needed now.")
DEFER = DecisionInput("defer", "Wait for the EP report before Tier 4.")


def tier_history(engine, pupil_id: int) -> list[tuple[int, int, date, date | None]]:
    """The pupil's periods as the agenda shows them: (tier, school, from, to), oldest first."""
    with read_session(engine) as session:
        rows = session.scalars(
            select(TierChange)
            .where(TierChange.pupil_id == pupil_id)
            .order_by(TierChange.from_date, TierChange.id)
        ).all()
    return [(row.tier, row.school_id, row.from_date, row.to_date) for row in rows]


def item_with_open_tier(engine, tier: int, since: date) -> AgendaItem:
    """An undecided item whose pupil is on an NW roll and at ``tier`` from ``since`` (open)."""
    item = undecided_items(engine, "fair_access")[0]
    school_id = nw_school_other_than(engine, None).id
    with_pupil(engine, item, school_id=school_id)
    with write_session("test", engine) as session:
        for period in session.scalars(
            select(TierChange).where(TierChange.pupil_id == item.pupil_id)
        ):
            session.delete(period)
        session.flush()
        session.add(
            TierChange(
                pupil_id=item.pupil_id, school_id=school_id, tier=2,
                from_date=since - timedelta(days=200), to_date=since,
            )
        )  # fmt: skip
        session.add(
            TierChange(pupil_id=item.pupil_id, school_id=school_id, tier=tier, from_date=since)
        )
    return item


def test_re_saving_tier_4_as_defer_before_sign_off_puts_the_tier_history_back_r6(county, demo):
    item = item_with_open_tier(county, 3, TODAY - timedelta(days=30))
    before = tier_history(county, item.pupil_id)
    coordinator = demo(Role.COORDINATOR)
    first = record_decision(county, coordinator, item.id, TIER4, expected_version=None)
    started = tier_history(county, item.pupil_id)
    assert started[-2][3] == TODAY  # the tier 3 period closed on the meeting day
    assert started[-1][0::2] == (4, TODAY)
    again = record_decision(county, coordinator, item.id, DEFER, expected_version=first.version)
    assert tier_history(county, item.pupil_id) == before  # tier 3 open again, no Tier 4
    assert again.warnings == ()


def test_re_saving_tier_4_for_a_pupil_already_at_tier_4_leaves_the_history_r6(county, demo):
    item = item_with_open_tier(county, 4, TODAY - timedelta(days=30))
    before = tier_history(county, item.pupil_id)
    coordinator = demo(Role.COORDINATOR)
    first = record_decision(county, coordinator, item.id, TIER4, expected_version=None)
    again = record_decision(county, coordinator, item.id, DEFER, expected_version=first.version)
    assert tier_history(county, item.pupil_id) == before  # Tier 4 from before the meeting stays
    assert again.warnings == ()


def test_a_tier_set_on_the_meeting_day_and_made_tier_4_in_place_is_left_with_a_warning_r6(
    county, demo
):
    """The tier the decision overwrote in place is not known, so nothing is guessed."""
    item = item_with_open_tier(county, 3, TODAY)
    coordinator = demo(Role.COORDINATOR)
    first = record_decision(county, coordinator, item.id, TIER4, expected_version=None)
    in_place = tier_history(county, item.pupil_id)
    assert in_place[-1][0::2] == (4, TODAY)
    again = record_decision(county, coordinator, item.id, DEFER, expected_version=first.version)
    assert tier_history(county, item.pupil_id) == in_place
    assert [w[:3] for w in again.warnings] == ["R6:"]
    assert "tier history" in again.warnings[0]
