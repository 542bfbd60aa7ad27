"""The sample county on the day of NW's panel meeting, and people to race each other in it."""

from collections.abc import Callable

import pytest
from race import TODAY
from sqlalchemy import Engine, select

from seips_core.auth.accounts import add_user
from seips_core.auth.roles import SYSTEM_ACTOR, Actor, Role
from seips_core.db import read_session
from seips_core.models import Meeting, Partnership
from seips_core.sample_county import generate_sample


@pytest.fixture
def county(engine) -> Engine:
    generate_sample(engine, today=TODAY)
    return engine


@pytest.fixture
def people(county) -> Callable[[Role, int], list[Actor]]:
    """``people(role, n)``: n registered users of ``role`` (of NW), named "Chair 1", "Chair 2"…
    so that a refusal can be checked for the name of the one who saved first."""

    def register(role: Role, count: int) -> list[Actor]:
        partnerships = frozenset() if role is Role.COUNTY_ADMIN else frozenset({"NW"})
        actors = [
            Actor(f"{role.value}.{n}@race.example", f"{role.label.title()} {n}", role, partnerships)
            for n in range(1, count + 1)
        ]
        for actor in actors:
            add_user(
                county, SYSTEM_ACTOR("cli:races"), email=actor.email,
                display_name=actor.display_name, role=role, partnerships=sorted(partnerships),
            )  # fmt: skip
        return actors

    return register


@pytest.fixture
def meeting(county) -> Meeting:
    """Today's NW panel meeting."""
    with read_session(county) as session:
        return session.scalars(
            select(Meeting)
            .join(Partnership, Partnership.id == Meeting.partnership_id)
            .where(Partnership.code == "NW", Meeting.meeting_date == TODAY)
        ).one()
