"""Who may sign in and what each role may do.

``roles`` holds the capability table and the permission checks the services call;
``accounts`` signs people in (local passwords, or the county's single sign-on), re-reads a
signed-in account on every run and manages accounts; ``throttle`` says how long wrong
passwords make the next try wait; ``sessions`` says when a signed-in session ends;
``browser_sessions`` keeps a sign-in across reloads by a signed token (``signed_tokens``, which
signs wall links too); ``demo`` gives a demo store one synthetic account per role. Nothing here
imports Streamlit.
"""

from .accounts import (
    UserSummary,
    actor_for_oidc_user,
    add_user,
    authenticate,
    current_actor,
    end_sessions,
    list_users,
    remove_user,
    set_partnerships,
    set_password,
    set_role,
)
from .demo import DEMO_ACCOUNTS, add_demo_accounts, is_demo_store
from .errors import SessionEnded, SignInRefused
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
from .throttle import ThrottlePolicy

__all__ = [
    "CAPABILITIES",
    "DEMO_ACCOUNTS",
    "SYSTEM_ACTOR",
    "Actor",
    "Capability",
    "Role",
    "SessionEnded",
    "SessionPolicy",
    "SignInRefused",
    "ThrottlePolicy",
    "UserSummary",
    "actor_for_oidc_user",
    "add_demo_accounts",
    "add_user",
    "authenticate",
    "current_actor",
    "end_sessions",
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
