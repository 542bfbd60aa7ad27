"""The sample county on the day of NW's panel meeting (the demo partnership), on each engine."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, select

from seips_core.auth.accounts import actor_for_oidc_user
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.roles import Actor, Role
from seips_core.db import read_session
from seips_core.models import Meeting, Partnership
from seips_core.sample_county import generate_sample

#: The sample holds a meeting of NW's panel on this day (a Wednesday), still open.
MEETING_DAY = date(2026, 11, 25)


@pytest.fixture
def county(engine) -> Engine:
    generate_sample(engine, today=MEETING_DAY)
    return engine


@pytest.fixture
def demo(county) -> Callable[[Role], Actor]:
    """The demo account of a role, as the dashboard signs it in."""

    def actor(role: Role) -> Actor:
        (account,) = [a for a in DEMO_ACCOUNTS if a.role is role]
        return actor_for_oidc_user(county, account.email)

    return actor


@pytest.fixture
def nw_meeting(county) -> Meeting:
    """Today's NW panel meeting."""
    with read_session(county) as session:
        return session.scalars(
            select(Meeting)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(Partnership.code == "NW", Meeting.meeting_date == MEETING_DAY)
        ).one()
