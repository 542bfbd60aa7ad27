"""A meeting's quorum on screen, and the chair's form that sets the partnership's number.

The line says in words whether the panel is quorate (or, before anyone is ticked, whether
enough schools were told to make it so); the box's colour only repeats it. It stands apart
from the R13a warning: notification decides whether an allocation binds, quorum whether the
panel could decide (``seips_core.rules.quorum``).
"""

import streamlit as st

from dashboard.form_problems import FormProblems
from dashboard.store import cached_query, call
from dashboard.text import md
from seips_core.auth.roles import Actor, Role
from seips_core.errors import SeipsError
from seips_core.queries.partnerships import quorum_setting
from seips_core.rules.quorum import Quorum, majority
from seips_core.services.meetings import set_quorum

_SAVED_KEY = "_quorum_saved"


def quorum_box(quorum: Quorum) -> None:
    """The quorum's one line, as a success, a warning or a note."""
    if quorum.recorded and quorum.met:
        st.success(quorum.summary(), icon=":material/groups:")
    elif quorum.recorded or not quorum.reachable:
        st.warning(quorum.summary(), icon=":material/group_off:")
    else:
        st.info(quorum.summary(), icon=":material/groups:")


def quorum_form(actor: Actor, partnership: str) -> None:
    """For a chair or county admin: the partnership's quorum, blank for the default."""
    if saved := st.session_state.pop(_SAVED_KEY, None):
        st.success(md(saved), icon=":material/check_circle:")
    if actor.role not in (Role.CHAIR, Role.COUNTY_ADMIN):
        return
    setting = cached_query(quorum_setting, actor, partnership, scope=partnership)
    with st.popover("Change the quorum", icon=":material/tune:", key=f"quorum-{partnership}"):
        with st.form(f"quorum-form-{partnership}", enter_to_submit=False, border=False):
            problems = FormProblems()
            schools = st.number_input(
                f"Member schools that must be present ({partnership} has {setting.members})",
                min_value=1,
                max_value=max(setting.members, 1),
                value=setting.schools,
                step=1,
                placeholder=f"blank: a majority ({majority(setting.members)})",
                help="As the partnership's terms of reference say. Leave it blank for a "
                "majority of the member schools.",
            )
            problems.beside("Quorum")
            if not st.form_submit_button("Save the quorum", icon=":material/save:"):
                return
        try:
            call(
                set_quorum, actor, partnership, None if schools is None else int(schools),
                expected_version=setting.version,
            )  # fmt: skip
        except SeipsError as refused:
            problems.show(refused)
            return
    st.session_state[_SAVED_KEY] = f"Quorum for {partnership}: " + (
        f"{int(schools)} member schools." if schools is not None else "a majority."
    )
    st.rerun()
