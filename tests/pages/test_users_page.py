"""The county admin's Users page: every account listed; adding, changing and removing one
through the account services, with their refusals shown as they word them."""

from conftest import demo_account
from page_helpers import USERS, open_page, said_under
from streamlit.testing.v1 import AppTest

from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.roles import Role


def users(app: AppTest) -> dict[str, dict]:
    """The accounts table, by email address."""
    return {row.pop("Email address"): row for row in app.table[0].value.to_dict("records")}


def add(app: AppTest, email: str, role: Role, partnerships: list[str], password: str) -> AppTest:
    app.text_input(key="add_email").input(email)
    app.text_input(key="add_name").input(f"Test {role.label}")
    app.selectbox(key="add_role").set_value(role)
    app.multiselect(key="add_partnerships").set_value(partnerships)
    app.text_input(key="add_password").input(password)
    (submit,) = [button for button in app.button if button.label == "Add user"]
    return submit.click().run()


def test_every_account_is_listed_with_its_role_and_partnerships(app):
    listed = users(open_page(app, USERS))
    for account in DEMO_ACCOUNTS:
        assert listed[account.email]["Role"] == account.role.label
        assert listed[account.email]["Partnerships"] == (", ".join(account.partnerships) or "All")
        assert listed[account.email]["Signs in with"] == "password"


def test_a_county_admin_adds_a_user_who_is_then_listed(app):
    app = add(open_page(app, USERS), "New.Viewer@Test.example", Role.VIEWER, ["HB"], "x" * 16)
    assert not app.error
    assert app.success[0].value == "Added new.viewer@test.example (viewer)."
    assert users(app)["new.viewer@test.example"]["Partnerships"] == "HB"


def test_a_refused_account_is_said_with_the_field_and_nothing_is_added(app):
    app = add(open_page(app, USERS), "short@test.example", Role.CHAIR, ["NW"], "too short")
    (refusal,) = app.error
    assert refusal.value.startswith("Not saved. Password:")
    assert "short@test.example" not in users(app)
    assert app.text_input(key="add_email").value == "short@test.example"  # kept to put right


def test_every_wrong_field_of_a_new_account_is_said_at_once_beside_it(app):
    """Issue 15: three wrong fields, three problems: listed at the top and each under its
    field; what was typed stays."""
    app = add(open_page(app, USERS), "not an email", Role.CHAIR, [], "too short")
    (refusal,) = app.error
    assert refusal.value.startswith("Not saved: 3 things to put right.")
    assert "is not an email address" in said_under(app, "Email address")
    assert "needs at least one partnership" in said_under(app, "Partnerships")
    assert "Use at least 12 characters" in said_under(app, "Password")
    assert app.text_input(key="add_email").value == "not an email"


def test_a_county_admin_changes_a_role_and_removes_a_user(app):
    app = add(open_page(app, USERS), "mover@test.example", Role.COORDINATOR, ["NW"], "y" * 16)
    app.selectbox(key="change_user").set_value("mover@test.example").run()
    app.selectbox(key="change_role_mover@test.example").set_value(Role.CHAIR)
    app.multiselect(key="change_partnerships_mover@test.example").set_value(["NW", "ME"])
    (save,) = [button for button in app.button if button.label == "Save changes"]
    save.click().run()
    assert not app.error
    changed = users(app)["mover@test.example"]
    assert (changed["Role"], changed["Partnerships"]) == ("chair", "ME, NW")
    (remove,) = [button for button in app.button if button.label == "Remove mover@test.example"]
    remove.click().run()
    assert app.success[0].value.startswith("Removed mover@test.example")
    assert users(app)["mover@test.example"]["Active"] == "No (removed)"


def test_the_admin_cannot_pick_their_own_account_to_change(app):
    app = open_page(app, USERS)
    own = demo_account(Role.COUNTY_ADMIN).email
    options = app.selectbox(key="change_user").options
    assert options and not [option for option in options if own in option]
