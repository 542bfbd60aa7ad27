"""``seips user …``: accounts from the command line, acting as the county admin.

Whoever has the shell has the store's file, so these commands act with county admin rights
(``SYSTEM_ACTOR``), audited as ``cli:<login>`` like every other command-line change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .auth.local_time import COUNTY_TIME
from .auth.roles import SYSTEM_ACTOR, Actor, Role
from .errors import SeipsError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from .auth.accounts import UserSummary

users = typer.Typer(
    help="Accounts: who may sign in, with which role, for which partnerships.",
    no_args_is_help=True,
)

Email = Annotated[str, typer.Argument(help="The user's email (stored in lower case).")]
Partnerships = Annotated[
    list[str] | None,
    typer.Option("--partnership", help="A partnership code; repeat for several."),
]


def _accounts():
    """``seips_core.auth.accounts``, imported by the command that needs it: the command line
    starts without the database library (issue 13)."""
    from .auth import accounts

    return accounts


def _run(change) -> object:
    """Run ``change(engine, admin)`` on the migrated store; a refusal is printed, exit code 1."""
    from .cli import _actor, _fail, _ready_store  # late: cli.py registers this sub-app

    engine: Engine = _ready_store()
    admin: Actor = SYSTEM_ACTOR(_actor())
    try:
        return change(engine, admin)
    except SeipsError as refused:
        _fail(str(refused))


def _new_password() -> str:
    return typer.prompt("New password", hide_input=True, confirmation_prompt=True)


@users.command("add")
def add(
    email: Email,
    name: Annotated[str, typer.Option("--name", help="The name shown on screen.")],
    role: Annotated[Role, typer.Option("--role", help="What the user may do.")],
    partnership: Partnerships = None,
    password_prompt: Annotated[
        bool,
        typer.Option(
            "--password-prompt",
            help="Ask for a local password; without it the user signs in by single sign-on.",
        ),
    ] = False,
) -> None:
    """Register a user (or bring a removed one back)."""
    password = _new_password() if password_prompt else None
    summary = _run(
        lambda engine, admin: _accounts().add_user(
            engine, admin, email=email, display_name=name, role=role,
            partnerships=partnership or [], password=password,
        )
    )  # fmt: skip
    typer.echo(f"Added {_line(summary)}")


@users.command("remove")
def remove(email: Email) -> None:
    """Stop a user signing in (the account is kept, inactive, for the audit trail)."""
    _run(lambda engine, admin: _accounts().remove_user(engine, admin, email))
    typer.echo(f"Removed {email.strip().lower()}: they can no longer sign in.")


@users.command("end-sessions")
def end_sessions(email: Email) -> None:
    """Sign a user out everywhere: each open session ends at its next click."""
    _run(lambda engine, admin: _accounts().end_sessions(engine, admin, email))
    typer.echo(
        f"Ended the sessions of {email.strip().lower()}: every screen they were signed in on "
        "is signed out at its next click; they may sign in again."
    )


@users.command("set-role")
def set_role(email: Email, role: Annotated[Role, typer.Argument(help="The new role.")]) -> None:
    """Give a user another role."""
    summary = _run(lambda engine, admin: _accounts().set_role(engine, admin, email, role))
    typer.echo(f"Changed {_line(summary)}")


@users.command("set-partnerships")
def set_partnerships(email: Email, partnership: Partnerships = None) -> None:
    """Replace the partnerships a user works for."""
    summary = _run(
        lambda engine, admin: _accounts().set_partnerships(engine, admin, email, partnership or [])
    )
    typer.echo(f"Changed {_line(summary)}")


@users.command("set-password")
def set_password(email: Email) -> None:
    """Set a user's local password (asked twice, not shown); it also clears the waits that
    wrong passwords for this email have earned."""
    password = _new_password()
    _run(lambda engine, admin: _accounts().set_password(engine, admin, email, password))
    typer.echo(f"Password set for {email.strip().lower()}.")


@users.command("list")
def list_() -> None:
    """Every account: email, role, partnerships, how they sign in, last sign-in."""
    summaries = _run(lambda engine, admin: _accounts().list_users(engine, admin))
    for summary in summaries:
        typer.echo(_line(summary))
    typer.echo(f"{len(summaries)} account(s).")


def _line(user: UserSummary) -> str:
    partnerships = "all partnerships" if user.role is Role.COUNTY_ADMIN else (
        ", ".join(user.partnerships) or "no partnership"
    )  # fmt: skip
    if not user.is_active:
        status = "removed"
    else:
        status = "password" if user.has_password else "single sign-on"
    last = (
        user.last_sign_in.astimezone(COUNTY_TIME).strftime("%Y-%m-%d %H:%M")
        if user.last_sign_in
        else "never"
    )
    return (
        f"{user.email}  {user.display_name}  {user.role.label} ({partnerships})  "
        f"[{status}; last sign-in {last}]"
    )
