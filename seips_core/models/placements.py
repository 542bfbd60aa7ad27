"""AP providers and placements (R7–R12, R26–R28)."""

from datetime import date

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from .base import Versioned
from .choices import PLACEMENT_KINDS, one_of


class Provider(Versioned, table=True):
    """An Alternative Provision or work-experience provider, shared across partnerships (R8)."""

    name: str = Field(max_length=160, unique=True, index=True)
    is_registered_school: bool = Field(default=False)
    #: R10: the latest safeguarding training of its staff; None means no record.
    staff_training_date: date | None = None
    dsl_name: str | None = Field(default=None, max_length=120)
    #: R10: the DSL's latest training with the county trainers.
    dsl_training_date: date | None = None
    #: R12: work experience needs a passed LEBC check.
    lebc_check_date: date | None = None


class SafeguardingConfirmation(Versioned, table=True):
    """R27: a commissioning school's written confirmation of a provider's staff checks."""

    __table_args__ = (
        UniqueConstraint("school_id", "provider_id", name="uq_safeguarding_confirmation"),
    )

    school_id: int = Field(foreign_key="school.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    received_date: date


class Placement(Versioned, table=True):
    """A pupil's AP or work-experience placement, with its weekly session pattern.

    ``sessions`` lists the half-days attended, space-separated from
    ``choices.SESSIONS`` (e.g. ``"MonAM MonPM WedAM"``).
    """

    __table_args__ = (
        one_of("kind", PLACEMENT_KINDS, "ck_placement_kind"),
        CheckConstraint("hours_per_week >= 0 AND hours_per_week <= 40", name="ck_placement_hours"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_placement_dates"),
    )

    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    #: The commissioning school (R27), on whose roll the pupil stays (R17, R26).
    school_id: int = Field(foreign_key="school.id", index=True)
    kind: str = Field(default="ap", max_length=16)
    sessions: str = Field(max_length=60)
    hours_per_week: float
    start_date: date = Field(index=True)
    #: R9/R26: a planned end date, or a maximum duration in weeks, or both.
    planned_end_date: date | None = None
    max_duration_weeks: int | None = None
    #: R9: the written plan agreed by the school and those with parental responsibility.
    plan_agreed_date: date | None = None
    #: R11/R26: reviewed at least half-termly.
    last_review_date: date | None = None
    next_review_date: date | None = None
    #: R26: the LA is informed of each placement.
    la_informed_date: date | None = None
    #: The day the placement actually ended; None while it runs.
    end_date: date | None = None
    #: R8: why a co-ordinator saved this placement although it took its provider over the
    #: illegal-school line; who and when are in the audit trail.
    r8_confirmation: str | None = Field(default=None, max_length=500)
