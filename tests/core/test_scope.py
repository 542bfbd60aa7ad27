"""Reach across partnerships (issue 11): every id a service or query takes is checked against
the actor's partnerships (``auth.scope``), not only the first one.

The store has two partnerships, NW and HB, each with a school, a pupil, a referral, a
meeting with an invitation, an agenda item, a placement; HB also has a decision, an action and
an unplaced Fair Access child. HB's children carry names no NW user may ever read. A
co-ordinator (and a chair) of NW then hands every service and query every HB id: each call is
refused with ``NotAllowed``, writes nothing (not one row, not one audit entry) and says no HB
child's name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from query_store import ON, QueryStore
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from seips_core.auth.roles import SYSTEM_ACTOR, Actor, Role
from seips_core.auth.scope import in_scope, item_in_scope, partnerships_in_scope, pupil_partnerships
from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed, RuleViolation
from seips_core.minutes.content import minutes_content
from seips_core.models import (
    Action,
    AgendaItem,
    Decision,
    Exclusion,
    FairAccessCase,
    Meeting,
    MeetingInvitation,
    Placement,
    Provider,
    Pupil,
    Referral,
    School,
)
from seips_core.queries.actions import carried_forward, meeting_actions, overdue_actions
from seips_core.queries.agenda_item import agenda_item_view
from seips_core.queries.agenda_suggestions import suggest_agenda
from seips_core.queries.allocation_suggestion import suggest_schools
from seips_core.queries.audit import case_history
from seips_core.queries.fair_access_cases import fair_access_cases
from seips_core.queries.meeting_glance import meeting_glance
from seips_core.queries.meetings import (
    agenda,
    invitations,
    meeting_detail,
    meeting_quorum,
    meetings_of,
)
from seips_core.queries.partnerships import quorum_setting
from seips_core.queries.placements import placements_list
from seips_core.queries.pupils import pupils_on_roll
from seips_core.queries.schools import school_choices
from seips_core.queries.tiers import tier_counts
from seips_core.queries.trends import tier_trend
from seips_core.services.agenda import (
    AgendaFields,
    add_agenda_item,
    move_agenda_item,
    remove_agenda_item,
)
from seips_core.services.decisions import DecisionInput, amend_decision, record_decision
from seips_core.services.meetings import (
    add_action,
    edit_action,
    set_action_done,
    set_attendance,
    set_notified,
    set_quorum,
    sign_off_minutes,
)
from seips_core.services.placements import (
    PlacementInput,
    end_placement,
    preview_placement,
    record_review,
    save_placement,
)
from seips_core.services.pupils import take_off_roll

#: What HB's children are called: never in anything an NW user is given.
SECRET_NAMES = ("Hiddenfirst", "Hiddenlast")
TERM_START = date(2025, 9, 1)

NW_COORDINATOR = Actor("co@nw.example", "NW co-ordinator", Role.COORDINATOR, frozenset({"NW"}))
NW_CHAIR = Actor("chair@nw.example", "NW chair", Role.CHAIR, frozenset({"NW"}))
HB_COORDINATOR = Actor("co@hb.example", "HB co-ordinator", Role.COORDINATOR, frozenset({"HB"}))
ADMIN = SYSTEM_ACTOR("test admin")


@dataclass(frozen=True)
class Ids:
    nw_school: int
    nw_pupil: int
    nw_referral: int
    nw_meeting: int
    nw_item: int
    hb_school: int
    hb_pupil: int
    hb_case_ref: str
    hb_referral: int
    hb_meeting: int
    hb_invitation: int
    hb_item: int
    hb_decision: int
    hb_action: int
    hb_placement: int
    #: An unplaced child with an open HB Fair Access case (no school at all).
    hb_fair_access_case: int
    hb_fair_access_pupil: int
    #: HB's pupil on NW's meeting, as the attack left it (written here past the services).
    planted_item: int
    #: A pupil who was at NW's school on NW's meeting day and is on HB's roll now.
    moved_item: int
    provider: int


def _secret(pupil: Pupil) -> Pupil:
    pupil.first_name, pupil.last_name = SECRET_NAMES
    return pupil


def _meeting(add: QueryStore, partnership_id: int, school: School) -> tuple[Meeting, int]:
    meeting = add._add(Meeting(partnership_id=partnership_id, meeting_date=ON))
    invitation = add._add(
        MeetingInvitation(
            meeting_id=meeting.id, school_id=school.id, notified_date=ON - timedelta(7)
        )
    )
    return meeting, invitation.id


def _item(add: QueryStore, meeting: Meeting, pupil: Pupil, referral: Referral | None) -> int:
    return add._add(
        AgendaItem(
            meeting_id=meeting.id,
            position=meeting.id * 10 + pupil.id,
            purpose="referral",
            pupil_id=pupil.id,
            referral_id=referral.id if referral else None,
        )
    ).id


def build(engine: Engine) -> Ids:
    with write_session("test setup", engine) as session:
        add = QueryStore(session)
        nw, hb = add.partnership("NW"), add.partnership("HB")
        nw_school, hb_school = add.school(nw), add.school(hb)
        nw_referral = add.referral(nw_school, ON - timedelta(30))
        hb_referral = add.referral(hb_school, ON - timedelta(30))
        nw_pupil = session.get(Pupil, nw_referral.pupil_id)
        hb_pupil = _secret(session.get(Pupil, hb_referral.pupil_id))
        add.move(nw_pupil, nw_school, 3, TERM_START)
        add.move(hb_pupil, hb_school, 3, TERM_START)
        provider = add._add(Provider(name="Shared Skills Centre"))
        hb_placement = add._add(
            Placement(
                pupil_id=hb_pupil.id, provider_id=provider.id, school_id=hb_school.id,
                sessions="MonAM", hours_per_week=3, start_date=ON - timedelta(14),
            )
        )  # fmt: skip
        fa_case = add.fair_access(hb, hb_school, accepted=ON - timedelta(5))
        fa_pupil = _secret(session.get(Pupil, fa_case.pupil_id))
        fa_pupil.school_id = None  # unplaced: R13 makes the case's partnership responsible
        nw_meeting, _ = _meeting(add, nw.id, nw_school)
        hb_meeting, hb_invitation = _meeting(add, hb.id, hb_school)
        hb_item = _item(add, hb_meeting, hb_pupil, hb_referral)
        moved = add.pupil(hb_school)
        add.move(moved, nw_school, 3, TERM_START, ON + timedelta(1))
        add.move(moved, hb_school, 3, ON + timedelta(1))
        decision = add._add(
            Decision(
                agenda_item_id=hb_item, outcome="defer", rationale="Next term",
                decided_by="co@hb.example", decided_at=datetime(2026, 3, 2, 11, tzinfo=UTC),
            )
        )  # fmt: skip
        action = add._add(
            Action(meeting_id=hb_meeting.id, description="Call", owner="HB", due_date=ON)
        )
        return Ids(
            nw_school=nw_school.id,
            nw_pupil=nw_pupil.id,
            nw_referral=nw_referral.id,
            nw_meeting=nw_meeting.id,
            nw_item=_item(add, nw_meeting, nw_pupil, nw_referral),
            hb_school=hb_school.id,
            hb_pupil=hb_pupil.id,
            hb_case_ref=hb_pupil.case_ref,
            hb_referral=hb_referral.id,
            hb_meeting=hb_meeting.id,
            hb_invitation=hb_invitation,
            hb_item=hb_item,
            hb_decision=decision.id,
            hb_action=action.id,
            hb_placement=hb_placement.id,
            hb_fair_access_case=fa_case.id,
            hb_fair_access_pupil=fa_pupil.id,
            planted_item=_item(add, nw_meeting, hb_pupil, None),
            moved_item=_item(add, nw_meeting, moved, None),
            provider=provider.id,
        )


@pytest.fixture
def ids(engine) -> Ids:
    return build(engine)


def every_row(engine: Engine) -> dict[str, list[tuple]]:
    """The whole store, audit trail included: equal before and after means nothing written."""
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(select(table))]
            for table in SQLModel.metadata.sorted_tables
        }


def _read(query: Callable, *args, **kwargs) -> Callable[[Engine], object]:
    def run(engine: Engine) -> object:
        with read_session(engine) as session:
            return query(session, *args, **kwargs)

    return run


def _placement(ids: Ids, pupil: int, **changes) -> PlacementInput:
    return PlacementInput(
        pupil_id=pupil, provider_id=ids.provider, sessions="MonAM", hours_per_week=3,
        start_date=ON, **changes,
    )  # fmt: skip


DEFER = DecisionInput(outcome="defer", rationale="Next term")

#: (what is tried, the call as NW's co-ordinator or chair, given the store's ids).
ATTEMPTS: list[tuple[str, Callable[[Ids], Callable[[Engine], object]]]] = [
    # The reported attack, then each other id add_agenda_item takes.
    ("add HB's pupil to NW's meeting", lambda i: lambda e: add_agenda_item(
        e, NW_COORDINATOR, i.nw_meeting, AgendaFields("referral", i.hb_pupil))),
    ("add NW's pupil with HB's referral", lambda i: lambda e: add_agenda_item(
        e, NW_COORDINATOR, i.nw_meeting,
        AgendaFields("referral", i.nw_pupil, referral_id=i.hb_referral))),
    ("add NW's pupil with HB's Fair Access case", lambda i: lambda e: add_agenda_item(
        e, NW_COORDINATOR, i.nw_meeting,
        AgendaFields("fair_access", i.nw_pupil, fair_access_case_id=i.hb_fair_access_case))),
    ("add NW's pupil with HB's placement", lambda i: lambda e: add_agenda_item(
        e, NW_COORDINATOR, i.nw_meeting,
        AgendaFields("ap_review", i.nw_pupil, placement_id=i.hb_placement))),
    ("add HB's unplaced Fair Access child", lambda i: lambda e: add_agenda_item(
        e, NW_COORDINATOR, i.nw_meeting, AgendaFields("fair_access", i.hb_fair_access_pupil))),
    ("add NW's pupil to HB's meeting", lambda i: lambda e: add_agenda_item(
        e, NW_COORDINATOR, i.hb_meeting, AgendaFields("referral", i.nw_pupil))),
    ("remove HB's item", lambda i: lambda e: remove_agenda_item(
        e, NW_COORDINATOR, i.hb_item, expected_version=1)),
    ("move HB's item", lambda i: lambda e: move_agenda_item(e, NW_COORDINATOR, i.hb_item, 1)),
    ("tick HB's attendance", lambda i: lambda e: set_attendance(
        e, NW_COORDINATOR, i.hb_meeting, i.hb_school, True, expected_version=1)),
    ("tick HB's school at NW's meeting", lambda i: lambda e: set_attendance(
        e, NW_COORDINATOR, i.nw_meeting, i.hb_school, True, expected_version=1)),
    ("notify HB's school of NW's meeting", lambda i: lambda e: set_notified(
        e, NW_COORDINATOR, i.nw_meeting, i.hb_school, ON)),
    ("an action on HB's meeting", lambda i: lambda e: add_action(
        e, NW_COORDINATOR, i.hb_meeting, None, "Call", "NW", ON)),
    ("an action on HB's item", lambda i: lambda e: add_action(
        e, NW_COORDINATOR, i.nw_meeting, i.hb_item, "Call", "NW", ON)),
    ("an action on the planted item", lambda i: lambda e: add_action(
        e, NW_COORDINATOR, i.nw_meeting, i.planted_item, "Call", "NW", ON)),
    ("edit HB's action", lambda i: lambda e: edit_action(
        e, NW_COORDINATOR, i.hb_action, description="Mine", owner="NW", due_date=ON,
        expected_version=1)),
    ("tick HB's action done", lambda i: lambda e: set_action_done(
        e, NW_COORDINATOR, i.hb_action, True, expected_version=1, on=ON)),
    ("set HB's quorum", lambda i: lambda e: set_quorum(e, NW_CHAIR, "HB", 1, expected_version=1)),
    ("sign off HB's minutes", lambda i: lambda e: sign_off_minutes(e, NW_CHAIR, i.hb_meeting)),
    ("decide HB's item", lambda i: lambda e: record_decision(
        e, NW_COORDINATOR, i.hb_item, DEFER, expected_version=1)),
    ("decide the planted item", lambda i: lambda e: record_decision(
        e, NW_COORDINATOR, i.planted_item, DEFER, expected_version=None)),
    ("a managed move to HB's school", lambda i: lambda e: record_decision(
        e, NW_COORDINATOR, i.nw_item,
        DecisionInput("agree_managed_move", "Fresh start", school_id=i.hb_school,
                      parents_agree=True, home_school_agrees=True, receiving_school_agrees=True),
        expected_version=None)),
    ("amend HB's decision", lambda i: lambda e: amend_decision(
        e, NW_CHAIR, i.hb_item, DEFER, expected_version=1)),
    ("place HB's pupil", lambda i: lambda e: save_placement(
        e, NW_COORDINATOR, None, _placement(i, i.hb_pupil), expected_version=None, on=ON)),
    ("preview HB's pupil", lambda i: lambda e: preview_placement(
        e, NW_COORDINATOR, None, _placement(i, i.hb_pupil), on=ON)),
    ("change HB's placement", lambda i: lambda e: save_placement(
        e, NW_COORDINATOR, i.hb_placement, _placement(i, i.hb_pupil), expected_version=1, on=ON)),
    ("NW's pupil commissioned by HB's school", lambda i: lambda e: save_placement(
        e, NW_COORDINATOR, None, _placement(i, i.nw_pupil, school_id=i.hb_school),
        expected_version=None, on=ON)),
    ("review HB's placement", lambda i: lambda e: record_review(
        e, NW_COORDINATOR, i.hb_placement, reviewed_on=ON, next_review_date=ON + timedelta(7),
        expected_version=1)),
    ("end HB's placement", lambda i: lambda e: end_placement(
        e, NW_COORDINATOR, i.hb_placement, ended_on=ON, expected_version=1)),
    ("take HB's pupil off roll", lambda i: lambda e: take_off_roll(
        e, NW_COORDINATOR, i.hb_pupil, reason="missing", on=ON)),
    # The reported read, and every other query that takes an id or a partnership.
    ("read the planted item", lambda i: _read(
        agenda_item_view, NW_COORDINATOR, i.planted_item, on=ON, full_names=True)),
    ("read HB's item", lambda i: _read(
        agenda_item_view, NW_COORDINATOR, i.hb_item, on=ON, full_names=True)),
    ("HB's agenda", lambda i: _read(agenda, NW_COORDINATOR, i.hb_meeting, full_names=True)),
    ("HB's meeting", lambda i: _read(meeting_detail, NW_COORDINATOR, i.hb_meeting)),
    ("HB's invitations as NW's", lambda i: _read(
        invitations, NW_COORDINATOR, "NW", i.hb_meeting)),
    ("HB's invitations", lambda i: _read(invitations, NW_COORDINATOR, "HB", i.hb_meeting)),
    ("HB's agenda suggestions", lambda i: _read(
        suggest_agenda, NW_COORDINATOR, i.hb_meeting, on=ON)),
    ("schools for HB's case", lambda i: _read(
        suggest_schools, NW_COORDINATOR, i.hb_fair_access_case, on=ON)),
    ("HB's minutes", lambda i: _read(minutes_content, NW_CHAIR, i.hb_meeting, full_names=True)),
    ("tiers of HB's school", lambda i: _read(
        tier_counts, NW_COORDINATOR, "NW", on=ON, school_id=i.hb_school)),
    ("trend of HB's school", lambda i: _read(
        tier_trend, NW_COORDINATOR, "NW", end=ON, school_id=i.hb_school)),
    ("HB pupil's audit", lambda i: _read(case_history, NW_CHAIR, i.hb_case_ref)),
    ("HB's meetings", lambda i: _read(meetings_of, NW_COORDINATOR, "HB")),
    ("HB's meeting's actions", lambda i: _read(meeting_actions, NW_COORDINATOR, i.hb_meeting)),
    ("HB's overdue actions", lambda i: _read(overdue_actions, NW_COORDINATOR, "HB", on=ON)),
    ("HB's actions carried forward", lambda i: _read(
        carried_forward, NW_COORDINATOR, i.hb_meeting)),
    ("HB's meeting's quorum", lambda i: _read(meeting_quorum, NW_COORDINATOR, i.hb_meeting)),
    ("HB's quorum setting", lambda i: _read(quorum_setting, NW_CHAIR, "HB")),
    ("HB's meeting at a glance", lambda i: _read(meeting_glance, NW_COORDINATOR, "HB", on=ON)),
    ("HB's pupils", lambda i: _read(pupils_on_roll, NW_COORDINATOR, "HB", full_names=True)),
    ("HB's placements", lambda i: _read(
        placements_list, NW_COORDINATOR, "HB", on=ON, full_names=True)),
    ("HB's Fair Access cases", lambda i: _read(
        fair_access_cases, NW_COORDINATOR, "HB", on=ON, full_names=True)),
    ("HB's schools", lambda i: _read(school_choices, NW_COORDINATOR, "HB")),
    ("HB as a user's partnership", lambda i: _read(
        partnerships_in_scope, NW_COORDINATOR, ["HB"])),
]  # fmt: skip


@pytest.mark.parametrize(("attempt", "call"), ATTEMPTS, ids=[name for name, _ in ATTEMPTS])
def test_every_id_of_another_partnership_is_refused_and_nothing_is_written(
    engine, ids, attempt, call
):
    before = every_row(engine)
    with pytest.raises(NotAllowed) as refused:
        call(ids)(engine)
    message = str(refused.value)
    assert "You are a co-ordinator of NW" in message or "You are a chair of NW" in message
    assert not any(name in message for name in SECRET_NAMES), message
    assert every_row(engine) == before


def test_the_attack_is_refused_yet_the_same_calls_work_within_the_partnership(engine, ids):
    """The refusals above are about whose ids they are: NW's own go through, HB's for HB."""
    item = add_agenda_item(
        engine, NW_COORDINATOR, ids.nw_meeting, AgendaFields("tier4_review", ids.nw_pupil)
    )
    with read_session(engine) as session:
        assert agenda_item_view(session, NW_COORDINATOR, item, on=ON).case_ref.startswith("T-")
        seen = agenda_item_view(session, HB_COORDINATOR, ids.hb_item, on=ON, full_names=True)
    assert seen.label == " ".join(SECRET_NAMES)
    assert add_agenda_item(
        engine, HB_COORDINATOR, ids.hb_meeting, AgendaFields("tier4_review", ids.hb_pupil)
    )


def test_r2_a_county_admin_may_not_put_a_pupil_on_another_partnerships_meeting(engine, ids):
    """So no item ever shows a meeting's own users a child they may not read."""
    before = every_row(engine)
    with pytest.raises(RuleViolation, match=r"^R2: Pupil: T-\d+ is another partnership's"):
        add_agenda_item(engine, ADMIN, ids.nw_meeting, AgendaFields("tier4_review", ids.hb_pupil))
    assert every_row(engine) == before


def test_an_item_stays_readable_by_its_meeting_after_the_pupil_moves_on(engine, ids):
    """R2, R6: on NW's meeting day the pupil was at NW's school; they are on HB's roll now.
    Their case may still go on NW's agenda and be read there; not HB's pupil who never was."""
    with read_session(engine) as session:
        moved = session.get(AgendaItem, ids.moved_item).pupil_id
    add_agenda_item(engine, NW_COORDINATOR, ids.nw_meeting, AgendaFields("tier4_review", moved))
    with read_session(engine) as session:
        view = agenda_item_view(session, NW_COORDINATOR, ids.moved_item, on=ON)
        assert view.school.startswith("HB School")
        with pytest.raises(NotAllowed, match=r"^Agenda item: You are a co-ordinator of NW"):
            item_in_scope(session, NW_COORDINATOR, ids.planted_item)


#: Each kind of row in the scope table, by the field that names it and its id in ``Ids``.
KINDS = [
    (Pupil, "Pupil", "hb_pupil"),
    (Pupil, "Pupil", "hb_fair_access_pupil"),
    (School, "School", "hb_school"),
    (Meeting, "Meeting", "hb_meeting"),
    (MeetingInvitation, "Invitation", "hb_invitation"),
    (AgendaItem, "Agenda item", "hb_item"),
    (Decision, "Decision", "hb_decision"),
    (Action, "Action", "hb_action"),
    (Referral, "Referral", "hb_referral"),
    (Placement, "Placement", "hb_placement"),
    (FairAccessCase, "Fair Access case", "hb_fair_access_case"),
]


@pytest.mark.parametrize(("model", "field", "name"), KINDS, ids=[n for _m, _f, n in KINDS])
def test_each_kind_of_row_is_its_partnerships_and_a_county_admins(engine, ids, model, field, name):
    with read_session(engine) as session:
        with pytest.raises(NotAllowed, match=f"^{field}: You are a co-ordinator of NW: .* HB's"):
            in_scope(session, NW_COORDINATOR, model, getattr(ids, name))
        for actor in (HB_COORDINATOR, ADMIN):
            row, code = in_scope(session, actor, model, getattr(ids, name))
            assert (row.id, code) == (getattr(ids, name), "HB")
        with pytest.raises(InvalidValue, match=f"^{field}: there is no .* 99999"):
            in_scope(session, ADMIN, model, 99999)


def test_r8_a_provider_is_every_partnerships_but_must_exist(engine, ids):
    with read_session(engine) as session:
        assert in_scope(session, NW_COORDINATOR, Provider, ids.provider).partnership is None
        with pytest.raises(InvalidValue, match=r"^Provider: there is no provider 99999"):
            in_scope(session, NW_COORDINATOR, Provider, 99999)


def _no_school(session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    pupil.school_id = None
    return pupil


def test_r2_whose_pupil_when_on_no_schools_roll(engine, ids):
    """The school on roll; else the excluding school, the latest tier period's school, the
    latest referral's; and every open Fair Access case's partnership (R13)."""
    with write_session("test", engine) as session:
        hb_pupil = session.get(Pupil, ids.hb_pupil)
        assert pupil_partnerships(session, hb_pupil) == ("HB",)
        hb_pupil.off_roll_date, hb_pupil.off_roll_reason = ON, "missing"
        assert pupil_partnerships(session, hb_pupil) == ("HB",)  # the school stays on record
        nw_pupil = _no_school(session, ids.nw_pupil)
        assert pupil_partnerships(session, nw_pupil) == ("NW",)  # tier history, then referral
        session.add(
            Exclusion(pupil_id=nw_pupil.id, school_id=ids.hb_school, kind="permanent",
                      start_date=ON - timedelta(60))
        )  # fmt: skip
        assert pupil_partnerships(session, nw_pupil) == ("HB",)  # the excluding school
        fa_pupil = session.get(Pupil, ids.hb_fair_access_pupil)
        assert pupil_partnerships(session, fa_pupil) == ("HB",)
        fa_pupil.school_id = ids.nw_school
        assert pupil_partnerships(session, fa_pupil) == ("NW", "HB")
        session.get(FairAccessCase, ids.hb_fair_access_case).on_roll_date = ON
        assert pupil_partnerships(session, fa_pupil) == ("NW",)
        nobodys = QueryStore(session).pupil(session.get(School, ids.nw_school))
        nobodys.school_id = None  # no roll, no history, no case
        assert pupil_partnerships(session, nobodys) == ()
        with pytest.raises(NotAllowed, match=r"^Pupil: .* the whole county's data"):
            in_scope(session, NW_COORDINATOR, Pupil, nobodys.id)
        assert in_scope(session, ADMIN, Pupil, nobodys.id).partnership is None
        session.rollback()


def test_nws_agenda_and_minutes_show_the_planted_item_by_case_reference_only(engine, ids):
    """The meeting's own lists keep the item (it is the meeting's record) but never say the
    other partnership's child's name or school."""
    with read_session(engine) as session:
        items = agenda(session, NW_COORDINATOR, ids.nw_meeting, full_names=True)
        minutes = minutes_content(session, NW_CHAIR, ids.nw_meeting, full_names=True)
    planted = [entry for entry in items if entry.item_id == ids.planted_item]
    assert [(e.case_ref, e.label, e.school) for e in planted] == [(ids.hb_case_ref, "", None)]
    assert [line.pupil for line in minutes.items if line.case_ref == ids.hb_case_ref] == [""]
    everything = repr(items) + repr(minutes)
    assert not any(name in everything for name in SECRET_NAMES)
    assert all(entry.label.startswith("Testfirst") for entry in items if entry not in planted)
