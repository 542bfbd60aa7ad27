"""The ``seips`` command line: the same store, queries and rules as the dashboard.

Every command works on the store named by ``SEIPS_DATABASE_URL`` (default ``./seips.db``).
"""

import getpass
import json
import os
import sqlite3
import sys
from dataclasses import asdict
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine, func, select

from .cli_audit import audit
from .cli_users import users
from .config import database_url
from .db import get_engine, read_session
from .migrate import upgrade
from .models import Partnership

app = typer.Typer(
    help="SEIP panel dashboard: store, sample county, import/export, flags and the dashboard.",
    no_args_is_help=True,
    add_completion=False,
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
    upgrade()
    return get_engine()


def _has_data(engine: Engine) -> bool:
    with read_session(engine) as session:
        return bool(session.scalar(select(func.count()).select_from(Partnership)))


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@app.command()
def init() -> None:
    """Create or upgrade the store's schema (Alembic migrations)."""
    _ready_store()
    typer.echo(f"Store ready: {database_url()}")


@app.command()
def sample(
    seed: Annotated[int, typer.Option(help="Same seed, same county.")] = 2026,
    scale: Annotated[Scale, typer.Option(help="county or national (benchmarks).")] = Scale.county,
) -> None:
    """Fill an empty store with the synthetic sample county."""
    from .sample_county import generate_sample

    engine = _ready_store()
    if _has_data(engine):
        _fail(
            "The store already holds data; the sample goes only into an empty store. "
            "Point SEIPS_DATABASE_URL at a new file to make one."
        )
    counts = generate_sample(engine, seed=seed, scale=scale.value)
    typer.echo(f"Sample {scale.value} loaded into {database_url()}:")
    for table, count in counts.items():
        typer.echo(f"  {table:<28}{count:>9,}")


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="A folder of CSV files or an .xlsx workbook.")],
) -> None:
    """Add the rows of a folder of CSV files or an Excel workbook: all of them, or none."""
    from .transfer import ImportRefused, import_path

    if not path.exists():
        _fail(f"{path}: no such file or folder.")
    engine = _ready_store()
    try:
        counts = import_path(path, engine, actor=_actor())
    except ImportRefused as refused:
        typer.echo(
            f"Import refused: {len(refused.problems)} problem(s); nothing was changed.", err=True
        )
        for problem in refused.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Imported {sum(counts.values()):,} rows from {path}:")
    for name, count in counts.items():
        typer.echo(f"  {name:<28}{count:>9,}")


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="A folder for CSV files, or an .xlsx file name.")],
    excel: Annotated[bool, typer.Option(help="One workbook with a sheet per table.")] = False,
) -> None:
    """Write the store out in the import formats."""
    from .transfer import export_path

    written = export_path(path, _ready_store(), excel=excel or path.suffix == ".xlsx")
    typer.echo(f"Wrote {len(written)} file(s) to {path}.")


@app.command()
def flags(
    on: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Evaluate as on this date.")
    ] = None,
    partnership: Annotated[str | None, typer.Option(help="A partnership code.")] = None,
    format: Annotated[FlagFormat, typer.Option("--format", help="text or json.")] = FlagFormat.text,
) -> None:
    """Print every rule flag that needs attention (the same checks as the dashboard)."""
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
def backup(
    destination: Annotated[
        Path | None, typer.Argument(help="Default: backups/seips-<timestamp>.db")
    ] = None,
) -> None:
    """Copy a live SQLite store safely (SQLite's online backup API), even while it is in use."""
    engine = get_engine()
    if engine.dialect.name != "sqlite":
        _fail("backup copies a SQLite store; for PostgreSQL use pg_dump.")
    source_path = engine.url.database
    if not source_path or not Path(source_path).exists():
        _fail(f"No store at {source_path}.")
    destination = destination or Path("backups") / f"seips-{datetime.now():%Y%m%d-%H%M%S}.db"
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source_path) as source, sqlite3.connect(destination) as copy:
        source.backup(copy)
    typer.echo(f"Backed up {source_path} to {destination}.")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8501,
    seed: Annotated[int, typer.Option(help="Seed of the sample made for an empty store.")] = 2026,
) -> None:
    """Start the dashboard; an empty store is first filled with the sample county."""
    from .sample_county import generate_sample

    engine = _ready_store()
    if not _has_data(engine):
        typer.echo("The store is empty: loading the sample county first…")
        generate_sample(engine, seed=seed)
    root = Path(__file__).resolve().parent.parent
    os.environ["SEIPS_DATABASE_URL"] = database_url()  # absolute before changing folder
    os.chdir(root)  # so that .streamlit/config.toml (theme, privacy settings) applies
    command = [
        sys.executable, "-m", "streamlit", "run", str(root / "dashboard" / "app.py"),
        "--server.port", str(port), "--server.headless", "true",
    ]  # fmt: skip
    typer.echo(f"Dashboard on http://localhost:{port} (store: {database_url()})")
    sys.stdout.flush()
    os.execv(sys.executable, command)
