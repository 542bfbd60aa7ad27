"""The termly report's fixtures: the sample county on SQLite and PostgreSQL, and its report for
North Wold's Spring 2026 term while it runs, made by a chair of the partnership."""

import pytest
from sqlalchemy import Engine
from termly_helpers import CHAIR, TODAY, Built, term_bounds

from seips_core.db import read_session
from seips_core.reports.termly import termly_report
from seips_core.sample_county import generate_sample


@pytest.fixture
def sample(engine) -> Engine:
    generate_sample(engine, today=TODAY)
    return engine


@pytest.fixture
def built(sample) -> Built:
    """North Wold's report for Spring 2026, made on ``TODAY`` by its chair."""
    first, last = term_bounds(sample, "Spring")
    with read_session(sample) as session:
        report = termly_report(session, CHAIR, "NW", term_start=first, today=TODAY)
    return Built(sample, report, first, last)
