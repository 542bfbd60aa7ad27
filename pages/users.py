"""County admins: who may sign in, with which role and for which partnerships; add, change and
remove accounts, and sign a person out everywhere.

Every change goes through ``seips_core.auth.accounts``, which checks the admin's right to make
it, refuses a wrong value with a message naming the field, and audits it.
"""

from functools import partial

import streamlit as st

from dashboard.auth import current_actor
from dashboard.form_problems import FormProblems
from dashboard.store import COUNTY_FACTS, cached_query, call
from dashboard.tables import users_frame
from dashboard.text import md
from dashboard.widgets import show_table
from seips_core.auth.accounts import (
    add_user,
    end_sessions,
    list_users,
    remove_user,
    set_partnerships,
    set_password,
    set_role,
)
from seips_core.auth.roles import Role
from seips_core.errors import SeipsError
from seips_core.queries.partnerships import partnership_choices

DONE_KEY = "_users_done"

actor = current_actor()
codes = [choice.code for choice in cached_query(partnership_choices, scope=COUNTY_FACTS)]
roles = list(Role)

st.title("Users")
st.caption("Who may sign in, their role and the partnerships whose data they see.")
done = st.session_state.pop(DONE_KEY, None)
if done:
    st.success(md(done))


def changed(message: str, *cleared: str) -> None:
    """Say what was done on the next run, which shows the list as it now is, with the fields
    keyed ``cleared`` blank again. A refusal clears nothing: what was typed stays to put right."""
    for key in cleared:
        st.session_state.pop(key, None)
    st.session_state[DONE_KEY] = message
    st.rerun()


users = call(list_users, actor)
show_table(users_frame(users))

st.header("Add a user")
ADD_KEYS = ("add_email", "add_name", "add_role", "add_partnerships", "add_password")
with st.form("add_user"):
    problems = FormProblems()
    email = st.text_input("Email address", key="add_email")
    problems.beside("Email")
    name = st.text_input("Name shown on screen", key="add_name")
    problems.beside("Name")
    role = st.selectbox("Role", roles, format_func=lambda each: each.label, key="add_role")
    problems.beside("Role")
    partnerships = st.multiselect(
        "Partnerships",
        codes,
        help="Every role but county admin works for at least one.",
        key="add_partnerships",
    )
    problems.beside("Partnerships")
    password = st.text_input(
        "Password",
        type="password",
        help="At least 12 characters. Leave empty for a user who signs in only with their "
        "council account.",
        key="add_password",
    )
    problems.beside("Password")
    if st.form_submit_button("Add user", type="primary"):
        try:
            added = call(
                add_user,
                actor,
                email=email,
                display_name=name,
                role=role,
                partnerships=partnerships,
                password=password or None,
            )
        except SeipsError as refused:
            problems.show(refused)
        else:
            changed(f"Added {added.email} ({added.role.label}).", *ADD_KEYS)

# One's own account is left to another county admin (the service refuses it too).
others = {user.email: user for user in users if user.is_active and user.email != actor.email}
if not others:
    st.stop()
st.header("Change a user")
chosen = others[
    st.selectbox(
        "User",
        list(others),
        format_func=lambda email: f"{others[email].display_name} ({email})",
        key="change_user",
    )
]
with st.form("change_user"):
    problems = FormProblems()
    new_role = st.selectbox(
        "Role",
        roles,
        index=roles.index(chosen.role),
        format_func=lambda each: each.label,
        key=f"change_role_{chosen.email}",
    )
    problems.beside("Role")
    new_partnerships = st.multiselect(
        "Partnerships",
        codes,
        default=list(chosen.partnerships),
        key=f"change_partnerships_{chosen.email}",
    )
    problems.beside("Partnerships")
    new_password = st.text_input(
        "New password",
        type="password",
        help="Leave empty to keep the present one.",
        key=f"change_password_{chosen.email}",
    )
    problems.beside("Password")
    if st.form_submit_button("Save changes", type="primary"):
        steps = []
        if new_role is not chosen.role:
            steps.append(partial(call, set_role, actor, chosen.email, new_role))
        if sorted(new_partnerships) != sorted(chosen.partnerships):
            # Each step leaves a valid account: the partnerships first when there will be some
            # (a county admin becoming a chair), last when there will be none.
            steps.insert(
                0 if new_partnerships else len(steps),
                partial(call, set_partnerships, actor, chosen.email, new_partnerships),
            )
        try:
            for step in steps:
                step()
            if new_password:
                call(set_password, actor, chosen.email, new_password)
        except SeipsError as refused:
            problems.show(refused)
        else:
            changed(f"Saved the changes to {chosen.email}.", f"change_password_{chosen.email}")


def account_button(label: str, icon: str, help_: str, service, done: str) -> None:
    """A button that applies ``service`` to the chosen account and says ``done``."""
    if st.button(label, icon=icon, help=help_):
        try:
            call(service, actor, chosen.email)
        except SeipsError as refused:
            st.error(md(refused))
        else:
            changed(done)


ending, removing = st.columns(2)
with ending:
    account_button(
        f"End {md(chosen.email)}'s sessions",
        ":material/logout:",
        "Signs them out on every screen at their next click; they may sign in again.",
        end_sessions,
        f"Ended {chosen.email}'s sessions: every screen they were signed in on is signed out "
        "at its next click.",
    )
with removing:
    account_button(
        f"Remove {md(chosen.email)}",
        ":material/person_remove:",
        "They can no longer sign in, and their open sessions end at their next click.",
        remove_user,
        f"Removed {chosen.email}: they can no longer sign in.",
    )
