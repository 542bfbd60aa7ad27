"""What a school pays for its Tier 4 and permanently excluded pupils (R14, R15): pure arithmetic.

The queries find each pupil's time in the programme and the rates held as data; this module
prices it, in ``Decimal`` pounds and pence, and writes the working a school business manager
can check line by line ("APC £5,432.10 × 43/365 days = £639.95").

Choices, where the advice leaves room (sources: ``docs/rules.md``, R14 and R15):

- **Pro rata basis: calendar days.** A charge is the annual rate × the calendar days in the
  programme within the financial year ÷ the days in that financial year (365, or 366 when it
  holds a 29 February). The APC is a whole year's funding, holidays included, and the
  partnership's provision and costs run through the holidays too; school days would make the
  summer free and would need term dates held for every year charged (a year with none would
  price at zero). Days are counted inclusively: the period ``first`` to ``end`` (exclusive,
  as ``TierChange.to_date``) has ``end - first`` days.
- **Financial years and rate changes.** A period crossing 31 March is split; each part is
  priced at its own financial year's rate and ÷ its own year's days (R14: the APC is set each
  year). A rate missing for a year is never taken as zero: the part says "no APC rate held for
  2026/27: add it in reference data" and its amount stays unknown (None).
- **Pupil premium** is charged, pro rata on the same days, for a pupil whose record says
  pupil premium: the advice to city schools says the school is charged "the average pupil
  cost and pupil premium for the pupil pro rata" (R14). The store holds the pupil's current
  pupil-premium flag, not its history, so the flag as it stands applies to the whole period.
- **Rounding.** Each amount is rounded to the penny (half up) on its own line; totals are the
  sums of the rounded lines, as an invoice adds up.
- **Non-member schools pay full cost recovery (R3, R14; faq Q4).** They pay the APC and pupil
  premium pro rata as a member does (the part the Finance Regulations enforce, faq Q4.4/Q4.7)
  with no share from the partnership's High Needs Block: the partnership also asks "the
  remainder of the cost of provision for the child up to the full cost" (faq Q4.7). The store
  holds no cost of provision per pupil, so the full cost is *estimated* from the only held
  figure for a year of full-time partnership provision: the specialist placement rate (R15,
  faq Q14: "normally £25.5k per annum"), pro rata on the same days. The balance is that
  estimate less the APC and pupil premium charged (never below zero), labelled an estimate.
  Without a specialist placement rate for the year the balance says so instead of a figure.
- **SEND funding that follows the pupil (R15; faq Q14).** A pupil's top-up (no EHCP) is for
  one school year and does not roll over: its amount is passed on pro rata for the days in
  the programme inside that school year (September to August) ÷ that year's days. For an EHCP
  pupil the SENA funding the school receives is paid on to the partnership, but its amount is
  not held in the store, so the line says "not held" rather than a figure: the specialist
  placement rate is for a SEIP named as an EHCP's specialist placement after an annual review
  (faq Q14.3), which the store does not record, so it is not used for this line.
- **Another home LA (R4; faq Q11).** A pupil whose home LA is not the school's is referred to
  that LA at Tier 4, which "will take on 100% of the cost and management of the student" and
  expects the pupil funding from the school: the partnership does not charge. The row stays
  (the chair sees the pupil) with no amounts and a line saying why.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from seips_core.school_days import academic_year_label, financial_year_start

from .flag import when

PENNY = Decimal("0.01")
ONE_DAY = timedelta(days=1)

#: The reasons a pupil's time is charged (R14), as the charges table names them.
TIER_4 = "Tier 4"
PERMANENT_EXCLUSION = "Permanent exclusion"

#: ``FundingRate.kind`` values used here (``models.choices.RATE_KINDS``).
APC = "average_pupil_cost"
PUPIL_PREMIUM = "pupil_premium"
SPECIALIST_PLACEMENT = "specialist_placement"
_RATE_NAMES = {
    APC: "APC",
    PUPIL_PREMIUM: "pupil premium",
    SPECIALIST_PLACEMENT: "specialist placement",
}

BASIS = (
    "Pro rata on calendar days: the annual rate × the days in the programme within the "
    "financial year ÷ the days in that year (R14)."
)


def financial_year_label(start_year: int) -> str:
    """``2026`` → ``"2026/27"``: April 2026 to March 2027, as budgets write it."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_bounds(start_year: int) -> tuple[date, date]:
    """The financial year's first day (1 April) and the day after its last (next 1 April)."""
    return date(start_year, 4, 1), date(start_year + 1, 4, 1)


def school_year_bounds(start_year: int) -> tuple[date, date]:
    """A school year's first day (1 September) and the day after its last (next 1 September).

    R15's top-up is for one school year; the whole year, holidays included, as the APC.
    """
    return date(start_year, 9, 1), date(start_year + 1, 9, 1)


def money(amount: Decimal) -> str:
    """``Decimal("5432.1")`` → ``"£5,432.10"``."""
    return f"£{amount:,.2f}"


def pro_rata(annual: Decimal, days: int, year_days: int) -> Decimal:
    """``annual`` × ``days`` ÷ ``year_days``, rounded to the penny, half up."""
    return (annual * days / year_days).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Span:
    """Days from ``first`` up to the day before ``end`` (``end`` is exclusive, as ``to_date``)."""

    first: date
    end: date

    @property
    def last(self) -> date:
        return self.end - ONE_DAY

    @property
    def days(self) -> int:
        return (self.end - self.first).days

    def within(self, first: date, end: date) -> "Span | None":
        """The part of this span from ``first`` to before ``end``; None if they do not meet."""
        start, stop = max(self.first, first), min(self.end, end)
        return Span(start, stop) if start < stop else None


def split_by_financial_year(span: Span) -> tuple[tuple[int, Span], ...]:
    """Each financial year ``span`` touches, with the part of it inside that year."""
    parts: list[tuple[int, Span]] = []
    year = financial_year_start(span.first)
    while True:
        first, end = financial_year_bounds(year)
        if first >= span.end:
            return tuple(parts)
        part = span.within(first, end)
        if part is not None:
            parts.append((year, part))
        year += 1


@dataclass(frozen=True)
class Stretch:
    """One reason for being in the programme at one school: a Tier 4 period or the time after
    a permanent exclusion, ``first`` up to before ``end`` (None: still running)."""

    reason: str
    first: date
    end: date | None


@dataclass(frozen=True)
class Programme:
    """A pupil's unbroken time in the programme at one school, and why (R14)."""

    first: date
    end: date | None
    #: ``TIER_4`` and/or ``PERMANENT_EXCLUSION``, in the order first met.
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        """ "Permanent exclusion and Tier 4" when both, as the table shows it."""
        return " and ".join(self.reasons)


def merge_stretches(stretches: Iterable[Stretch]) -> tuple[Programme, ...]:
    """Overlapping or touching stretches of one pupil at one school joined into one programme.

    A permanently excluded pupil is usually programme managed at Tier 4 too: the days are
    charged once, not once per reason. Stretches with a gap between them stay apart.
    """
    merged: list[Programme] = []
    for stretch in sorted(stretches, key=lambda s: (s.first, s.end or date.max)):
        if merged:
            last = merged[-1]
            if last.end is None or stretch.first <= last.end:
                end = (
                    None if last.end is None or stretch.end is None else max(last.end, stretch.end)
                )
                reasons = last.reasons + (
                    (stretch.reason,) if stretch.reason not in last.reasons else ()
                )
                merged[-1] = Programme(last.first, end, reasons)
                continue
        merged.append(Programme(stretch.first, stretch.end, (stretch.reason,)))
    return tuple(merged)


@dataclass(frozen=True)
class RateBook:
    """The rates held as data: (``FundingRate.kind``, financial year start) → annual amount."""

    amounts: Mapping[tuple[str, int], Decimal]

    def get(self, kind: str, financial_year: int) -> Decimal | None:
        return self.amounts.get((kind, financial_year))


def missing_rate(kind: str, financial_year: int) -> str:
    """The line shown instead of a zero when a rate is not held (R14: rates are data)."""
    return (
        f"no {_RATE_NAMES[kind]} rate held for {financial_year_label(financial_year)}: "
        "add it in reference data"
    )


@dataclass(frozen=True)
class PupilFunding:
    """What the pupil's record says about the money that goes with them (R4, R14, R15)."""

    pupil_premium: bool = False
    ehcp: bool = False
    #: R4: the pupil's home LA when it is not the paying school's LA; None otherwise.
    other_home_la: str | None = None
    top_up_amount: Decimal | None = None
    top_up_year_start: int | None = None


@dataclass(frozen=True)
class Charge:
    """One programme's charge within one financial year (R14, R15).

    An amount is None when it does not apply or cannot be worked out; ``missing`` then says
    which rate to add, and ``complete`` is False so a total is never shown as whole.
    """

    financial_year_start: int
    span: Span
    #: The programme runs on after ``span``'s last day (into the next year, or past the day
    #: the charges were counted to).
    runs_on: bool
    year_days: int
    apc_rate: Decimal | None
    apc: Decimal | None
    pupil_premium_rate: Decimal | None
    pupil_premium: Decimal | None
    #: R3/R14: a non-member school's full-cost balance (estimate); None for members.
    full_cost_balance: Decimal | None
    #: R15: top-up passed on with the pupil, pro rata.
    top_up: Decimal | None
    #: R4: the home LA that takes on the cost, when the partnership does not charge.
    home_la: str | None
    working: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def days(self) -> int:
        return self.span.days

    @property
    def total(self) -> Decimal:
        """The amounts worked out, added up (see ``complete`` before showing it as the whole)."""
        amounts = (self.apc, self.pupil_premium, self.full_cost_balance, self.top_up)
        return sum((amount for amount in amounts if amount is not None), Decimal(0))

    @property
    def complete(self) -> bool:
        return not self.missing


def _priced(name: str, rate: Decimal, days: int, year_days: int) -> tuple[Decimal, str]:
    amount = pro_rata(rate, days, year_days)
    return amount, f"{name} {money(rate)} × {days}/{year_days} days = {money(amount)}"


def _top_up(span: Span, funding: PupilFunding) -> tuple[Decimal | None, str | None]:
    """R15: the top-up for its one school year, pro rata for the days inside that year."""
    amount, year = funding.top_up_amount, funding.top_up_year_start
    if amount is None or year is None:
        return None, None
    first, end = school_year_bounds(year)
    inside = span.within(first, end)
    school_year = academic_year_label(year)
    if inside is None:
        return None, (
            f"Top-up held is for school year {school_year}, outside these days: it lasts one "
            "school year and does not roll over (R15)"
        )
    year_days = (end - first).days
    passed_on = pro_rata(amount, inside.days, year_days)
    return passed_on, (
        f"Top-up (R15) {money(amount)} for school year {school_year} × "
        f"{inside.days}/{year_days} days = {money(passed_on)}, follows the pupil to the partnership"
    )


def charge_financial_year(
    financial_year: int,
    span: Span,
    funding: PupilFunding,
    rates: RateBook,
    *,
    member: bool,
    runs_on: bool = False,
) -> Charge:
    """Price ``span`` (inside ``financial_year``) for a school, member or not (R3, R14, R15)."""
    first, end = financial_year_bounds(financial_year)
    if span.within(first, end) != span:
        raise ValueError(f"{span} is not inside {financial_year_label(financial_year)}")
    year_days = (end - first).days
    apc_rate = rates.get(APC, financial_year)
    pp_rate = rates.get(PUPIL_PREMIUM, financial_year) if funding.pupil_premium else None
    unpriced = Charge(
        financial_year_start=financial_year,
        span=span,
        runs_on=runs_on,
        year_days=year_days,
        apc_rate=apc_rate,
        apc=None,
        pupil_premium_rate=pp_rate,
        pupil_premium=None,
        full_cost_balance=None,
        top_up=None,
        home_la=funding.other_home_la,
        working=(),
        missing=(),
    )
    if funding.other_home_la is not None:
        return replace(
            unpriced,
            working=(
                f"R4: home LA is {funding.other_home_la}: it takes on the cost and management "
                "and expects the pupil funding from the school: not charged by the partnership",
            ),
        )
    working: list[str] = []
    missing: list[str] = []
    apc = pp = balance = None
    if apc_rate is None:
        missing.append(missing_rate(APC, financial_year))
    else:
        apc, line = _priced("APC", apc_rate, span.days, year_days)
        working.append(line)
    if funding.pupil_premium and pp_rate is None:
        missing.append(missing_rate(PUPIL_PREMIUM, financial_year))
    elif pp_rate is not None:
        pp, line = _priced("Pupil premium", pp_rate, span.days, year_days)
        working.append(line)
    if not member:
        full_rate = rates.get(SPECIALIST_PLACEMENT, financial_year)
        if full_rate is None:
            missing.append(
                missing_rate(SPECIALIST_PLACEMENT, financial_year)
                + " (the full-cost estimate for a non-member school, R3)"
            )
        elif not missing:
            full = pro_rata(full_rate, span.days, year_days)
            paid = (apc or Decimal(0)) + (pp or Decimal(0))
            balance = max(full - paid, Decimal(0))
            working.append(
                f"Full cost recovery (R3, R14), estimate: specialist placement rate "
                f"{money(full_rate)} × {span.days}/{year_days} days = {money(full)}, less APC "
                f"and pupil premium {money(paid)} = {money(balance)}"
            )
    top_up, line = _top_up(span, funding)
    if line:
        working.append(line)
    if funding.ehcp:
        working.append(
            "EHCP (R15): SENA funding follows the pupil to the partnership: amount not held "
            "in the store (check the SENA spreadsheets)"
        )
    return replace(
        unpriced,
        apc=apc,
        pupil_premium=pp,
        full_cost_balance=balance,
        top_up=top_up,
        working=(*working, *missing),
        missing=tuple(missing),
    )


def charge_programme(
    programme: Programme,
    funding: PupilFunding,
    rates: RateBook,
    *,
    member: bool,
    counted_to: date,
    financial_year: int | None = None,
) -> tuple[Charge, ...]:
    """The charges for ``programme`` up to and including ``counted_to``: one per financial
    year it touches, each at that year's rates (or only ``financial_year``'s, when given).

    A programme still running is charged to ``counted_to`` (what it has cost so far, not a
    guess at when it ends); one entirely outside ``financial_year`` gives no charge.
    """
    cutoff = counted_to + ONE_DAY
    end = cutoff if programme.end is None else min(programme.end, cutoff)
    if end <= programme.first:
        return ()
    charges = []
    for year, part in split_by_financial_year(Span(programme.first, end)):
        if financial_year is not None and year != financial_year:
            continue
        runs_on = programme.end is None or programme.end > part.end
        charges.append(
            charge_financial_year(year, part, funding, rates, member=member, runs_on=runs_on)
        )
    return tuple(charges)


def describe_span(charge: Charge) -> str:
    """ "1 Apr 2025 – 12 May 2025 (42 days)", "…, continues" when it runs on."""
    text = f"{when(charge.span.first)} – {when(charge.span.last)} ({charge.days} days)"
    return text + (", continues" if charge.runs_on else "")
