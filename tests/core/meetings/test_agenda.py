"""The agenda builder on today's NW panel: suggestions with reasons, R15 routing, R4 marks,
no case twice, adding, removing and reordering items (issue 4)."""

import re
from dataclasses import replace

import pytest
from meeting_day import TODAY
from sqlalchemy import select

from seips_core.auth.roles import Role
from seips_core.config import COUNTY_LA
from seips_core.db import read_session, write_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed, RuleViolation
from seips_core.models import FairAccessCase, Partnership, Placement, Pupil, Referral, School
from seips_core.queries.meetings import agenda
from seips_core.services.agenda import (
    add_agenda_item,
    move_agenda_item,
    remove_agenda_item,
    suggest_agenda,
)


def nw_pupil_on_roll(engine, **changes) -> Pupil:
    """A pupil of an NW member school with no EHCP, changed as asked."""
    with write_session("test", engine) as session:
        pupil = session.scalars(
            select(Pupil)
            .join(School, School.id == Pupil.school_id)
            .join(Partnership, Partnership.id == School.partnership_id)
            .where(Partnership.code == "NW", ~Pupil.ehcp, Pupil.home_la == COUNTY_LA)
            .order_by(Pupil.id)
        ).first()
        for name, value in changes.items():
            setattr(pupil, name, value)
        session.flush()
        session.expunge(pupil)
        return pupil


def refer(engine, pupil: Pupil, route: str = "panel") -> int:
    with write_session("test", engine) as session:
        referral = Referral(
            pupil_id=pupil.id, school_id=pupil.school_id, route=route, received_date=TODAY
        )
        session.add(referral)
        session.flush()
        return referral.id


def suggestions(engine, actor, meeting_id):
    with read_session(engine) as session:
        return suggest_agenda(session, actor, meeting_id, on=TODAY)


def test_each_source_is_suggested_with_its_reason(county, demo, nw_meeting):
    pupil = nw_pupil_on_roll(county)
    referral_id = refer(county, pupil)
    with write_session("test", county) as session:
        case = FairAccessCase(
            pupil_id=pupil.id, partnership_id=nw_meeting.partnership_id, year_group=9,
            referred_date=TODAY,
        )  # fmt: skip
        session.add(case)
        session.flush()
        case_id = case.id
    found = suggestions(county, demo(Role.COORDINATOR), nw_meeting.id)
    by_purpose = {s.purpose: s for s in found}
    assert set(by_purpose) == {"referral", "fair_access", "ap_review", "tier4_review"}
    referral = next(s for s in found if s.referral_id == referral_id)
    assert (referral.case_ref, referral.routed_to, referral.marks) == (pupil.case_ref, None, ())
    assert referral.reason.startswith("Referral to the panel by ")
    fair_access = next(s for s in found if s.fair_access_case_id == case_id)
    assert "no school allocated" in fair_access.reason
    with read_session(county) as session:
        for review in (s for s in found if s.purpose == "ap_review"):
            placement = session.get(Placement, review.placement_id)
            assert placement.next_review_date is not None
            assert placement.end_date is None or placement.end_date >= TODAY
    assert all("Tier 4" in s.reason for s in found if s.purpose == "tier4_review")
    assert all(s.label.endswith(".") and pupil.first_name not in s.label for s in found)


def test_an_ehcp_pupil_is_routed_to_the_annual_review_and_cannot_be_added_r15(
    county, demo, nw_meeting
):
    pupil = nw_pupil_on_roll(county, ehcp=True)
    referral_id = refer(county, pupil)
    coordinator = demo(Role.COORDINATOR)
    (routed,) = [s for s in suggestions(county, coordinator, nw_meeting.id)
                 if s.referral_id == referral_id]  # fmt: skip
    assert routed.routed_to == "ehcp_annual_review"
    assert routed.reason == "R15: an EHCP pupil's case goes to the annual review, not the panel"
    with pytest.raises(RuleViolation, match=r"^R15: "):
        add_agenda_item(county, coordinator, nw_meeting.id, routed)


def test_a_city_pupil_referred_to_the_panel_is_marked_to_refer_home_r4(county, demo, nw_meeting):
    pupil = nw_pupil_on_roll(county, home_la="City of Exampleton")
    panel, forum = refer(county, pupil), refer(county, pupil, "managed_move")
    found = {s.referral_id: s for s in suggestions(county, demo(Role.COORDINATOR), nw_meeting.id)}
    assert found[panel].marks == ("R4: refer to the home LA",)
    assert found[forum].marks == ()  # a managed move is not a Tier 4 decision


def test_an_added_case_is_not_suggested_again_nor_added_twice(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    referral_id = refer(county, nw_pupil_on_roll(county))
    (offered,) = [s for s in suggestions(county, coordinator, nw_meeting.id)
                  if s.referral_id == referral_id]  # fmt: skip
    before = [e.item_id for e in agenda_of(county, coordinator, nw_meeting.id)]
    item_id = add_agenda_item(county, coordinator, nw_meeting.id, offered)
    entries = agenda_of(county, coordinator, nw_meeting.id)
    assert [e.item_id for e in entries] == [*before, item_id]
    assert entries[-1].position == len(entries)
    assert referral_id not in {
        s.referral_id for s in suggestions(county, coordinator, nw_meeting.id)
    }
    added_by = rf"\(added by {re.escape(coordinator.display_name)} at \d\d:\d\d\)"
    with pytest.raises(Conflict, match=rf"^Agenda: .* already on this agenda {added_by}"):
        add_agenda_item(county, coordinator, nw_meeting.id, offered)


def agenda_of(engine, actor, meeting_id, **kwargs):
    with read_session(engine) as session:
        return agenda(session, actor, meeting_id, **kwargs)


def test_items_move_and_undecided_ones_come_off_with_the_rest_renumbered(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    entries = agenda_of(county, coordinator, nw_meeting.id)
    last = entries[-1]
    move_agenda_item(county, coordinator, last.item_id, 1)
    moved = agenda_of(county, coordinator, nw_meeting.id)
    assert [e.item_id for e in moved] == [last.item_id] + [e.item_id for e in entries[:-1]]
    assert [e.position for e in moved] == list(range(1, len(entries) + 1))
    undecided = next(e for e in moved if e.decision is None)
    with pytest.raises(Conflict):
        remove_agenda_item(
            county, coordinator, undecided.item_id, expected_version=undecided.version - 1
        )
    remove_agenda_item(county, coordinator, undecided.item_id, expected_version=undecided.version)
    left = agenda_of(county, coordinator, nw_meeting.id)
    assert undecided.item_id not in {e.item_id for e in left}
    assert [e.position for e in left] == list(range(1, len(entries)))
    decided = next(e for e in left if e.decision is not None)
    with pytest.raises(InvalidValue, match="decision recorded"):
        remove_agenda_item(county, coordinator, decided.item_id, expected_version=decided.version)


def test_a_viewer_reads_the_agenda_by_initials_but_may_not_change_it(county, demo, nw_meeting):
    viewer, coordinator = demo(Role.VIEWER), demo(Role.COORDINATOR)
    first = agenda_of(county, viewer, nw_meeting.id, full_names=True)[0]
    named = agenda_of(county, coordinator, nw_meeting.id, full_names=True)[0]
    with read_session(county) as session:
        pupil = session.scalars(select(Pupil).where(Pupil.case_ref == first.case_ref)).one()
    assert first.label == f"{pupil.first_name[0]}. {pupil.last_name[0]}.".upper()
    assert named.label == f"{pupil.first_name} {pupil.last_name}"
    with pytest.raises(NotAllowed):
        move_agenda_item(county, viewer, first.item_id, 2)
    elsewhere = replace(coordinator, partnerships=frozenset({"HB"}))
    with pytest.raises(NotAllowed):
        agenda_of(county, elsewhere, nw_meeting.id)
