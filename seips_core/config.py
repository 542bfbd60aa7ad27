"""Settings read from the environment, with defaults that run on a laptop."""

import os
from pathlib import Path

#: The county whose pupils are "home": any other home LA is another LA under R4.
COUNTY_LA = os.environ.get("SEIPS_COUNTY_LA", "Shire County")
#: R5: the city next door, whose scale (PSP1 = Tier 2, PSP2a = Tier 3, PSP3 = Tier 4) is shown
#: beside the tier of a pupil whose home LA is this one.
CITY_LA = os.environ.get("SEIPS_CITY_LA", "City of Exampleton")
#: The app's entry point: Streamlit reads the app's own settings beside it
#: (``dashboard/.streamlit/config.toml``), installed or checked out.
DASHBOARD_APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def database_url() -> str:
    """``SEIPS_DATABASE_URL``, else a SQLite file ``seips.db`` in the working folder."""
    return os.environ.get("SEIPS_DATABASE_URL") or f"sqlite:///{Path.cwd() / 'seips.db'}"
