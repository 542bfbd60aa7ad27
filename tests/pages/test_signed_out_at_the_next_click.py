"""An open session follows the account in the store: removed, it is signed out at the next
click and saves nothing (a form's button or a tick's callback alike); a new role applies at
the next click and is said; a county admin ends a person's sessions from the Users page.

Each test changes accounts, so it runs on its own copy of the sample store.
"""

from conftest import demo_account, demo_actor, new_app, sign_in
from direct_counts import _rows
from menus import MENU
from page_helpers import MEETINGS, RECORD, USERS, open_page
from streamlit.testing.v1 import AppTest

from dashboard.auth import SIGNED_IN_KEY
from seips_core.auth.accounts import ENDED, REMOVED, remove_user, set_role
from seips_core.auth.roles import SYSTEM_ACTOR, Role
from seips_core.db import get_engine

ADMIN = SYSTEM_ACTOR("cli:test")
CO_ORDINATOR = demo_account(Role.COORDINATOR).email
#: NW's latest open meeting and one of its undecided items (its position on the agenda).
UNDECIDED = """
    SELECT m.id, a.id, a.position FROM agendaitem a JOIN meeting m ON m.id = a.meeting_id
    JOIN partnership p ON p.id = m.partnership_id
    WHERE p.code = 'NW' AND m.status != 'closed'
      AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.agenda_item_id = a.id)
    ORDER BY m.meeting_date DESC, a.position"""
SAVED = "SELECT (SELECT COUNT(*) FROM decision), (SELECT COUNT(*) FROM meetinginvitation " \
    "WHERE version > 1), (SELECT COUNT(*) FROM auditentry WHERE actor = :who)"  # fmt: skip


def co_ordinator_on(url: str, page: str, **params: object) -> AppTest:
    """The demo co-ordinator signed in on ``page``, ``params`` in the address."""
    app = sign_in(new_app(), demo_actor(url, Role.COORDINATOR)).run()
    app.query_params.update({name: str(value) for name, value in params.items()})
    app.switch_page(page).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def signed_out_saying(app: AppTest, reason: str) -> bool:
    """Is ``app`` on the sign-in page, saying ``reason``, with nothing of the dashboard?"""
    return (
        SIGNED_IN_KEY not in app.session_state
        and [title.value for title in app.title] == ["Sign in"]
        and [info.value for info in app.info] == [reason]
        and not app.sidebar.get("page_link")
    )


def saved_by_co_ordinator(url: str) -> tuple[int, int, int]:
    """Decisions, ticked invitations, and audit entries written as the co-ordinator."""
    return _rows(url, SAVED, who=CO_ORDINATOR)[0]


def test_a_removed_co_ordinator_is_signed_out_at_the_save_and_the_decision_is_not_saved(
    own_store,
):
    meeting_id, item_id, position = _rows(own_store, UNDECIDED)[0]
    app = co_ordinator_on(own_store, RECORD, meeting=meeting_id, item=position)
    (outcome,) = [box for box in app.selectbox if box.key and box.key.endswith("_outcome")]
    outcome.set_value("defer").run()
    (rationale,) = [area for area in app.text_area if area.label.startswith("Rationale")]
    rationale.set_value("Typed before the account was removed.")
    before = saved_by_co_ordinator(own_store)

    remove_user(get_engine(own_store), ADMIN, CO_ORDINATOR)
    (save,) = [button for button in app.button if button.label == "Save the decision"]
    save.click().run()

    assert signed_out_saying(app, REMOVED)
    assert saved_by_co_ordinator(own_store) == before
    assert _rows(own_store, "SELECT COUNT(*) FROM decision WHERE agenda_item_id = :i",
                 i=item_id) == [(0,)]  # fmt: skip


def test_a_removed_co_ordinators_attendance_tick_is_not_saved(own_store):
    """A tick saves in its callback, which runs before the sign-in gate: it asks the gate too."""
    app = co_ordinator_on(own_store, MEETINGS)
    box = next(box for box in app.checkbox if not box.disabled)
    before = saved_by_co_ordinator(own_store)

    remove_user(get_engine(own_store), ADMIN, CO_ORDINATOR)
    box.set_value(not box.value).run()

    assert signed_out_saying(app, REMOVED)
    assert saved_by_co_ordinator(own_store) == before


def test_a_co_ordinator_made_a_viewer_gets_the_viewers_menu_at_the_next_click(own_store):
    app = co_ordinator_on(own_store, MEETINGS)
    set_role(get_engine(own_store), ADMIN, CO_ORDINATOR, "viewer")
    app.run()
    assert app.session_state[SIGNED_IN_KEY].actor.role is Role.VIEWER
    assert [link.label for link in app.sidebar.get("page_link")] == MENU[Role.VIEWER]
    (notice,) = [info.value for info in app.info if "changed your account" in info.value]
    assert "you are now a viewer of NW" in notice
    assert not app.checkbox, "a viewer does not tick attendance"
    app.run()
    assert not [info for info in app.info if "changed your account" in info.value]


def test_a_county_admin_ends_a_co_ordinators_sessions_from_the_users_page(own_store):
    screen = co_ordinator_on(own_store, MEETINGS)
    admin = open_page(sign_in(new_app(), demo_actor(own_store, Role.COUNTY_ADMIN)), USERS)
    admin.selectbox(key="change_user").set_value(CO_ORDINATOR).run()
    (end,) = [button for button in admin.button if button.label.startswith("End ")]
    assert end.label == f"End {CO_ORDINATOR}'s sessions"
    end.click().run()
    assert admin.success[0].value.startswith(f"Ended {CO_ORDINATOR}'s sessions")
    listed = {row["Email address"]: row for row in admin.table[0].value.to_dict("records")}
    assert listed[CO_ORDINATOR]["Sessions ended"] not in ("", None)

    screen.run()
    assert signed_out_saying(screen, ENDED)
    again = co_ordinator_on(own_store, MEETINGS)  # signing in afresh works at once
    assert again.session_state[SIGNED_IN_KEY].actor.email == CO_ORDINATOR


def _live_tick_check() -> None:
    """What a live area's timed rerun asks before drawing (``dashboard.live``)."""
    import streamlit as st

    from dashboard.auth import session_stands

    st.text(f"stands: {session_stands()}")


def test_a_screen_left_idle_past_the_limit_stops_at_its_next_live_tick(county):
    """Issue 12: live ticks are not activity, and once the idle limit has passed they no
    longer keep a person's screen showing the meeting (a wall link never idles)."""
    from datetime import timedelta

    from dashboard.auth import POLICY, SignedIn

    actor = demo_actor(county, Role.COORDINATOR)
    fresh = SignedIn.starting(actor)
    for last_seen, stands in (
        (fresh.last_seen, True),
        (fresh.last_seen - POLICY.idle - timedelta(seconds=1), False),
    ):
        tick = AppTest.from_function(_live_tick_check)
        tick.session_state[SIGNED_IN_KEY] = SignedIn(
            actor, last_seen - timedelta(minutes=1), last_seen
        )
        tick.run()
        assert [text.value for text in tick.text] == [f"stands: {stands}"]
