"""The ``seips`` command line: the same store, queries and rules as the dashboard.

Every command works on the store named by ``SEIPS_DATABASE_URL`` (default ``./seips.db``).
Whatever a command writes (the store, backups, exports) is readable by its owner only, and a
known failure is a few plain lines and exit code 1, never a traceback (``_Commands``).

At start only Typer and the standard library are imported: the database, migrations and
models come in with the command that needs them, so ``seips --help`` answers at once
(issue 13; ``benchmarks/cli_start.py`` prints the figures).
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import sys
from dataclasses import asdict
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer
from typer.core import TyperGroup

from .cli_audit import audit
from .cli_progress import Quiet, progress_shown, say_counts
from .cli_users import users
from .config import DASHBOARD_APP, database_url
from .errors import SeipsError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from .doctor import Finding
    from .transfer.gias import Change

#: Files the process makes are readable and writable by their owner only (0600, folders 0700):
#: the store, its WAL, backups and exports hold children's records.
OWNER_ONLY_UMASK = 0o077
#: Where ``seips serve`` listens unless told otherwise: this machine only.
LOCAL_ONLY = "127.0.0.1"


class _Commands(TyperGroup):
    """Runs every command (``seips user …`` included) under the owner-only umask, and turns the
    errors a user can meet into a few plain lines and exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        os.umask(OWNER_ONLY_UMASK)  # inherited by the dashboard server ``serve`` starts
        try:
            return super().invoke(ctx)
        except (SeipsError, OSError) as error:
            typer.echo(_in_plain_words(error), err=True)
            raise typer.Exit(1) from None
        except Exception as error:
            if not _from_the_store(error):
                raise
            typer.echo(_in_plain_words(error), err=True)
            raise typer.Exit(1) from None


def _from_the_store(error: Exception) -> bool:
    """Is ``error`` the database's or the migrations' (known, said in plain words)? Asked only
    once something failed, and only of a command that used the store, so that starting the
    command line (and Click's own exits, such as after ``--help``) imports neither."""
    if "sqlalchemy" not in sys.modules:
        return False
    from alembic.util import CommandError
    from sqlalchemy.exc import ArgumentError, DBAPIError

    return isinstance(error, DBAPIError | ArgumentError | CommandError)


def _in_plain_words(error: Exception) -> str:
    """What went wrong, naming the file, row and column or the store where there is one."""
    from alembic.util import CommandError
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from .db import BUSY, is_busy

    if isinstance(error, SeipsError):
        return str(error)
    store = _shown_url()
    if isinstance(error, DBAPIError):
        if is_busy(error):
            return BUSY
        reason = str(error.orig).strip().splitlines()[0]
        return f"The store {store} could not be used: {reason}."
    if isinstance(error, ArgumentError):
        return f"SEIPS_DATABASE_URL is not a database address: {store}."
    if isinstance(error, CommandError):
        return f"The store {store} could not be brought up to date: {error}."
    assert isinstance(error, OSError)
    where = error.filename or store
    return f"{where}: {error.strerror or error}."


def _shown_url() -> str:
    """The store's address as it may be printed: any password masked."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(database_url()).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(database_url())


app = typer.Typer(
    cls=_Commands,
    help="SEIP panel dashboard: store, sample county, import/export, flags and the dashboard.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    # Click's plain help: Rich's would import a Markdown renderer (80 ms) before every answer.
    rich_markup_mode=None,
)
app.add_typer(users, name="user")
app.add_typer(audit, name="audit")


class Scale(StrEnum):
    county = "county"
    national = "national"


class FlagFormat(StrEnum):
    text = "text"
    json = "json"


def _actor() -> str:
    """Who the audit trail names for a command-line change."""
    return f"cli:{getpass.getuser()}"


def _ready_store() -> Engine:
    """The store at ``SEIPS_DATABASE_URL``, migrated to the newest schema."""
    from .db import get_engine
    from .migrate import upgrade

    upgrade()
    return get_engine()


def _has_data(engine: Engine) -> bool:
    from sqlalchemy import func, select

    from .db import read_session
    from .models import Partnership

    with read_session(engine) as session:
        return bool(session.scalar(select(func.count()).select_from(Partnership)))


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@app.command()
def init() -> None:
    """Create or upgrade the store's schema; a new store becomes a real store (for real data)."""
    from .db import read_session, write_session
    from .store_kind import StoreKind, record_kind, store_kind

    engine = _ready_store()
    with read_session(engine) as session:
        kind = store_kind(session)
    if kind is None:
        with write_session(_actor(), engine) as session:
            record_kind(session, StoreKind.REAL)
    if kind is StoreKind.DEMO:
        typer.echo(f"Store ready: {_shown_url()}, a demo store (the synthetic sample county).")
    else:
        typer.echo(
            f"Store ready: {_shown_url()}, a real store. "
            "Add your data with `seips import <folder or workbook>`."
        )


@app.command()
def sample(
    seed: Annotated[int, typer.Option(help="Same seed, same county.")] = 2026,
    scale: Annotated[Scale, typer.Option(help="county or national (benchmarks).")] = Scale.county,
    quiet: Quiet = False,
) -> None:
    """Fill an empty store with the synthetic sample county.

    On a terminal, a bar per step on stderr (the national scale runs a minute or more).
    """
    from .sample_county import generate_sample

    engine = _ready_store()
    _refuse_unless_demo(engine)
    if _has_data(engine):
        _fail(
            "The store already holds data; the sample goes only into an empty store. "
            "Point SEIPS_DATABASE_URL at a new file to make one."
        )
    with progress_shown(quiet) as progress:
        counts = generate_sample(engine, seed=seed, scale=scale.value, progress=progress)
    say_counts(f"Sample {scale.value} loaded into {database_url()}", counts, quiet)


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="A folder of CSV files or an .xlsx workbook.")],
    quiet: Quiet = False,
) -> None:
    """Add the rows of a folder of CSV files or an Excel workbook: all of them, or none.

    The first import into a new store makes it a real store; a demo store refuses real data.
    On a terminal, a bar per step on stderr: reading, checking, writing each table.
    """
    from .transfer import import_path

    if not path.exists():
        _fail(f"{path}: no such file or folder.")
    engine = _ready_store()
    with progress_shown(quiet) as progress:
        counts = import_path(path, engine, actor=_actor(), progress=progress)
    say_counts(f"Imported {sum(counts.values()):,} rows from {path}", counts, quiet)


@app.command()
def gias(
    path: Annotated[
        Path, typer.Argument(help="A GIAS all-establishments extract (edubasealldataYYYYMMDD.csv).")
    ],
    la: Annotated[str, typer.Option("--la", help="The LA code, such as 886.")],
    partnership: Annotated[
        str | None,
        typer.Option(help="The partnership code schools not yet in the store join."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
) -> None:
    """Create or update the LA's open secondary schools from Get Information about Schools.

    By URN: name, type, trust and number on roll (a blank roll keeps the stored one). Stored
    schools keep their partnership and membership; new ones join --partnership. All of them,
    or none with every problem by row and column.
    """
    from .transfer.gias import import_gias

    if not path.is_file():
        _fail(f"{path}: no such file.")
    plan = import_gias(
        path, _ready_store(), la=la, partnership=partnership, actor=_actor(), dry_run=dry_run
    )
    schools = len(plan.created) + len(plan.updated) + len(plan.unchanged)
    typer.echo(f"{path.name}, LA {la}: {schools} open secondary school(s).")
    verb = "Would create" if dry_run else "Created"
    if plan.created:
        typer.echo(f"{verb} {len(plan.created)} (partnership {partnership}):")
        for school in plan.created:
            typer.echo(f"  URN {school.urn}  {school.name}")
    if plan.updated:
        typer.echo(f"{'Would update' if dry_run else 'Updated'} {len(plan.updated)}:")
        for change in plan.updated:
            typer.echo(f"  URN {change.school.urn}  {change.school.name}: {_described(change)}")
    typer.echo(f"Unchanged: {len(plan.unchanged)}.")
    for note in plan.notes:
        typer.echo(f"Note: {note}")
    if dry_run:
        typer.echo("Nothing was written (--dry-run).")


def _described(change: Change) -> str:
    """``number on roll 900 → 950; trust (none) → Shire Learning Trust``."""
    from .transfer.gias import FIELD_WORDS

    return "; ".join(
        f"{FIELD_WORDS[name]} {_shown(old)} → {_shown(new)}"
        for name, (old, new) in change.fields.items()
    )


def _shown(value: object) -> str:
    return "(none)" if value is None else str(value)


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="A folder for CSV files, or an .xlsx file name.")],
    excel: Annotated[bool, typer.Option(help="One workbook with a sheet per table.")] = False,
    quiet: Quiet = False,
) -> None:
    """Write the store out in the import formats (on a terminal, with a bar per step)."""
    from .transfer import export_path

    engine = _ready_store()
    with progress_shown(quiet) as progress:
        written = export_path(
            path, engine, excel=excel or path.suffix == ".xlsx", progress=progress
        )
    typer.echo(f"Wrote {len(written)} file(s) to {path}.")


@app.command("subject-access")
def subject_access(
    case_ref: Annotated[str, typer.Argument(help="The pupil's case reference.")],
    folder: Annotated[Path, typer.Argument(help="A new or empty folder for the files.")],
    as_: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="The county admin account the export is recorded against (default: your "
            "login on this machine, with county admin rights like every command).",
        ),
    ] = None,
) -> None:
    """Export everything the store holds about one pupil (a subject access request).

    Writes one CSV per kind of record, a printable page (subject-access.html) and README.txt
    into FOLDER, which must be new or empty: a folder holding other files, perhaps another
    child's, is refused. The export is recorded (who, when, which pupil) with the reading.
    """
    from .auth.accounts import actor_for_oidc_user
    from .auth.roles import SYSTEM_ACTOR
    from .subject_access import export_subject_access

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        _fail(f"{folder}: not a new or empty folder; choose another for the files.")
    engine = _ready_store()
    actor = actor_for_oidc_user(engine, as_) if as_ else SYSTEM_ACTOR(_actor())

    def write(bundle) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in bundle.files.items():
            (folder / name).write_bytes(content)

    bundle = export_subject_access(engine, actor, case_ref, write)
    typer.echo(f"Wrote pupil {bundle.case_ref}'s records to {folder}:")
    for title, rows in bundle.counts.items():
        typer.echo(f"  {rows:>5}  {title}")
    typer.echo(f"The export is recorded as made by {actor.email}.")


@app.command()
def flags(
    on: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Evaluate as on this date.")
    ] = None,
    partnership: Annotated[str | None, typer.Option(help="A partnership code.")] = None,
    format: Annotated[FlagFormat, typer.Option("--format", help="text or json.")] = FlagFormat.text,
) -> None:
    """Print every rule flag that needs attention (the same checks as the dashboard)."""
    from .db import read_session
    from .queries.flags import county_flags

    engine = _ready_store()
    with read_session(engine) as session:
        found = county_flags(session, on.date() if on else date.today(), partnership)
    if format is FlagFormat.json:
        typer.echo(json.dumps([asdict(flag) for flag in found], indent=2))
        return
    for flag in found:
        typer.echo(f"{flag.rule:<5} {flag.severity:<9} {flag.subject}: {flag.message}")
    typer.echo(f"{len(found)} flag(s).")


@app.command()
def retention(
    on: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="As on this date (today).")
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Anonymise what is due, in one audited transaction.")
    ] = False,
) -> None:
    """List the pupils whose records the retention schedule says are due (by kind, case
    reference and due date; no names); with --apply, anonymise them in one audited
    transaction (docs/operations.md: Retention of pupils' records)."""
    from .auth.roles import SYSTEM_ACTOR
    from .db import read_session
    from .retention import due_report, falling_due, retention_problems
    from .services.retention import apply_retention

    day = on.date() if on else date.today()
    engine = _ready_store()
    with read_session(engine) as session:
        unset, due = retention_problems(session), falling_due(session, day)
    for problem in unset:
        typer.echo(problem, err=True)
    for line in due_report(due):
        typer.echo(line)
    if not apply:
        if due:
            typer.echo("Run again with --apply to anonymise them.")
        return
    done = apply_retention(engine, SYSTEM_ACTOR(_actor()), day)
    typer.echo(
        f"Anonymised {done.pupils} pupil(s): {done.rows} row(s) changed, each audited; "
        f"{done.redacted_entries} audit entries redacted (`seips audit verify` checks them)."
    )


@app.command()
def backup(
    destination: Annotated[
        Path | None, typer.Argument(help="Default: backups/seips-<timestamp>.db")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Copy a live SQLite store safely (SQLite's online backup API), even while it is in use.

    The copy is the store as it was when the copy began; on a terminal, a bar of pages copied.
    """
    from .backups import copy_store

    source = _sqlite_store("backup copies a SQLite store; for PostgreSQL use pg_dump.")
    if not source.exists():
        _fail(f"No store at {source}.")
    destination = destination or _in_backups("seips")
    try:
        with progress_shown(quiet) as progress:
            copy_store(source, destination, progress)
    except sqlite3.Error as error:
        _fail(f"{destination}: the backup could not be written: {error}.")
    typer.echo(f"Backed up {source} to {destination}.")


@app.command()
def restore(
    copy: Annotated[Path, typer.Argument(help="A copy made by `seips backup`.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Restore even if the store holds changes the copy lacks."),
    ] = False,
    keep_as: Annotated[
        Path | None,
        typer.Option(
            help="Where to keep the store it replaces. Default: backups/replaced-<timestamp>.db"
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Put a copy made by `seips backup` back as the SQLite store. Stop the dashboard first.

    The copy must pass SQLite's integrity check and be a SEIPS store of a schema this version
    knows (an older one is upgraded). A store holding audited changes the copy lacks is not
    replaced without --force. The store it replaces is kept (--keep-as).
    """
    from .backups import RestoreRefused, restore

    store = _sqlite_store(
        "restore writes a SQLite store. For PostgreSQL, stop the dashboard and use pg_restore "
        "with a copy made by pg_dump --format=custom, then run `seips init` to upgrade it."
    )
    kept = keep_as or _in_backups("replaced")
    try:
        with progress_shown(quiet) as progress:
            done = restore(copy, store, kept, force=force, progress=progress)
    except sqlite3.Error as error:
        raise RestoreRefused(
            f"{store}: the copy could not be written into the store: {error}."
        ) from error
    typer.echo(f"Restored {store} from {copy}.")
    if quiet:
        return
    if done.kept is not None:
        typer.echo(f"The store it replaced is kept at {done.kept}.")
    if done.upgraded_from is not None:
        typer.echo(
            f"The copy's schema (revision {done.upgraded_from}) was upgraded to this version's."
        )


@app.command()
def doctor(
    url: Annotated[
        str | None,
        typer.Option(help="The store. Default: SEIPS_DATABASE_URL (here or in --env-file)."),
    ] = None,
    env_file: Annotated[
        Path | None,
        typer.Option(help="The servers' environment file. Default: /etc/seips/seips.env if any."),
    ] = None,
    folder: Annotated[
        Path,
        typer.Option(
            help="The folder the servers run in (its .streamlit/). Default: here.",
            show_default=False,
        ),
    ] = Path(),
    backups: Annotated[
        Path | None,
        typer.Option(help="Where the backups are. Default: backups/ or /var/backups/seips."),
    ] = None,
    public_url: Annotated[
        str | None,
        typer.Option(help="The https:// address people open. Default: SEIPS_PUBLIC_URL."),
    ] = None,
) -> None:
    """Check a deployment before it goes live, and say what to fix (exit 1 if a check fails).

    The store and its schema, file permissions, error details, the listening address, HTTPS,
    cookie secrets, demo accounts, retention periods, the database role and the audit trail.
    It changes nothing: a SQLite store is opened read-only.
    """
    from . import doctor as checks

    if env_file is None and checks.DEFAULT_ENV_FILE.is_file():
        env_file = checks.DEFAULT_ENV_FILE
    if env_file is not None and not env_file.is_file():
        _fail(f"{env_file}: no such file.")
    deployment = checks.deployment(
        folder=folder,
        env_file=env_file,
        environ=os.environ,
        home=Path.home(),
        url=url,
        backups=backups,
        public_url=public_url,
        container=checks.in_a_container(),
    )
    findings = checks.examine(deployment)
    _print_findings(findings)
    if checks.failed(findings):
        raise typer.Exit(1)


def _print_findings(findings: list[Finding]) -> None:
    """The doctor's table, then one line: all well, or how many checks want attention. The
    findings are plain text (a path may hold "[…]"), never Rich markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .doctor import Status

    styles = {Status.OK: "green", Status.WARN: "yellow", Status.FAIL: "bold red"}
    table = Table(show_lines=True)
    table.add_column("Check")
    table.add_column("Result")
    table.add_column("Found, and what to do", overflow="fold")  # a hash or path is never cut
    for finding in findings:
        found = Text(finding.message)
        if finding.fix:
            found.append("\nTo do: ", style="bold").append(finding.fix)
        table.add_row(
            Text(finding.check),
            Text(finding.status.upper(), style=styles[finding.status]),
            found,
        )
    console = Console(highlight=False)
    console.print(table)
    failures = sum(finding.status is Status.FAIL for finding in findings)
    warnings = sum(finding.status is Status.WARN for finding in findings)
    if failures:
        summary = (
            f"{failures} check(s) failed, {warnings} warning(s): fix the failures before real "
            "data goes in (docs/operations.md, Before going live)."
        )
    elif warnings:
        summary = f"No check failed; {warnings} warning(s) to look at."
    else:
        summary = f"All {len(findings)} checks passed."
    console.print(Text(summary))


def _sqlite_store(otherwise: str) -> Path:
    """The file of the SQLite store at ``SEIPS_DATABASE_URL``; ``otherwise`` and exit 1 if the
    store is not SQLite."""
    from .db import get_engine

    engine = get_engine()
    if engine.dialect.name != "sqlite" or not engine.url.database:
        _fail(otherwise)
    return Path(engine.url.database)


def _in_backups(kind: str) -> Path:
    """``backups/<kind>-<timestamp>.db``: where copies go unless told otherwise."""
    return Path("backups") / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}.db"


def _refuse_unless_demo(engine: Engine) -> None:
    """``WrongStore`` (in plain words) for a store made for real data."""
    from .db import read_session
    from .store_kind import StoreKind, check_kind

    with read_session(engine) as session:
        check_kind(session, StoreKind.DEMO)


def _how_to_start(engine: Engine) -> str:
    """What to do about an empty store: import real data, or ask for the demo."""
    from .db import read_session
    from .store_kind import StoreKind, store_kind

    with read_session(engine) as session:
        real = store_kind(session) is StoreKind.REAL
    if real:
        return (
            f"The store {_shown_url()} holds no data yet: add it with "
            "`seips import <folder or workbook>`, then run `seips serve` again."
        )
    return (
        f"The store {_shown_url()} is empty. For the synthetic demo county: "
        "`seips serve --demo`.\nFor your own data: `seips init`, then "
        "`seips import <folder or workbook>`, then `seips serve`."
    )


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8501,
    address: Annotated[
        str,
        typer.Option(
            envvar="SEIPS_SERVER_ADDRESS",
            help="The address to listen on: 0.0.0.0 for every network interface.",
        ),
    ] = LOCAL_ONLY,
    demo: Annotated[
        bool, typer.Option("--demo", help="Fill an empty store with the synthetic sample county.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the sample made by --demo.")] = 2026,
) -> None:
    """Start the dashboard on the store; ``--demo`` fills an empty one with the sample county."""
    from .sample_county import generate_sample

    engine = _ready_store()
    if demo:
        _refuse_unless_demo(engine)
    if not _has_data(engine):
        if not demo:
            _fail(_how_to_start(engine))
        typer.echo("The store is empty: loading the synthetic sample county (a demo store) first…")
        generate_sample(engine, seed=seed)
    # The app's settings (theme, privacy, error details) are dashboard/.streamlit/config.toml,
    # which Streamlit reads beside the entry point from any folder, installed or checked out;
    # the folder served from keeps its own store and .streamlit/secrets.toml.
    # No watching of the source files: a served dashboard's code does not change under it, and
    # without watchdog Streamlit polls every module for every session and walks sys.modules
    # after every run, each live tick included (issue 13). `streamlit run` still watches.
    command = [
        sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP),
        "--server.port", str(port), "--server.address", address, "--server.headless", "true",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    shown = "localhost" if address == LOCAL_ONLY else address
    typer.echo(f"Dashboard on http://{shown}:{port} (store: {_shown_url()})")
    sys.stdout.flush()
    os.execv(sys.executable, command)
