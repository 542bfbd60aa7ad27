"""Money, term dates and settings held as data, not constants (R8, R14, R15, R21)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Numeric, UniqueConstraint
from sqlmodel import Field

from .base import Versioned
from .choices import RATE_KINDS, one_of


class FundingRate(Versioned, table=True):
    """An amount set for one financial year (April to March), e.g. the APC (R14, R15)."""

    __table_args__ = (
        one_of("kind", tuple(RATE_KINDS), "ck_funding_rate_kind"),
        UniqueConstraint("kind", "financial_year_start", name="uq_funding_rate"),
    )

    kind: str = Field(max_length=30)
    #: The calendar year the financial year starts in: 2025 means April 2025 to March 2026.
    financial_year_start: int
    amount: Decimal = Field(sa_type=Numeric(10, 2))


class TermDate(Versioned, table=True):
    """One term or half term; school days are the weekdays inside these ranges (R21, R25)."""

    __table_args__ = (CheckConstraint("end_date >= start_date", name="ck_term_dates"),)

    academic_year_start: int = Field(index=True)
    name: str = Field(max_length=40)
    start_date: date
    end_date: date


class Setting(Versioned, table=True):
    """A named setting a county admin may change, e.g. the R8 threshold."""

    __table_args__ = (UniqueConstraint("key", name="uq_setting_key"),)

    key: str = Field(max_length=60)
    value: str = Field(max_length=200)
