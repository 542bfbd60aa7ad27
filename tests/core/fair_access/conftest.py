"""The sample county on a spring Wednesday with Fair Access clocks ticking, on each engine."""

import pytest
from fa_sample import SEED, TODAY
from sqlalchemy import Engine

from seips_core.sample_county import generate_sample


@pytest.fixture
def county(engine) -> Engine:
    generate_sample(engine, seed=SEED, today=TODAY)
    return engine
