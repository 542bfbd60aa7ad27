"""Writers racing on one meeting: its agenda, decisions, invitations, actions and sign-off.

Each test releases 8 writers (16 for a first decision) at once through ``race.race`` on both
engines, and checks what a user would: one saved and the others told who saved first, or,
where every change is legitimate (two actions, two moves), all kept in turn; never a
duplicate, never a silent overwrite, every saved change audited as its writer's. The figures
are printed (``pytest -rP``) and in every assertion message.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
from race import TODAY, audit_of, first_saver_wins, last_audit_id, race, saved_in_turn
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import Conflict
from seips_core.models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    MeetingInvitation,
    Presentation,
    Pupil,
    School,
)
from seips_core.queries.decisions import current_decision
from seips_core.rules.agenda import CASE_COLUMNS
from seips_core.services import decisions
from seips_core.services.agenda import (
    AgendaFields,
    add_agenda_item,
    move_agenda_item,
    remove_agenda_item,
)
from seips_core.services.decisions import DecisionInput, amend_decision, record_decision
from seips_core.services.meetings import (
    add_action,
    set_attendance,
    set_notified,
    sign_off_minutes,
)
from seips_core.services.presenting import present

WRITERS = 8


def _items(engine, meeting_id: int) -> list[AgendaItem]:
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position)
            )
        )


def _undecided(engine, meeting_id: int) -> AgendaItem:
    with read_session(engine) as session:
        return session.scalars(
            select(AgendaItem)
            .outerjoin(Decision, Decision.agenda_item_id == AgendaItem.id)
            .where(AgendaItem.meeting_id == meeting_id, Decision.id.is_(None))
            .order_by(AgendaItem.position)
        ).first()


def _decisions_on(engine, item_id: int) -> int:
    with read_session(engine) as session:
        return session.scalar(
            select(func.count()).select_from(Decision).where(Decision.agenda_item_id == item_id)
        )


def _pupils_off_the_agenda(engine, meeting_id: int, count: int) -> list[int]:
    """Pupils (no EHCP) on the roll of a school of the meeting's partnership (R2: only they
    go on its agenda) with no Tier 4 review on the meeting's agenda."""
    on_agenda = select(AgendaItem.pupil_id).where(AgendaItem.meeting_id == meeting_id)
    partnership = select(Meeting.partnership_id).where(Meeting.id == meeting_id)
    schools = select(School.id).where(School.partnership_id == partnership.scalar_subquery())
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(Pupil.id)
                .where(~Pupil.ehcp, Pupil.id.not_in(on_agenda), Pupil.school_id.in_(schools))
                .order_by(Pupil.id)
                .limit(count)
            )
        )


def _invitation(engine, meeting_id: int) -> MeetingInvitation:
    with read_session(engine) as session:
        return session.scalars(
            select(MeetingInvitation)
            .where(MeetingInvitation.meeting_id == meeting_id)
            .order_by(MeetingInvitation.id)
        ).first()


@pytest.mark.parametrize("writers", [8, 16], ids=["8 writers", "16 writers"])
def test_record_decision_first_decision_on_an_item(county, people, meeting, writers):
    coordinators = people(Role.COORDINATOR, writers)
    item = _undecided(county, meeting.id)
    since = last_audit_id(county)
    outcome = race(
        county,
        writers,
        lambda engine, i: record_decision(
            engine,
            coordinators[i],
            item.id,
            DecisionInput("defer", f"Deferred by writer {i}."),
            expected_version=None,
        ),
    )
    first_saver_wins(
        outcome, coordinators, _decisions_on(county, item.id), audit_of(county, Decision, since)
    )


def test_amend_decision_of_signed_off_minutes(county, people, meeting):
    chairs = people(Role.CHAIR, WRITERS)
    item = _undecided(county, meeting.id)
    signed = record_decision(
        county, chairs[0], item.id, DecisionInput("defer", "Wait for the EP report."),
        expected_version=None,
    )  # fmt: skip
    sign_off_minutes(county, chairs[0], meeting.id)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: amend_decision(
            engine,
            chairs[i],
            item.id,
            DecisionInput("decline", f"Amended by chair {i}."),
            expected_version=signed.version,
        ),
    )
    amendments = _decisions_on(county, item.id) - 1
    first_saver_wins(outcome, chairs, amendments, audit_of(county, Decision, since))


def test_add_agenda_item_the_same_case(county, people, meeting):
    coordinators = people(Role.COORDINATOR, WRITERS)
    (pupil_id,) = _pupils_off_the_agenda(county, meeting.id, 1)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: add_agenda_item(
            engine, coordinators[i], meeting.id, AgendaFields("tier4_review", pupil_id)
        ),
    )
    rows = sum(item.pupil_id == pupil_id for item in _items(county, meeting.id))
    first_saver_wins(outcome, coordinators, rows, audit_of(county, AgendaItem, since))


def test_add_agenda_item_different_cases_are_all_kept_in_order(county, people, meeting):
    coordinators = people(Role.COORDINATOR, WRITERS)
    pupil_ids = _pupils_off_the_agenda(county, meeting.id, WRITERS)
    before = len(_items(county, meeting.id))
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: add_agenda_item(
            engine, coordinators[i], meeting.id, AgendaFields("tier4_review", pupil_ids[i])
        ),
    )
    summary = saved_in_turn(outcome, coordinators, audit_of(county, AgendaItem, since))
    items = _items(county, meeting.id)
    assert len(items) == before + WRITERS, summary
    assert [item.position for item in items] == list(range(1, len(items) + 1)), summary


def test_remove_agenda_item(county, people, meeting):
    coordinators = people(Role.COORDINATOR, WRITERS)
    item = _undecided(county, meeting.id)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: remove_agenda_item(
            engine, coordinators[i], item.id, expected_version=item.version
        ),
    )
    audited = audit_of(county, AgendaItem, since)
    removals = sum(entry.action == "delete" for entry in audited)
    summary = first_saver_wins(outcome, coordinators, removals, audited)
    items = _items(county, meeting.id)
    assert item.id not in {each.id for each in items}, summary
    assert [each.position for each in items] == list(range(1, len(items) + 1)), summary


def test_move_agenda_item_different_items_are_all_kept_in_turn(county, people, meeting):
    coordinators = people(Role.COORDINATOR, WRITERS)
    for pupil_id in _pupils_off_the_agenda(county, meeting.id, WRITERS):
        add_agenda_item(county, coordinators[0], meeting.id, AgendaFields("tier4_review", pupil_id))
    moved = [item.id for item in _items(county, meeting.id)[1 : WRITERS + 1]]
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: move_agenda_item(engine, coordinators[i], moved[i], 1),
    )
    audited = audit_of(county, AgendaItem, since)
    summary = saved_in_turn(outcome, coordinators, audited)
    items = _items(county, meeting.id)
    assert [item.position for item in items] == list(range(1, len(items) + 1)), summary
    last = next(i for i, c in enumerate(coordinators) if c.email == audited[-1].actor)
    assert items[0].id == moved[last], "the last move to be saved puts its item first"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda engine, by, invitation, i: set_attendance(
                engine, by, invitation.meeting_id, invitation.school_id, i % 2 == 0,
                expected_version=invitation.version,
            ),
            id="set_attendance",
        ),
        pytest.param(
            lambda engine, by, invitation, i: set_notified(
                engine, by, invitation.meeting_id, invitation.school_id,
                TODAY - timedelta(days=14 + i), expected_version=invitation.version,
            ),
            id="set_notified",
        ),
    ],
)  # fmt: skip
def test_one_invitation_changed_from_the_same_version(county, people, meeting, change):
    coordinators = people(Role.COORDINATOR, WRITERS)
    invitation = _invitation(county, meeting.id)
    since = last_audit_id(county)
    outcome = race(
        county, WRITERS, lambda engine, i: change(engine, coordinators[i], invitation, i)
    )
    audited = audit_of(county, MeetingInvitation, since)
    first_saver_wins(outcome, coordinators, len(audited), audited)


def test_add_action_different_actions_are_all_kept(county, people, meeting):
    coordinators = people(Role.COORDINATOR, WRITERS)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: add_action(
            engine,
            coordinators[i],
            meeting.id,
            None,
            f"Action {i}",
            f"Owner {i}",
            TODAY + timedelta(days=7),
        ),
    )
    audited = audit_of(county, Action, since)
    summary = saved_in_turn(outcome, coordinators, audited)
    with read_session(county) as session:
        stored = session.scalars(
            select(Action.description).where(Action.meeting_id == meeting.id)
        ).all()
    assert sorted(d for d in stored if d.startswith("Action ")) == sorted(
        f"Action {i}" for i in range(WRITERS)
    ), summary


def test_sign_off_minutes(county, people, meeting):
    chairs = people(Role.CHAIR, WRITERS)
    since = last_audit_id(county)
    outcome = race(
        county, WRITERS, lambda engine, i: sign_off_minutes(engine, chairs[i], meeting.id)
    )
    audited = audit_of(county, Meeting, since)
    summary = first_saver_wins(outcome, chairs, len(audited), audited)
    with read_session(county) as session:
        signed = session.get(Meeting, meeting.id)
    assert signed.status == "closed", summary
    assert signed.signed_off_by == chairs[outcome.saved[0]].display_name, summary


def test_a_writer_the_unique_index_refuses_is_told_who_saved_first(
    county, people, meeting, monkeypatch
):
    """The database's guarantee behind the lock: a writer that read the item before another's
    decision was saved (as one that took no lock would) is refused by the unique index, runs
    again and is told who saved first, never shown an ``IntegrityError``."""
    first, second = people(Role.COORDINATOR, 2)
    item = _undecided(county, meeting.id)
    record_decision(county, first, item.id, DecisionInput("defer", "First."), expected_version=None)
    reads = []

    def stale_once(session, item_id):
        reads.append(item_id)
        return None if len(reads) == 1 else current_decision(session, item_id)

    monkeypatch.setattr(decisions, "current_decision", stale_once)
    with pytest.raises(Conflict, match=rf"^Changed by {first.display_name} at \d\d:\d\d: reload"):
        record_decision(
            county, second, item.id, DecisionInput("decline", "Second."), expected_version=None
        )
    assert len(reads) == 2, "the refused writer ran once more"
    assert _decisions_on(county, item.id) == 1


@pytest.mark.parametrize("duplicate", ["standing decision", "amendment", "agenda case"])
def test_the_database_itself_refuses_a_duplicate(county, meeting, duplicate):
    """Whatever writes (a service, an import, a script), the unique indexes hold."""
    item = _undecided(county, meeting.id)
    decided = {
        "agenda_item_id": item.id, "outcome": "defer", "rationale": "Wait.",
        "decided_by": "test", "decided_at": datetime.now(UTC),
    }  # fmt: skip
    with write_session("test", county) as session:
        first = Decision(**decided)
        session.add(first)
        session.flush()
        session.add(Decision(**decided, amends_decision_id=first.id))
    same_case = {name: getattr(item, name) for name in ("meeting_id", "purpose", "pupil_id")}
    same_case |= {name: getattr(item, name) for name in CASE_COLUMNS}
    rows = {
        "standing decision": Decision(**decided),
        "amendment": Decision(**decided, amends_decision_id=first.id),
        "agenda case": AgendaItem(**same_case, position=99),
    }
    with pytest.raises(IntegrityError), write_session("test", county) as session:
        session.add(rows[duplicate])


def test_a_chair_amending_what_another_chair_amended_since_is_told_who(county, people, meeting):
    """Issue 11's finding 2, one save after the other: the version checked is that of the
    decision amended, so a chair holding the signed decision's version is refused once
    another chair amended it, and amends the amendment once they reload."""
    first, second = people(Role.CHAIR, 2)
    item = _undecided(county, meeting.id)
    signed = record_decision(
        county, first, item.id, DecisionInput("defer", "Wait."), expected_version=None
    )
    sign_off_minutes(county, first, meeting.id)
    amended = amend_decision(
        county, first, item.id, DecisionInput("decline", "No."), expected_version=signed.version
    )
    late = DecisionInput("defer", "Still waiting.")
    with pytest.raises(Conflict, match=rf"^Changed by {first.display_name} at \d\d:\d\d"):
        amend_decision(county, second, item.id, late, expected_version=signed.version)
    again = amend_decision(county, second, item.id, late, expected_version=amended.version)
    with read_session(county) as session:
        chain = session.execute(
            select(Decision.id, Decision.amends_decision_id, Decision.version)
            .where(Decision.agenda_item_id == item.id)
            .order_by(Decision.id)
        ).all()
    assert chain == [
        (signed.decision_id, None, signed.version),
        (amended.decision_id, signed.decision_id, signed.version + 1),
        (again.decision_id, amended.decision_id, signed.version + 2),
    ]


def test_present_different_items_at_once_the_wall_shows_one_of_them(county, people, meeting):
    """Presenters clicking "Show on the wall" together (issue 12): nobody is refused (the last
    click wins), the meeting keeps one presentation, and it is the last audited move."""
    with read_session(county) as session:
        items = session.scalars(
            select(AgendaItem.id)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        ).all()
    # Each presenter shows an item of their own, so that every click is a move.
    writers = min(WRITERS, len(items))
    assert writers >= 4, "too few items on the meeting for a race"
    coordinators = people(Role.COORDINATOR, writers)
    since = last_audit_id(county)
    outcome = race(
        county,
        writers,
        lambda engine, i: present(engine, coordinators[i], meeting.id, items[i]),
    )
    audited = audit_of(county, Presentation, since)
    summary = saved_in_turn(outcome, coordinators, audited)
    with read_session(county) as session:
        (shown,) = session.scalars(
            select(Presentation).where(Presentation.meeting_id == meeting.id)
        ).all()
    last = json.loads(audited[-1].after)
    assert (shown.agenda_item_id, shown.presented_by) == (
        last["agenda_item_id"],
        last["presented_by"],
    ), summary
