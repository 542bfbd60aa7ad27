"""Referrals, Fair Access cases and exclusions (R13, R19–R25)."""

from datetime import date

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from .base import Versioned
from .choices import (
    EXCLUSION_KINDS,
    FAIR_ACCESS_CATEGORIES,
    REFERRAL_ROUTES,
    REFUSAL_KINDS,
    one_of,
)


class Referral(Versioned, table=True):
    """A school's request for partnership support, by one of the routes of R19."""

    __table_args__ = (one_of("route", REFERRAL_ROUTES, "ck_referral_route"),)

    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    route: str = Field(max_length=20)
    received_date: date
    summary: str = Field(default="", max_length=500)
    closed_date: date | None = None


class FairAccessCase(Versioned, table=True):
    """A child referred by School Admissions under the Fair Access Protocol (R13, R20, R21)."""

    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    year_group: int
    referred_date: date
    #: R20: no reasonable offer, in-year application tried.
    unplaced: bool = Field(default=True)
    eligibility_checked_date: date | None = None
    #: R21: the 20-school-day clock starts here.
    accepted_date: date | None = None
    allocated_school_id: int | None = Field(default=None, foreign_key="school.id")
    decision_date: date | None = None
    #: R13: the chosen school and Admissions are told as soon as the decision is taken.
    school_told_date: date | None = None
    admissions_told_date: date | None = None
    on_roll_date: date | None = None


class FairAccessCategory(Versioned, table=True):
    """One R20 category that applies to a Fair Access case."""

    __table_args__ = (
        one_of("category", tuple(FAIR_ACCESS_CATEGORIES), "ck_fa_category"),
        UniqueConstraint("case_id", "category", name="uq_fa_category"),
    )

    case_id: int = Field(foreign_key="fairaccesscase.id", index=True)
    category: str = Field(max_length=30)


class FairAccessRefusal(Versioned, table=True):
    """R22: a school's refusal or delay, recorded against the school, not hidden."""

    __table_args__ = (one_of("kind", REFUSAL_KINDS, "ck_fa_refusal_kind"),)

    case_id: int = Field(foreign_key="fairaccesscase.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    kind: str = Field(max_length=10)
    logged_date: date
    note: str = Field(default="", max_length=500)


class Exclusion(Versioned, table=True):
    """A suspension (with its school days) or a permanent exclusion (R25)."""

    __table_args__ = (
        one_of("kind", EXCLUSION_KINDS, "ck_exclusion_kind"),
        CheckConstraint("school_days IS NULL OR school_days > 0", name="ck_exclusion_days"),
    )

    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    kind: str = Field(max_length=12)
    start_date: date = Field(index=True)
    #: Suspension length; for a permanent exclusion, None.
    school_days: int | None = None
    #: R25: governors consider a permanent exclusion within 15 school days.
    governors_review_date: date | None = None
