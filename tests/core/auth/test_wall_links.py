"""Wall links: made by those who run a partnership's meetings, for that partnership's meetings
only; read-only and held to one meeting; ending at midnight after the meeting's day (UK clock)
or when revoked, saying which; audited. On each engine."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from seips_core.auth.accounts import add_user
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.roles import SYSTEM_ACTOR, Actor, Role
from seips_core.auth.scope import item_in_scope, meeting_in_scope
from seips_core.auth.signed_tokens import new_token
from seips_core.db import read_session, write_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed
from seips_core.models import AgendaItem, AuditEntry, Meeting, Partnership, Pupil, School, WallLink
from seips_core.services.wall_links import (
    NOT_RECOGNISED,
    WallLinkEnded,
    check_wall_link,
    create_wall_link,
    live_wall_links,
    revoke_wall_link,
    verify_wall_link,
)

pytestmark = pytest.mark.postgres

#: A summer meeting day: the UK clock is BST, so the day ends at 23:00 UTC.
DAY = date(2026, 6, 10)
MORNING = datetime(2026, 6, 10, 8, 30, tzinfo=UTC)
DAY_ENDS = datetime(2026, 6, 10, 23, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def demo(role: Role) -> Actor:
    (account,) = [a for a in DEMO_ACCOUNTS if a.role is role]
    return Actor(account.email, account.display_name, account.role, frozenset(account.partnerships))


CO_ORDINATOR, CHAIR, VIEWER, ADMIN = (
    demo(Role.COORDINATOR), demo(Role.CHAIR), demo(Role.VIEWER), demo(Role.COUNTY_ADMIN),
)  # fmt: skip
HB_CO_ORDINATOR = Actor("hb.coordinator@shire.example", "HB Co-ordinator", Role.COORDINATOR,
                        frozenset({"HB"}))  # fmt: skip


@pytest.fixture
def meetings(store) -> dict[str, int]:
    """A meeting of NW on ``DAY``, another of NW the next week, and one of HB on ``DAY``; and
    an HB co-ordinator."""
    add_user(
        store, SYSTEM_ACTOR("test"), email=HB_CO_ORDINATOR.email,
        display_name=HB_CO_ORDINATOR.display_name, role="coordinator", partnerships=["HB"],
    )  # fmt: skip
    with write_session("test setup", store) as session:
        ids = dict(session.execute(select(Partnership.code, Partnership.id)).all())
        rows = {
            "NW": Meeting(partnership_id=ids["NW"], meeting_date=DAY),
            "NW next": Meeting(partnership_id=ids["NW"], meeting_date=DAY + timedelta(days=7)),
            "HB": Meeting(partnership_id=ids["HB"], meeting_date=DAY),
        }
        session.add_all(rows.values())
        session.flush()
        return {name: row.id for name, row in rows.items()}


def ended(store, token: str, now: datetime) -> str:
    with pytest.raises(WallLinkEnded) as refused:
        verify_wall_link(store, token, now=now)
    return str(refused.value)


def test_a_co_ordinators_link_opens_the_meeting_read_only_and_initials_only(store, meetings):
    row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    wall = verify_wall_link(store, token, now=MORNING + SECOND)
    assert (wall.link_id, wall.meeting_id) == (row.id, meetings["NW"])
    assert wall.actor.role is Role.VIEWER and wall.actor.partnerships == {"NW"}
    assert wall.actor.wall_meeting == meetings["NW"]
    assert not wall.actor.may("edit_cases") and not wall.actor.may("see_names")
    assert (row.made_by, row.created_at, row.expires_at) == ("Demo Co-ordinator", MORNING, DAY_ENDS)


def test_the_screen_sees_its_meeting_and_no_other(store, meetings):
    _row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    wall = verify_wall_link(store, token, now=MORNING)
    with read_session(store) as session:
        assert meeting_in_scope(session, wall.actor, meetings["NW"])[1] == "NW"
        for other in ("NW next", "HB"):
            with pytest.raises(NotAllowed, match="this screen shows meeting"):
                meeting_in_scope(session, wall.actor, meetings[other])


def test_the_screen_reads_no_item_of_another_meeting(store, meetings):
    """An item of NW's next meeting, about an NW pupil whom a viewer of NW may read."""
    with write_session("test setup", store) as session:
        nw = session.scalars(select(Partnership.id).where(Partnership.code == "NW")).one()
        school = School(urn=100001, name="Wold School", partnership_id=nw, number_on_roll=900,
                        local_authority="Shire County")  # fmt: skip
        session.add(school)
        session.flush()
        pupil = Pupil(case_ref="SEIP-26-000001", first_name="Ada", last_name="Lane",
                      date_of_birth=date(2013, 1, 1), year_group=8, school_id=school.id,
                      home_la="Shire County")  # fmt: skip
        session.add(pupil)
        session.flush()
        item = AgendaItem(meeting_id=meetings["NW next"], position=1, purpose="tier4_review",
                          pupil_id=pupil.id)  # fmt: skip
        session.add(item)
        session.flush()
        item_id = item.id
    _row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    wall = verify_wall_link(store, token, now=MORNING)
    with read_session(store) as session:
        assert item_in_scope(session, VIEWER, item_id).partnership == "NW"
        with pytest.raises(NotAllowed, match="this screen shows meeting"):
            item_in_scope(session, wall.actor, item_id)


def test_it_lasts_until_midnight_after_the_meetings_day_on_the_uk_clock(store, meetings):
    _row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    assert verify_wall_link(store, token, now=DAY_ENDS - SECOND)
    reason = ended(store, token, DAY_ENDS)
    assert (
        reason
        == "This wall link has ended: the meeting is over. Ask the co-ordinator for a new one."
    )


def test_no_link_is_made_for_a_meeting_whose_day_is_over(store, meetings):
    with pytest.raises(InvalidValue, match=r"Meeting: its day \(10 Jun 2026\) is over"):
        create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=DAY_ENDS)


def test_a_link_for_a_coming_meeting_works_from_now_until_its_day_ends(store, meetings):
    row, token = create_wall_link(store, CHAIR, meetings["NW next"], now=MORNING)
    assert verify_wall_link(store, token, now=MORNING).meeting_id == meetings["NW next"]
    assert row.expires_at == DAY_ENDS + timedelta(days=7)


def test_a_revoked_link_ends_saying_who_revoked_it_and_when(store, meetings):
    row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    revoke_wall_link(store, CHAIR, row.id, now=datetime(2026, 6, 10, 9, 5, tzinfo=UTC))
    expected = (
        "This wall link has ended: revoked by Demo Chair at 10:05. "  # BST
        "Ask the co-ordinator for a new one."
    )
    assert ended(store, token, MORNING + timedelta(hours=1)) == expected
    with pytest.raises(WallLinkEnded) as refused:
        check_wall_link(store, row.id, now=MORNING + timedelta(hours=1))
    assert str(refused.value) == expected
    with pytest.raises(Conflict, match="already revoked by Demo Chair at 10:05"):
        revoke_wall_link(store, CO_ORDINATOR, row.id)


def test_the_live_links_are_listed_with_who_made_them(store, meetings):
    kept, _ = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    gone, _ = create_wall_link(store, ADMIN, meetings["NW"], now=MORNING + SECOND)
    revoke_wall_link(store, CO_ORDINATOR, gone.id)
    with read_session(store) as session:
        assert live_wall_links(session, CHAIR, meetings["NW"], now=MORNING) == (kept,)
        assert live_wall_links(session, CHAIR, meetings["NW"], now=DAY_ENDS) == ()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: ("A" if token[0] != "A" else "B") + token[1:],
        lambda token: token.split(".")[0],
        lambda token: "",
    ],
    ids=["signature", "token", "unsigned", "empty"],
)
def test_a_forged_or_altered_link_is_refused(store, meetings, tamper):
    _row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    assert ended(store, tamper(token), MORNING) == NOT_RECOGNISED


def test_a_sign_in_cookies_token_is_not_a_wall_link(store, meetings):
    token, _hash = new_token(store, "session")
    assert ended(store, token, MORNING) == NOT_RECOGNISED


def test_a_co_ordinator_of_another_partnership_can_neither_make_nor_revoke_nor_list(
    store, meetings
):
    with pytest.raises(NotAllowed, match="partnership NW's"):
        create_wall_link(store, HB_CO_ORDINATOR, meetings["NW"], now=MORNING)
    row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    with pytest.raises(NotAllowed, match="partnership NW's"):
        revoke_wall_link(store, HB_CO_ORDINATOR, row.id)
    with read_session(store) as session, pytest.raises(NotAllowed):
        live_wall_links(session, HB_CO_ORDINATOR, meetings["NW"], now=MORNING)
    assert verify_wall_link(store, token, now=MORNING).meeting_id == meetings["NW"]
    assert create_wall_link(store, HB_CO_ORDINATOR, meetings["HB"], now=MORNING)


def test_a_viewer_and_a_wall_make_no_links(store, meetings):
    _row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    wall = verify_wall_link(store, token, now=MORNING).actor
    for who in (VIEWER, wall):
        with pytest.raises(
            NotAllowed, match="only a co-ordinator or chair or county admin may make wall links"
        ):
            create_wall_link(store, who, meetings["NW"], now=MORNING)


def test_making_and_revoking_are_audited_and_the_token_is_never_stored(store, meetings):
    row, token = create_wall_link(store, CO_ORDINATOR, meetings["NW"], now=MORNING)
    revoke_wall_link(store, ADMIN, row.id, now=MORNING + SECOND)
    with read_session(store) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "wall_link").order_by(AuditEntry.id)
        ).all()
        stored = session.get(WallLink, row.id)
    assert [(e.actor, e.action) for e in entries] == [
        (CO_ORDINATOR.email, "insert"), (ADMIN.email, "update"),
    ]  # fmt: skip
    made, revoked = (json.loads(entry.after) for entry in entries)
    assert (made["meeting_id"], made["token_hash"]) == (meetings["NW"], "(set)")
    assert (revoked["revoked_by"], revoked["revoked_at"]) == (
        ADMIN.email, (MORNING + SECOND).isoformat(),
    )  # fmt: skip
    random_part = token.split(".")[0]
    assert random_part not in stored.token_hash
    assert not [entry for entry in entries if random_part in (entry.after or "")]
