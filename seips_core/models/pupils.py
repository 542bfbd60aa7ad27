"""Pupils and their tier history (R4–R6, R15, R17, R18)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Numeric
from sqlmodel import Field

from .base import Versioned
from .choices import LAC_STATUSES, OFF_ROLL_REASONS, TIERS, one_of


class Pupil(Versioned, table=True):
    """A child known to a partnership. Shown on the wall by case reference and initials only."""

    __table_args__ = (
        one_of("lac_status", LAC_STATUSES, "ck_pupil_lac_status"),
        one_of("off_roll_reason", OFF_ROLL_REASONS, "ck_pupil_off_roll_reason"),
        CheckConstraint("year_group BETWEEN 7 AND 13", name="ck_pupil_year_group"),
    )

    case_ref: str = Field(max_length=20, unique=True, index=True)
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80)
    date_of_birth: date
    year_group: int
    #: R2: the school on roll decides the responsible partnership.
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    #: R4: a home LA other than the county's means a referral to it at Tier 4.
    home_la: str = Field(max_length=80)
    lac_status: str = Field(default="none", max_length=10)
    #: R18: the placing authority of a looked-after child from another LA.
    lac_la: str | None = Field(default=None, max_length=80)
    ehcp: bool = Field(default=False)
    sen_support: bool = Field(default=False)
    pupil_premium: bool = Field(default=False)
    #: R15: top-up funding lasts one school year (the year it starts in) and does not roll over.
    top_up_amount: Decimal | None = Field(default=None, sa_type=Numeric(10, 2))
    top_up_year_start: int | None = None
    #: R17: off roll only when enrolled elsewhere or genuinely missing.
    off_roll_date: date | None = None
    off_roll_reason: str | None = Field(default=None, max_length=20)
    #: The day the retention schedule anonymised the pupil's file (``services.retention``):
    #: names and free text removed, the date of birth cut to the start of its school year.
    anonymised_on: date | None = None


class TierChange(Versioned, table=True):
    """One period at one tier (R6): a pupil's tier on a date comes from these rows.

    The period starts on ``from_date`` (the change counts on the day itself) and ends the day
    before ``to_date``; an open period has no ``to_date``. ``school_id`` is the school
    responsible during the period (R2), so counts per school at a past date stay true after a
    move. The City's label of a city-address pupil's tier (R5) is not stored: it follows from
    the tier and the pupil's home LA (``derived.psp_label_sql``).
    """

    __table_args__ = (
        one_of("tier", TIERS, "ck_tier_change_tier"),
        CheckConstraint("to_date IS NULL OR to_date > from_date", name="ck_tier_change_dates"),
    )

    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    tier: int
    from_date: date = Field(index=True)
    to_date: date | None = None
