"""Who may sign in and what each role may do.

``roles`` holds the capability table and the permission checks the services call;
``accounts`` signs people in (local passwords with lock-out, or the county's single sign-on)
and manages accounts; ``sessions`` says when a signed-in session ends; ``demo`` gives a demo
store one synthetic account per role. Nothing here imports Streamlit.
"""

from .accounts import (
    UserSummary,
    actor_for_oidc_user,
    add_user,
    authenticate,
    list_users,
    remove_user,
    set_partnerships,
    set_password,
    set_role,
)
from .demo import DEMO_ACCOUNTS, add_demo_accounts, is_demo_store
from .errors import SignInRefused
from .roles import (
    CAPABILITIES,
    SYSTEM_ACTOR,
    Actor,
    Capability,
    Role,
    require,
    require_partnership,
    require_role,
)
from .sessions import SessionPolicy, expired

__all__ = [
    "CAPABILITIES",
    "DEMO_ACCOUNTS",
    "SYSTEM_ACTOR",
    "Actor",
    "Capability",
    "Role",
    "SessionPolicy",
    "SignInRefused",
    "UserSummary",
    "actor_for_oidc_user",
    "add_demo_accounts",
    "add_user",
    "authenticate",
    "expired",
    "is_demo_store",
    "list_users",
    "remove_user",
    "require",
    "require_partnership",
    "require_role",
    "set_partnerships",
    "set_password",
    "set_role",
]
