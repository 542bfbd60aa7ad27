"""Schema changes are Alembic revisions; this runs them (``seips init``, tests, ``serve``)."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from .config import database_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for the store at ``url`` (default: ``SEIPS_DATABASE_URL``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> None:
    """Bring the store at ``url`` to the newest schema; an empty store gets all of it."""
    command.upgrade(alembic_config(url), "head")
