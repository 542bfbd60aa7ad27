"""The presenter drives, the walls follow (issue 12): what a meeting's walls show is kept in the
store, one row per meeting, moved by the last presenter, audited, and seen by every screen
through the meeting's change marker."""

import pytest
from sqlalchemy import func, select

from seips_core.auth.roles import Actor, Role
from seips_core.db import read_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.models import (
    AgendaItem,
    AuditEntry,
    Decision,
    Meeting,
    Partnership,
    Presentation,
)
from seips_core.queries.meeting_marker import meeting_marker
from seips_core.queries.presenting import on_the_wall
from seips_core.services.agenda import remove_agenda_item
from seips_core.services.presenting import present


def items_of(engine, meeting_id: int) -> list[AgendaItem]:
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position)
            )
        )


def wall(engine, actor: Actor, meeting_id: int):
    with read_session(engine) as session:
        return on_the_wall(session, actor, meeting_id)


def marker(engine, meeting_id: int) -> tuple[int, ...]:
    with read_session(engine) as session:
        return meeting_marker(session, meeting_id)


def test_the_walls_show_the_item_a_co_ordinator_presents_and_who_put_it_up(
    county, demo, nw_meeting
):
    coordinator, viewer = demo(Role.COORDINATOR), demo(Role.VIEWER)
    third = items_of(county, nw_meeting.id)[2]
    assert wall(county, viewer, nw_meeting.id) is None, "nobody has presented yet"
    before = marker(county, nw_meeting.id)

    assert present(county, coordinator, nw_meeting.id, third.id) is True

    shown = wall(county, viewer, nw_meeting.id)
    assert (shown.item_id, shown.position, shown.panel) == (third.id, 3, "item")
    assert shown.presented_by == coordinator.display_name
    assert marker(county, nw_meeting.id) != before, "the walls would not notice the move"
    with read_session(county) as session:
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "presentation")
        ).all()
    assert [entry.actor for entry in audited] == [coordinator.email]


def test_presenting_what_the_walls_already_show_saves_nothing(county, demo, nw_meeting):
    """'Present as I go' calls this on each item opened: a screen rerunning costs no write."""
    coordinator = demo(Role.COORDINATOR)
    first = items_of(county, nw_meeting.id)[0]
    present(county, coordinator, nw_meeting.id, first.id)
    still = marker(county, nw_meeting.id)
    assert present(county, coordinator, nw_meeting.id, first.id) is False
    assert marker(county, nw_meeting.id) == still


def test_the_last_presenter_wins_and_both_read_who_moved_the_wall(county, demo, nw_meeting):
    coordinator, chair = demo(Role.COORDINATOR), demo(Role.CHAIR)
    first, second = items_of(county, nw_meeting.id)[:2]
    present(county, coordinator, nw_meeting.id, first.id)
    present(county, chair, nw_meeting.id, second.id, panel="history")
    for reader in (coordinator, chair):
        shown = wall(county, reader, nw_meeting.id)
        assert (shown.position, shown.panel, shown.presented_by) == (
            2,
            "history",
            chair.display_name,
        )
    with read_session(county) as session:
        rows = session.scalar(select(func.count()).where(Presentation.meeting_id == nw_meeting.id))
    assert rows == 1


def test_a_wall_cannot_move_the_room(county, demo, nw_meeting):
    first = items_of(county, nw_meeting.id)[0]
    with pytest.raises(NotAllowed):
        present(county, demo(Role.VIEWER), nw_meeting.id, first.id)
    assert wall(county, demo(Role.COORDINATOR), nw_meeting.id) is None


def test_another_partnerships_meeting_and_an_item_of_another_meeting_are_refused(
    county, demo, nw_meeting
):
    coordinator = demo(Role.COORDINATOR)
    with read_session(county) as session:
        other_meeting, other_item = session.execute(
            select(Meeting.id, AgendaItem.id)
            .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(Partnership.code != "NW")
        ).first()
        nw_other = session.scalar(
            select(AgendaItem.id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(Meeting.partnership_id == nw_meeting.partnership_id)
            .where(Meeting.id != nw_meeting.id)
        )
    with pytest.raises(NotAllowed):
        present(county, coordinator, other_meeting, other_item)
    with pytest.raises(NotAllowed):
        present(county, coordinator, nw_meeting.id, other_item)
    with pytest.raises(InvalidValue, match="Agenda item: it is not on this meeting"):
        present(county, coordinator, nw_meeting.id, nw_other)
    with pytest.raises(InvalidValue, match="Wall panel"):
        present(county, coordinator, nw_meeting.id, items_of(county, nw_meeting.id)[0].id,
                panel="names")  # fmt: skip


def test_an_item_taken_off_the_agenda_leaves_the_walls_showing_nothing_of_it(
    county, demo, nw_meeting
):
    coordinator = demo(Role.COORDINATOR)
    with read_session(county) as session:
        undecided = session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == nw_meeting.id)
            .where(~AgendaItem.id.in_(select(Decision.agenda_item_id)))
            .order_by(AgendaItem.position.desc())
        ).first()
    present(county, coordinator, nw_meeting.id, undecided.id)
    remove_agenda_item(county, coordinator, undecided.id, expected_version=undecided.version)
    shown = wall(county, coordinator, nw_meeting.id)
    assert (shown.item_id, shown.position) == (None, None)
