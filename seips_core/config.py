"""Settings read from the environment, with defaults that run on a laptop."""

import os
from pathlib import Path

#: The county whose pupils are "home": any other home LA is another LA under R4.
COUNTY_LA = os.environ.get("SEIPS_COUNTY_LA", "Shire County")


def database_url() -> str:
    """``SEIPS_DATABASE_URL``, else a SQLite file ``seips.db`` in the working folder."""
    return os.environ.get("SEIPS_DATABASE_URL") or f"sqlite:///{Path.cwd() / 'seips.db'}"
