"""Every role against every service that writes: a county admin's request changes the store
and is audited under their email; anyone else's is refused and changes nothing, audit included.
"""

from datetime import date
from decimal import Decimal

import pytest
from service_store import TARGET, every_row

from seips_core.auth import accounts
from seips_core.auth.roles import Role
from seips_core.errors import NotAllowed
from seips_core.services import reference_data

pytestmark = pytest.mark.postgres

#: Each writing service, called with a valid change; all are a county admin's alone.
WRITERS = {
    "add_user": lambda engine, by: accounts.add_user(
        engine, by, email="new.chair@shire.example", display_name="New Chair", role="chair",
        partnerships=["HB"], password="another long password",
    ),
    "remove_user": lambda engine, by: accounts.remove_user(engine, by, TARGET),
    "set_role": lambda engine, by: accounts.set_role(engine, by, TARGET, "coordinator"),
    "set_partnerships": lambda engine, by: accounts.set_partnerships(
        engine, by, TARGET, ["NW", "HB"]
    ),
    "set_password of another user": lambda engine, by: accounts.set_password(
        engine, by, TARGET, "a new long password"
    ),
    "set_setting": lambda engine, by: reference_data.set_setting(engine, by, "r8_threshold", 5),
    "set_funding_rate": lambda engine, by: reference_data.set_funding_rate(
        engine, by, "average_pupil_cost", 2027, Decimal("5900.00")
    ),
    "add_term": lambda engine, by: reference_data.add_term(
        engine, by, 2027, "Autumn 1", date(2027, 9, 2), date(2027, 10, 22)
    ),
}  # fmt: skip


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("role", [r for r in Role if r is not Role.COUNTY_ADMIN])
def test_only_a_county_admin_may_write_a_refusal_changes_nothing(store, role_actor, role, writer):
    before = every_row(store)
    with pytest.raises(NotAllowed, match=f"You are a {role.label} of NW: only a county admin"):
        WRITERS[writer](store, role_actor(role))
    assert every_row(store) == before


@pytest.mark.parametrize("writer", WRITERS)
def test_a_county_admins_write_is_made_and_audited_under_their_email(store, role_actor, writer):
    admin = role_actor(Role.COUNTY_ADMIN)
    before = every_row(store)
    WRITERS[writer](store, admin)
    after = every_row(store)
    new_entries = after["auditentry"][len(before["auditentry"]) :]
    assert new_entries, "the change wrote no audit row"
    actor_column = 2  # AuditEntry columns: id, at, actor, ...
    assert {entry[actor_column] for entry in new_entries} == {admin.email}
    changed = {table for table in after if table != "auditentry" and after[table] != before[table]}
    assert changed, "the change changed nothing"


@pytest.mark.parametrize("role", list(Role))
def test_everyone_may_set_their_own_password(store, role_actor, role):
    me = role_actor(role)
    accounts.set_password(store, me, me.email.upper(), "my own new password")
    assert accounts.authenticate(store, me.email, "my own new password").role is role


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.COUNTY_ADMIN])
def test_only_a_county_admin_may_list_users(store, role_actor, role):
    with pytest.raises(NotAllowed, match="only a county admin may list users"):
        accounts.list_users(store, role_actor(role))
