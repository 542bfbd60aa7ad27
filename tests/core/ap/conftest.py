"""The AP read-side tests' fixtures: a small store crafted with ``write_session``, and the sample
county on a spring Wednesday, each on SQLite and PostgreSQL.

The store builder extends ``tests/core/query_store.QueryStore`` rather than copying it: put
``tests/core`` on the import path, as it is for the tests directly in it.
"""

import sys
from pathlib import Path

_CORE_TESTS = str(Path(__file__).resolve().parents[1])
if _CORE_TESTS not in sys.path:
    sys.path.insert(0, _CORE_TESTS)

import pytest  # noqa: E402
from ap_read_store import SAMPLE_DAY, SAMPLE_SEED  # noqa: E402
from sqlalchemy import Engine  # noqa: E402

from seips_core.sample_county import generate_sample  # noqa: E402


@pytest.fixture
def county(engine) -> Engine:
    """The sample county as on ``SAMPLE_DAY``: placements running, one provider over R8's line."""
    generate_sample(engine, seed=SAMPLE_SEED, today=SAMPLE_DAY)
    return engine
