"""Partnerships and their schools (R1–R3)."""

from sqlalchemy import CheckConstraint
from sqlmodel import Field

from .base import Versioned


class Partnership(Versioned, table=True):
    """A local SEIP (R1): the unit every view can be filtered to."""

    __table_args__ = (
        CheckConstraint("quorum_schools IS NULL OR quorum_schools >= 1", name="ck_quorum_schools"),
    )

    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=120)
    #: How many member schools must be present for the panel to decide, as the partnership's
    #: own terms of reference say; None: a majority of its member schools (``rules.quorum``).
    quorum_schools: int | None = None


class School(Versioned, table=True):
    """A secondary school, member of its partnership or not (R3)."""

    urn: int = Field(unique=True, index=True)
    name: str = Field(max_length=160)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    is_member: bool = Field(default=True)
    number_on_roll: int = Field(ge=0)
    local_authority: str = Field(max_length=80)
    #: GIAS's type of establishment ("Academy converter", "Community school"…), kept as the
    #: register words it (``transfer.gias``); None where nobody has said.
    establishment_type: str | None = Field(default=None, max_length=80)
    #: The academy trust it belongs to, as GIAS names it; None for a maintained school (or
    #: where nobody has said).
    trust: str | None = Field(default=None, max_length=160)
