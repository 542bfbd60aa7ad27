"""Roles and capabilities: who may do what, and refusals that say who was refused and why."""

import pytest

from seips_core.auth.roles import (
    CAPABILITIES,
    SYSTEM_ACTOR,
    Actor,
    Capability,
    Role,
    require,
    require_partnership,
    require_role,
)
from seips_core.errors import NotAllowed
from seips_core.models.users import ROLES

#: The brief's table, written out: which roles may offer each capability.
EXPECTED = {
    "read_agenda": {"viewer", "coordinator", "chair", "county_admin"},
    "read_statistics": {"viewer", "coordinator", "chair", "county_admin"},
    "edit_cases": {"coordinator", "chair", "county_admin"},
    "see_names": {"coordinator", "chair", "county_admin"},
    "export": {"chair", "county_admin"},
    "view_audit": {"chair", "county_admin"},
    "manage_users": {"county_admin"},
    "manage_reference_data": {"county_admin"},
    "subject_access": {"county_admin"},
}


def actor(role: Role, *codes: str) -> Actor:
    return Actor(f"{role}@shire.example", f"A {role.label}", role, frozenset(codes))


def test_the_roles_are_the_four_the_store_accepts():
    assert tuple(Role) == ROLES


def test_every_capability_is_in_the_table():
    assert set(CAPABILITIES) == set(Capability) == set(EXPECTED)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("capability", sorted(EXPECTED))
def test_may_answers_from_the_capability_table(role, capability):
    assert actor(role, "NW").may(capability) is (role in EXPECTED[capability])


def test_an_unknown_capability_is_an_error_not_a_quiet_no():
    with pytest.raises(ValueError, match="expor"):
        actor(Role.CHAIR, "NW").may("expor")


def test_a_chair_sees_their_partnerships_only_and_an_admin_sees_all():
    chair = actor(Role.CHAIR, "NW", "HB")
    admin = actor(Role.COUNTY_ADMIN)
    assert chair.can_see("NW") and chair.can_see("HB")
    assert not chair.can_see("ME")
    assert not chair.can_see(None)  # the whole county
    assert not chair.sees_all
    assert admin.sees_all and admin.can_see("ME") and admin.can_see(None)


def test_require_role_names_the_role_refused_and_the_roles_allowed():
    with pytest.raises(NotAllowed) as refused:
        require_role(actor(Role.VIEWER, "NW"), Role.CHAIR, Role.COUNTY_ADMIN, doing="export")
    assert str(refused.value) == (
        "You are a viewer of NW: only a chair or county admin may export."
    )
    require_role(actor(Role.CHAIR, "NW"), Role.CHAIR, Role.COUNTY_ADMIN, doing="export")


def test_require_checks_the_capability_table():
    with pytest.raises(NotAllowed, match="co-ordinator of NW: only a county admin may add users"):
        require(actor(Role.COORDINATOR, "NW"), Capability.MANAGE_USERS, doing="add users")
    require(actor(Role.COUNTY_ADMIN), Capability.MANAGE_USERS, doing="add users")


def test_require_partnership_refuses_another_partnership_naming_it():
    coordinator = actor(Role.COORDINATOR, "NW")
    require_partnership(coordinator, "NW")
    with pytest.raises(NotAllowed, match="co-ordinator of NW: you may not see or change "
                       "partnership HB's data"):  # fmt: skip
        require_partnership(coordinator, "HB")
    with pytest.raises(NotAllowed, match="the whole county's data"):
        require_partnership(coordinator, None)


def test_the_command_line_acts_as_a_county_admin():
    system = SYSTEM_ACTOR("cli:alex")
    assert system.email == "cli:alex"
    assert system.role is Role.COUNTY_ADMIN and system.sees_all
    assert all(system.may(capability) for capability in Capability)
