"""Who may sign in and what each role may do.

``roles`` holds the capability table and the permission checks the services call;
``accounts`` signs people in (local passwords, or the county's single sign-on), re-reads a
signed-in account on every run and manages accounts; ``throttle`` says how long wrong
passwords make the next try wait; ``sessions`` says when a signed-in session ends;
``browser_sessions`` keeps a sign-in across reloads by a signed token (``signed_tokens``, which
signs wall links too); ``demo`` gives a demo store one synthetic account per role. Nothing here
imports Streamlit.

The package itself imports nothing: ``from seips_core.auth.roles import Role`` (the command
line's option types) then costs no database library at start (issue 13). Import what you use
from its module.
"""
