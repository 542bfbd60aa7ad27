"""Money, term dates and settings held as data (R8, R14, R15, R21, R25)."""

from decimal import Decimal
from random import Random

from ..models import FundingRate, Setting, TermDate
from ..retention import KINDS as RETENTION_KINDS
from .calendar import half_terms
from .rows import Rows

#: R14: the APC rises each year from about £5,100; R15's amounts stay put.
APC_START, APC_RISE = 5100, 180
PUPIL_PREMIUM_START, PUPIL_PREMIUM_RISE = 985, 25
SEND_SCHOOL_THRESHOLD = Decimal(6000)
SPECIALIST_PLACEMENT = Decimal(25500)
#: R8: the partnerships' cautious threshold (the statute says 5).
R8_THRESHOLD = "4"


def add_funding_rates(rows: Rows, rng: Random, financial_years: range) -> None:
    """Each financial year's APC, pupil premium, SEND threshold and specialist placement rate."""
    for step, year in enumerate(financial_years):
        apc = APC_START + APC_RISE * step + rng.randrange(-40, 41, 10)
        amounts = {
            "average_pupil_cost": Decimal(apc),
            "pupil_premium": Decimal(PUPIL_PREMIUM_START + PUPIL_PREMIUM_RISE * step),
            "send_school_threshold": SEND_SCHOOL_THRESHOLD,
            "specialist_placement": SPECIALIST_PLACEMENT,
        }
        for kind, amount in amounts.items():
            rows.add(FundingRate, kind=kind, financial_year_start=year, amount=amount)


def add_term_dates(rows: Rows, academic_years: range) -> None:
    for year in academic_years:
        for name, start, end in half_terms(year):
            rows.add(TermDate, academic_year_start=year, name=name, start_date=start, end_date=end)


def add_settings(rows: Rows) -> None:
    """R8's threshold, and the retention schedule at its documented defaults (issue 16)."""
    rows.add(Setting, key="r8_threshold", value=R8_THRESHOLD)
    for kind in RETENTION_KINDS:
        rows.add(Setting, key=kind.setting, value=str(kind.default_age))
