"""What each role is offered: exactly its pages, only its partnerships, and no way around them
through an address or the session's state."""

import pytest
from conftest import TODAY, demo_actor, sign_in
from direct_counts import partnership_names
from menus import MENU
from page_helpers import PAGE_FILES, open_address
from streamlit.testing.v1 import AppTest

from dashboard.boundary import FAILED
from dashboard.state import HERE_KEY, PARTNERSHIP_KEY
from seips_core.auth.roles import Role

#: The projector view's buttons move along the agenda; they change nothing.
PROJECTOR_MOVES = {"Previous item", "Next item"}
#: Each page's possible headings, where it is not the page's menu title: the projector view
#: is headed by the meeting it shows (the NW roles' panel sits on ``TODAY``), and by its own
#: name while no partnership, so no meeting, is chosen (the county admin at first).
HEADINGS = {
    "Home": {"SEIP panel dashboard"},
    "Projector view": {"Projector view", f"NW panel {TODAY.day} {TODAY:%b %Y}"},
}


def menu(app: AppTest) -> list[str]:
    return [link.label for link in app.sidebar.get("page_link")]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_offered_exactly_its_pages_and_each_opens(app_as, role):
    app = app_as(role).run()
    assert menu(app) == MENU[role]
    for title in MENU[role]:
        app.switch_page(PAGE_FILES[title]).run()
        assert not app.exception, [error.value for error in app.exception]
        assert not [e.value for e in app.error if e.value.startswith(FAILED)]  # the boundary's
        assert app.title[0].value in HEADINGS.get(title, {title})


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR])
def test_a_page_missing_from_the_menu_cannot_be_opened_by_its_address(app_as, role):
    app = app_as(role).run()
    hidden = [title for title in PAGE_FILES if title not in MENU[role]]
    assert hidden
    for title in hidden:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(PAGE_FILES[title])


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR, Role.CHAIR])
def test_the_address_of_a_page_outside_ones_role_says_whose_page_it_is(app_as, role):
    app = app_as(role).run()
    for title in [title for title in PAGE_FILES if title not in MENU[role]]:
        open_address(app, PAGE_FILES[title].removeprefix("../pages/").removesuffix(".py"))
        assert not app.exception, [error.value for error in app.exception]
        assert app.title[0].value == title
        (said,) = app.info
        assert said.value.startswith(f"{title} is for ")
        assert f"you are signed in as a {role.label}" in said.value
        assert not app.table and not app.metric and not app.get("form")  # none of the page
        assert [link.proto.label for link in app.main.get("page_link")] == ["Go to Home"]
        assert menu(app) == MENU[role]


def test_a_co_ordinator_is_told_that_the_audit_trail_is_for_chairs(app_as):
    app = open_address(app_as(Role.COORDINATOR).run(), "audit")
    assert app.info[0].value.startswith(
        "Audit trail is for chairs and county admins: you are signed in as a co-ordinator of "
    )


def test_a_viewer_gets_no_write_or_download_controls_and_no_link_to_the_flags(app_as):
    app = app_as(Role.VIEWER).run()
    for title in MENU[Role.VIEWER]:
        app.switch_page(PAGE_FILES[title]).run()
        assert not app.get("download_button")
        assert not app.get("form")
        # The one deep link a viewer gets is to the wall's view of a meeting, which they read.
        linked = {link.proto.label for link in app.get("page_link") if link.proto.query_string}
        assert linked <= {"Open the projector view"}
        assert {button.label for button in app.button} <= {"Sign out", *PROJECTOR_MOVES}


@pytest.mark.parametrize(("role", "may_export"), [(Role.COORDINATOR, False), (Role.CHAIR, True)])
def test_only_a_chair_or_county_admin_may_export_the_flags(app_as, role, may_export):
    """Co-ordinators work through the flags on screen; exports are a chair's right."""
    app = app_as(role).run()
    app.switch_page(PAGE_FILES["Needs attention"]).run()
    assert app.table, "the flags are listed"
    assert bool(app.get("download_button")) is may_export


def test_the_partnership_filter_offers_only_the_users_own_partnerships(app_as, county_url):
    viewer = demo_actor(county_url, Role.VIEWER)
    app = app_as(Role.VIEWER).run()
    names = partnership_names(county_url)
    assert app.selectbox(key=PARTNERSHIP_KEY).options == [
        names[code] for code in sorted(viewer.partnerships)
    ]
    assert TODAY.strftime("%B %Y") in app.caption[0].value


def test_a_county_admin_may_choose_the_whole_county_or_any_partnership(app):
    app.run()
    options = app.selectbox(key=PARTNERSHIP_KEY).options
    assert options[0] == "All partnerships"
    assert len(options) == 6  # the sample county's five partnerships and the county


@pytest.mark.parametrize("held", ["HB", None], ids=["another partnership", "the whole county"])
def test_a_partnership_the_user_may_not_see_held_in_the_session_is_refused(
    signed_out, county_url, held
):
    app = sign_in(signed_out, demo_actor(county_url, Role.VIEWER))
    app.session_state[PARTNERSHIP_KEY] = held
    app.run()
    assert not app.metric and not app.table  # nothing of anyone's data is drawn
    (refusal,) = app.error
    assert refusal.value.startswith("Partnership: You are a viewer of NW")
    app.run()  # the next run is back on the user's own partnership
    assert app.selectbox(key=PARTNERSHIP_KEY).value == "NW"
    assert len(app.metric) == 4


@pytest.mark.parametrize("title", ["Projector view", "Meetings", "Fairness between schools"])
def test_a_county_admin_on_the_whole_county_chooses_the_partnership_on_the_page(app, title):
    """A page about one partnership asks a county admin for it there, and the choice is the
    sidebar's from then on: no page sends them elsewhere to choose (issue 15)."""
    app.run()
    app.switch_page(PAGE_FILES[title]).run()
    assert app.selectbox(key=PARTNERSHIP_KEY).value is None  # the whole county
    assert "Choose the partnership here." in app.info[0].value
    if title == "Projector view":  # the wall hides the menu: the way out stays
        assert [link.proto.label for link in app.main.get("page_link")] == [
            "Leave the projector view"
        ]
    app.selectbox(key=HERE_KEY).set_value("NW").run()
    assert not app.exception, [error.value for error in app.exception]
    assert app.selectbox(key=PARTNERSHIP_KEY).value == "NW"
    assert not [box for box in app.selectbox if box.key == HERE_KEY]
    assert app.title[0].value in HEADINGS.get(title, {title})
    if title == "Projector view":
        assert app.title[0].value == f"NW panel {TODAY.day} {TODAY:%b %Y}"
