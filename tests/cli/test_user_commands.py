"""``seips user``: accounts managed from the shell, as a county admin, and audited as such."""

import getpass
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from seips_core.auth.accounts import authenticate, current_actor
from seips_core.auth.errors import SessionEnded, SignInRefused
from seips_core.auth.roles import Role
from seips_core.cli import app
from seips_core.db import get_engine, read_session, write_session
from seips_core.migrate import upgrade
from seips_core.models import AuditEntry, Partnership

PASSWORD = "a long command-line password"
JO = "jo@shire.example"


@pytest.fixture
def store(seips, sqlite_url):
    """A migrated store (at ``SEIPS_DATABASE_URL``) with partnerships NW and HB."""
    upgrade(sqlite_url)
    engine = get_engine(sqlite_url)
    with write_session("test setup", engine) as session:
        session.add_all(
            [Partnership(code="NW", name="North Wold"), Partnership(code="HB", name="Harbury")]
        )
    return engine


def typing(*args: str, answers: Sequence[str]):
    """Run ``seips`` answering its prompts (the ``seips`` fixture has set the store's URL)."""
    return CliRunner().invoke(app, list(args), input="".join(f"{a}\n" for a in answers))


def add_jo(role: str = "viewer", *options: str, answers: Sequence[str] = ()):
    """``seips user add jo@… --name Jo --role ROLE OPTIONS…``."""
    return typing("user", "add", JO, "--name", "Jo", "--role", role, *options, answers=answers)


def test_a_user_added_with_a_password_signs_in_with_their_role(store):
    partnerships = ["--partnership", "NW", "--partnership", "hb"]
    result = add_jo("chair", *partnerships, "--password-prompt", answers=[PASSWORD, PASSWORD])
    assert result.exit_code == 0, result.output
    assert f"Added {JO}  Jo  chair (HB, NW)  [password; last sign-in never]" in result.output
    assert PASSWORD not in result.output
    actor = authenticate(store, JO.upper(), PASSWORD)
    assert (actor.role, actor.partnerships) == (Role.CHAIR, {"NW", "HB"})


def test_the_change_is_audited_as_the_command_line_user(store):
    add_jo("viewer", "--partnership", "NW")
    with read_session(store) as session:
        query = select(AuditEntry.actor).where(AuditEntry.table_name == "dashboard_user")
        actors = set(session.scalars(query))
    assert actors == {f"cli:{getpass.getuser()}"}


def test_list_shows_each_account_and_how_it_signs_in(seips, store):
    add_jo("coordinator", "--partnership", "NW")
    seips("user", "add", "admin@shire.example", "--name", "Alex", "--role", "county_admin")
    result = seips("user", "list")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "admin@shire.example  Alex  county admin (all partnerships)  "
        "[single sign-on; last sign-in never]",
        f"{JO}  Jo  co-ordinator (NW)  [single sign-on; last sign-in never]",
        "2 account(s).",
    ]


def test_set_role_set_partnerships_and_remove_change_what_the_user_may_do(seips, store):
    add_jo("viewer", "--partnership", "NW")
    assert "co-ordinator (NW)" in seips("user", "set-role", JO, "coordinator").output
    assert (
        "co-ordinator (HB)" in seips("user", "set-partnerships", JO, "--partnership", "HB").output
    )
    result = seips("user", "remove", JO.upper())
    assert result.exit_code == 0 and f"Removed {JO}: they can no longer sign in." in result.output
    assert "[removed;" in seips("user", "list").output


def test_end_sessions_signs_the_user_out_of_the_sessions_they_have_open(seips, store):
    add_jo("viewer", "--partnership", "NW")
    open_since = datetime.now(UTC) - timedelta(minutes=5)
    result = seips("user", "end-sessions", JO.upper())
    assert result.exit_code == 0, result.output
    assert f"Ended the sessions of {JO}: every screen they were signed in on" in result.output
    with pytest.raises(SessionEnded, match="a county admin ended your sessions"):
        current_actor(store, JO, open_since)
    assert current_actor(store, JO, datetime.now(UTC)).email == JO


def test_set_password_asks_twice_hidden_and_the_new_password_signs_in(store):
    add_jo("viewer", "--partnership", "NW")
    result = typing("user", "set-password", JO, answers=[PASSWORD, PASSWORD])
    assert result.exit_code == 0, result.output
    assert "New password:" in result.output and "Repeat for confirmation:" in result.output
    assert PASSWORD not in result.output
    assert authenticate(store, JO, PASSWORD).email == JO


def test_set_password_asks_again_when_the_two_answers_differ(store):
    add_jo("viewer", "--partnership", "NW")
    answers = [PASSWORD, "something else", PASSWORD, PASSWORD]
    result = typing("user", "set-password", JO, answers=answers)
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert authenticate(store, JO, PASSWORD).email == JO


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", JO, "--name", "Jo", "--role", "chair"], "a chair needs at least one partnership"),
        (
            ["add", JO, "--name", "Jo", "--role", "chair", "--partnership", "XX"],
            "Partnerships: no partnership XX; the partnerships are HB, NW.",
        ),
        (["remove", "nobody@shire.example"], "Email: nobody@shire.example is not registered"),
        (
            ["end-sessions", "nobody@shire.example"],
            "Email: nobody@shire.example is not registered",
        ),
    ],
    ids=["no partnership", "unknown partnership", "unknown email", "end unknown sessions"],
)
def test_a_refusal_says_why_and_fails_changing_nothing(seips, store, args, message):
    result = seips("user", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "0 account(s)." in seips("user", "list").output


def test_a_short_password_is_refused_and_no_account_is_made(seips, store):
    result = add_jo("viewer", "--partnership", "NW", "--password-prompt", answers=["short"] * 2)
    assert result.exit_code == 1
    assert "Password: use at least 12 characters (5 given)" in result.output
    assert "0 account(s)." in seips("user", "list").output
    with pytest.raises(SignInRefused):
        authenticate(store, JO, "short")
