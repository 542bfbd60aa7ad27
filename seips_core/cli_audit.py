"""``seips audit …``: checks on the audit trail, from the shell.

``verify`` only reads: it does not migrate the store first, so that checking a trail never
changes it (a store without the hash chain is told to run ``seips init``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

audit = typer.Typer(
    help="The audit trail: check that no entry was changed or taken out.",
    no_args_is_help=True,
)


def _has_hash_chain(engine: Engine) -> bool:
    from sqlalchemy import inspect

    from .models import AuditEntry

    schema = inspect(engine)
    table = AuditEntry.__tablename__
    return schema.has_table(table) and any(
        column["name"] == "entry_hash" for column in schema.get_columns(table)
    )


@audit.command("verify")
def verify() -> None:
    """Walk the trail's hash chain in id order: intact, or the first broken link (exit 1)."""
    from .audit_chain import redactions, verify_trail
    from .cli import _fail  # late: cli.py registers this sub-app
    from .db import get_engine, read_session

    engine = get_engine()
    if not _has_hash_chain(engine):
        _fail("This store's audit trail has no hash chain yet: run `seips init` to upgrade it.")
    with read_session(engine) as session:
        check = verify_trail(session)
        redacted = len(redactions(session))
    if check.broken:
        _fail(
            f"Audit trail broken at entry {check.broken.entry_id}: {check.broken.problem}. "
            f"The {check.intact_entries:,} entries before it are intact."
        )
    typer.echo(f"Audit trail intact: {check.intact_entries:,} entries.")
    if redacted:
        typer.echo(
            f"{redacted:,} of them redacted by the retention schedule: each matches the digest "
            "its redaction entry records."
        )
    if check.newest.entry_id is not None:
        typer.echo(
            f"Newest entry: {check.newest.entry_id}, hash {check.newest.entry_hash}. Note it: "
            "a trail cut short at its end still links up, but will not end on this hash."
        )
