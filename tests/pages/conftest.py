"""Page tests run the real app (``dashboard/app.py``) with AppTest on the sample county.

The sample is built once per session into a SQLite file, as on a fixed date; each test gets
a fresh AppTest pointed at it with the sidebar's "as on" date set to that day.
"""

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.state import AS_ON_KEY
from seips_core.db import get_engine
from seips_core.migrate import upgrade
from seips_core.sample_county import generate_sample

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
#: A Wednesday in the spring term: placements running, Fair Access clocks ticking.
TODAY = date(2026, 3, 4)
SEED = 7


@pytest.fixture(scope="session")
def county_url(tmp_path_factory) -> str:
    """A store holding the sample county as on ``TODAY``."""
    url = f"sqlite:///{tmp_path_factory.mktemp('county') / 'seips.db'}"
    upgrade(url)
    generate_sample(get_engine(url), seed=SEED, today=TODAY)
    return url


@pytest.fixture
def app(county_url, monkeypatch) -> AppTest:
    """The dashboard on the sample county, not yet run."""
    monkeypatch.setenv("SEIPS_DATABASE_URL", county_url)
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state[AS_ON_KEY] = TODAY
    return app
