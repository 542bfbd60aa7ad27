"""What a county admin keeps as data: settings (R8), money rates (R14, R15), term dates (R21).

Only a county admin may change them: they apply to every partnership at once.

Concurrency: a setting or rate being changed is locked while it is read, so of two admins
saving at once the second waits and writes over the first, and the audit trail keeps both
values in order (the second's "before" is the first's "after"). Two admins saving a setting or
rate that did not exist yet both insert it: the unique key refuses the second, which runs again
(``retried``) and changes the first's row. A term is added under the term table's write lock
(a term has no row to lock before it exists), so of two overlapping terms added at once the
second sees the first and is refused by R21.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import Engine, select

from ..auth.roles import Actor, Capability, require
from ..concurrency import changed_by, lock_table, retried
from ..db import write_session
from ..errors import InvalidValue, RuleViolation
from ..models import FundingRate, Setting, TermDate
from ..models.choices import RATE_KINDS
from ..retention import KINDS as RETENTION_KINDS
from ..retention import check_age
from ..school_days import academic_year_label
from ..school_days import academic_year_start as academic_year_of

#: The largest amount ``FundingRate.amount`` (NUMERIC(10, 2)) holds.
MAX_AMOUNT = Decimal("99999999.99")
TERM_NAME_LENGTH = 40


def _r8_threshold(value: str) -> str:
    """R8: pupils in full-time AP at one provider that make it an unregistered school."""
    text = value.strip()
    if not text.isdigit() or int(text) < 1:
        raise RuleViolation(
            "R8",
            f"r8_threshold: give a whole number of pupils, at least 1 (the partnerships' "
            f"guidance says 4, the statute 5), not '{value}'.",
        )
    return str(int(text))


def _retention_age(key: str) -> Callable[[str], str]:
    """The check of one kind's retention age (``seips_core.retention``)."""

    def check(value: str) -> str:
        try:
            return check_age(key, value)
        except ValueError as error:
            raise InvalidValue(str(error)) from None

    return check


#: The settings a county admin may change, each with the check that gives the stored text.
SETTINGS: dict[str, Callable[[str], str]] = {
    "r8_threshold": _r8_threshold,
    **{kind.setting: _retention_age(kind.setting) for kind in RETENTION_KINDS},
}


@retried
def set_setting(engine: Engine, by: Actor, key: str, value: str | int) -> None:
    """Set ``key`` to ``value`` once its check accepts it (e.g. ``r8_threshold`` = 4 or 5)."""
    require(by, Capability.MANAGE_REFERENCE_DATA, doing="change settings")
    check = SETTINGS.get(key)
    if check is None:
        raise InvalidValue(
            f"Setting: '{key}' is not a setting you can change; the settings are "
            f"{', '.join(SETTINGS)}."
        )
    stored = check(str(value))
    with write_session(by.email, engine) as session:
        setting = session.scalars(
            select(Setting).where(Setting.key == key).with_for_update()
        ).first()
        if setting is None:
            session.add(Setting(key=key, value=stored))
        else:
            setting.value = stored


@retried
def set_funding_rate(
    engine: Engine, by: Actor, kind: str, financial_year_start: int, amount: Decimal | str
) -> None:
    """Set one financial year's amount of one rate, e.g. the APC for 2026-27 (R14, R15)."""
    require(by, Capability.MANAGE_REFERENCE_DATA, doing="change money rates")
    if kind not in RATE_KINDS:
        raise InvalidValue(
            f"Rate: '{kind}' is not a rate held as data (R14, R15); the rates are "
            f"{', '.join(RATE_KINDS)}."
        )
    amount = _money(amount)
    with write_session(by.email, engine) as session:
        rate = session.scalars(
            select(FundingRate)
            .where(
                FundingRate.kind == kind, FundingRate.financial_year_start == financial_year_start
            )
            .with_for_update()
        ).first()
        if rate is None:
            session.add(
                FundingRate(kind=kind, financial_year_start=financial_year_start, amount=amount)
            )
        else:
            rate.amount = amount


@retried
def add_term(
    engine: Engine,
    by: Actor,
    academic_year_start: int,
    name: str,
    start_date: date,
    end_date: date,
) -> int:
    """Add a term or half term of an academic year; returns its id.

    R21: school days are the weekdays inside the terms, so a term must lie inside its academic
    year and overlap no other term (its days would count twice).
    """
    require(by, Capability.MANAGE_REFERENCE_DATA, doing="change term dates")
    name = name.strip()
    if not name or len(name) > TERM_NAME_LENGTH:
        raise InvalidValue(f"Term name: give a name of 1 to {TERM_NAME_LENGTH} characters.")
    if end_date < start_date:
        raise RuleViolation(
            "R21", f"Term dates: '{name}' ends ({end_date}) before it starts ({start_date})."
        )
    year = academic_year_label(academic_year_start)
    if {academic_year_of(start_date), academic_year_of(end_date)} != {academic_year_start}:
        raise RuleViolation(
            "R21",
            f"Term dates: '{name}' ({start_date} to {end_date}) is not inside the academic "
            f"year {year} (September to August).",
        )
    with write_session(by.email, engine) as session:
        lock_table(session, TermDate)
        clash = session.scalars(
            select(TermDate).where(TermDate.start_date <= end_date, TermDate.end_date >= start_date)
        ).first()
        if clash is not None:
            who = changed_by(session, TermDate, clash.id)
            added = f", added by {who}" if who else ""
            raise RuleViolation(
                "R21",
                f"Term dates: '{name}' overlaps '{clash.name}' ({clash.start_date} to "
                f"{clash.end_date}{added}); a school day would count twice.",
            )
        term = TermDate(
            academic_year_start=academic_year_start,
            name=name,
            start_date=start_date,
            end_date=end_date,
        )
        session.add(term)
        session.flush()
        return term.id


def _money(amount: Decimal | str) -> Decimal:
    """An amount in pounds and pence, from 0 to what the store holds."""
    try:
        value = Decimal(str(amount).strip().lstrip("£").replace(",", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= MAX_AMOUNT:
        raise InvalidValue(
            f"Amount: give pounds and pence from 0 to {MAX_AMOUNT:,}, not '{amount}'."
        )
    if value != value.quantize(Decimal("0.01")):
        raise InvalidValue(
            f"Amount: give whole pence (two decimal places at most), not '{amount}'."
        )
    return value.quantize(Decimal("0.01"))
