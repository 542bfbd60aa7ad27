"""What each school pays for a financial year for its Tier 4 and permanently excluded pupils
(R14, R15), with the working shown per pupil, and totals per school, partnership and county.

Who pays (R2): for a Tier 4 period, the school responsible during it (``TierChange.school_id``);
for a permanent exclusion, the excluding school. Time in the programme is:

- each Tier 4 period, from its ``from_date`` up to the day before its ``to_date`` (R6);
- after a permanent exclusion, from its first day (the pupil's funding leaves the school with
  the pupil: faq Q4.4) until the pupil is back on a roll: the first later tier period at
  another school, a Fair Access case's ``on_roll_date`` (R13) or the pupil's
  ``off_roll_date`` (R17), whichever comes first; else it runs on.

A pupil's Tier 4 and exclusion time at one school is joined, so days are charged once
(``rules.charges.merge_stretches``). Time still running is charged up to ``as_of`` (default
today): what it has cost so far, not a guess at when it ends. The arithmetic, the pro rata
basis and the choices for non-members (R3), SEND funding (R15) and other home LAs (R4) are in
``seips_core.rules.charges``. Membership, pupil premium, EHCP and home LA are as the store
holds them now; it keeps no history of them.

Amounts are counts of money, never names: the rows name pupils by initials unless
``full_names`` is asked for and the viewer may see names (``queries.pupils.pupil_labels``).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..models import Exclusion, FairAccessCase, FundingRate, Partnership, Pupil, School, TierChange
from ..rules.charges import (
    APC,
    BASIS,
    PERMANENT_EXCLUSION,
    PUPIL_PREMIUM,
    SPECIALIST_PLACEMENT,
    TIER_4,
    Charge,
    PupilFunding,
    RateBook,
    Stretch,
    charge_programme,
    describe_span,
    financial_year_bounds,
    financial_year_label,
    merge_stretches,
    missing_rate,
)
from .pupils import pupil_labels
from .scope import in_partnership, school_in_partnership

__all__ = [
    "ChargeRow",
    "ChargeTotals",
    "ChargesView",
    "PartnershipCharges",
    "SchoolCharges",
    "charges",
]


@dataclass(frozen=True)
class ChargeRow:
    """One pupil's unbroken time in the programme at one school, within the financial year."""

    case_ref: str
    #: Initials, or the full name when asked for and allowed.
    label: str
    #: "Tier 4", "Permanent exclusion", or both joined ("Permanent exclusion and Tier 4").
    reason: str
    charge: Charge

    @property
    def first(self) -> date:
        return self.charge.span.first

    @property
    def last(self) -> date:
        return self.charge.span.last

    @property
    def days(self) -> int:
        return self.charge.days

    @property
    def period(self) -> str:
        """ "1 Apr 2025 – 12 May 2025 (42 days)", ", continues" when it runs on."""
        return describe_span(self.charge)

    @property
    def rate(self) -> Decimal | None:
        """The year's APC (R14); None when not held."""
        return self.charge.apc_rate

    @property
    def amount(self) -> Decimal | None:
        """The APC pro rata; None when not held or not charged (R4)."""
        return self.charge.apc

    @property
    def pupil_premium(self) -> Decimal | None:
        return self.charge.pupil_premium

    @property
    def charged(self) -> bool:
        """False for another home LA's pupil (R4): that LA takes on the cost."""
        return self.charge.home_la is None

    @property
    def working(self) -> str:
        """The working, one line per amount or note, as the table shows it."""
        return "\n".join(self.charge.working)


@dataclass(frozen=True)
class ChargeTotals:
    """The sums of some charge rows. Amounts not worked out (a rate missing) are left out of
    the sums and counted in ``incomplete``, so a short total is never shown as whole."""

    #: Pupils with a charged row (R4 rows not included).
    pupils: int
    days: int
    apc: Decimal
    pupil_premium: Decimal
    #: R3/R14: non-member schools' full-cost balances (estimates).
    full_cost_balance: Decimal
    #: R15: top-up passed on with pupils.
    top_up: Decimal
    total: Decimal
    #: Rows with an amount that could not be worked out (``missing`` says which rate).
    incomplete: int
    #: R4: rows of another home LA's pupils, not charged by the partnership.
    not_charged: int


@dataclass(frozen=True)
class SchoolCharges:
    """One school's rows and total; only schools with a pupil in the programme are listed."""

    school_id: int
    school: str
    partnership: str
    #: R3: a non-member pays full cost recovery (R14).
    is_member: bool
    rows: tuple[ChargeRow, ...]
    totals: ChargeTotals


@dataclass(frozen=True)
class PartnershipCharges:
    """A partnership's total (every partnership in view, with or without charges)."""

    code: str
    name: str
    totals: ChargeTotals


@dataclass(frozen=True)
class ChargesView:
    """The charges for one financial year in a partnership or the county."""

    financial_year_start: int
    #: "2025/26".
    label: str
    first: date
    last: date
    #: Time still running is charged up to this day (the year's last day once it is over).
    counted_to: date
    #: None: the whole county.
    partnership: str | None
    #: The pro rata basis, in words for the page (R14).
    basis: str
    #: The year's rates as held (None: not held): APC, pupil premium, specialist placement.
    rates: dict[str, Decimal | None]
    schools: tuple[SchoolCharges, ...]
    partnerships: tuple[PartnershipCharges, ...]
    #: The partnership's total, or the county's when ``partnership`` is None.
    total: ChargeTotals
    #: "no APC rate held for 2026/27: add it in reference data", once each.
    missing: tuple[str, ...]


def add_up(rows: Iterable[ChargeRow]) -> ChargeTotals:
    """The totals of ``rows``: charged rows' amounts, R4 and incomplete rows counted apart.

    One pass over the rows: the county's view adds up every row three times (school,
    partnership, county), thousands of rows on a national store.
    """
    names = ("apc", "pupil_premium", "full_cost_balance", "top_up")
    sums = dict.fromkeys(names, Decimal(0))
    pupils: set[str] = set()
    days = incomplete = not_charged = 0
    for row in rows:
        charge = row.charge
        if charge.home_la is not None:
            not_charged += 1
            continue
        pupils.add(row.case_ref)
        days += charge.days
        incomplete += bool(charge.missing)
        for name in names:
            amount = getattr(charge, name)
            if amount is not None:
                sums[name] += amount
    return ChargeTotals(
        pupils=len(pupils),
        days=days,
        **sums,
        total=sum(sums.values(), Decimal(0)),
        incomplete=incomplete,
        not_charged=not_charged,
    )


class _School(NamedTuple):
    name: str
    partnership: str
    is_member: bool
    local_authority: str


def _before(column: ColumnElement[date], day: date) -> ColumnElement[bool]:
    """``column < day`` tested row by row: most rows stored started before the year's end, so
    SQLite would otherwise walk the date index (see ``scope.tier_period_on``)."""
    return case((column < day, 1), else_=0) == 1


#: The pupil's record as the charge needs it (R4, R14, R15).
_PUPIL_COLUMNS = (
    Pupil.case_ref,
    Pupil.pupil_premium,
    Pupil.ehcp,
    Pupil.home_la,
    Pupil.top_up_amount,
    Pupil.top_up_year_start,
)


def _at_schools(
    school: ColumnElement[int], partnership: str | None, school_id: int | None
) -> ColumnElement[bool]:
    """Rows whose paying ``school`` is of ``partnership`` (R2), or is school ``school_id``."""
    if school_id is None:
        return school_in_partnership(school, partnership)
    return and_(school_in_partnership(school, partnership), school == school_id)


def _tier_4_stretches(
    session: Session, at_school: ColumnElement[bool], first: date, cutoff: date
) -> list[tuple[int, Stretch, tuple]]:
    """R6: Tier 4 periods meeting ``first``..``cutoff`` (exclusive), with the pupil's record."""
    rows = session.execute(
        select(TierChange.school_id, TierChange.from_date, TierChange.to_date, *_PUPIL_COLUMNS)
        .join(Pupil, Pupil.id == TierChange.pupil_id)
        .where(
            TierChange.tier == 4,
            _before(TierChange.from_date, cutoff),
            or_(TierChange.to_date.is_(None), TierChange.to_date > first),
            at_school,
        )
    ).all()
    return [
        (school_id, Stretch(TIER_4, start, end), pupil) for school_id, start, end, *pupil in rows
    ]


def _exclusion_stretches(
    session: Session, at_school: ColumnElement[bool], first: date, cutoff: date
) -> list[tuple[int, Stretch, tuple]]:
    """R2/R14: permanent exclusions before ``cutoff``, each until the pupil is back on a roll
    (another school's tier period, a Fair Access on-roll date) or off roll, if that is after
    ``first``."""
    elsewhere = (
        select(func.min(TierChange.from_date))
        .where(
            TierChange.pupil_id == Exclusion.pupil_id,
            TierChange.from_date > Exclusion.start_date,
            TierChange.school_id != Exclusion.school_id,
        )
        .scalar_subquery()
    )
    back_on_roll = (
        select(func.min(FairAccessCase.on_roll_date))
        .where(
            FairAccessCase.pupil_id == Exclusion.pupil_id,
            FairAccessCase.on_roll_date > Exclusion.start_date,
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Exclusion.school_id,
            Exclusion.start_date,
            elsewhere,
            back_on_roll,
            Pupil.off_roll_date,
            *_PUPIL_COLUMNS,
        )
        .join(Pupil, Pupil.id == Exclusion.pupil_id)
        .where(
            Exclusion.kind == "permanent",
            _before(Exclusion.start_date, cutoff),
            at_school,
        )
    ).all()
    found = []
    for school_id, start, elsewhere_from, on_roll, off_roll, *pupil in rows:
        ends = [elsewhere_from, on_roll, off_roll if off_roll and off_roll > start else None]
        end = min((day for day in ends if day is not None), default=None)
        if end is None or end > first:
            found.append((school_id, Stretch(PERMANENT_EXCLUSION, start, end), pupil))
    return found


def _rates(session: Session) -> RateBook:
    """Every rate held (a few rows a year): a programme's rates are its own year's (R14)."""
    rows = session.execute(
        select(FundingRate.kind, FundingRate.financial_year_start, FundingRate.amount)
    )
    return RateBook({(kind, year): Decimal(amount) for kind, year, amount in rows})


def _funding(pupil: tuple, school_la: str) -> PupilFunding:
    """The pupil's record as ``rules.charges`` reads it.

    R4 compares the home LA with the paying school's own LA (the county's, on a county store;
    each area's own on a national one), not with a fixed name.
    """
    _case_ref, pupil_premium, ehcp, home_la, top_up, top_up_year = pupil
    return PupilFunding(
        pupil_premium=pupil_premium,
        ehcp=ehcp,
        other_home_la=home_la if home_la != school_la else None,
        top_up_amount=Decimal(top_up) if top_up is not None else None,
        top_up_year_start=top_up_year,
    )


def charges(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    financial_year_start: int,
    full_names: bool = False,
    as_of: date | None = None,
    school_id: int | None = None,
) -> ChargesView:
    """What each school of ``partnership`` (None: the county, for a viewer who sees all) pays
    for the financial year starting in April ``financial_year_start`` (R14, R15); with
    ``school_id``, that school of it alone (a school profile reads one school's rows, not its
    partnership's).

    Time still running is charged up to ``as_of`` (default today). Names only when
    ``full_names`` is asked for and the viewer may see names; initials else.
    """
    require_partnership(viewer, partnership)
    year = financial_year_start
    first, end = financial_year_bounds(year)
    counted_to = min(as_of or date.today(), end - timedelta(days=1))
    cutoff = counted_to + timedelta(days=1)
    schools = {
        school_id: _School(name, code, is_member, la)
        for school_id, name, code, is_member, la in session.execute(
            select(
                School.id, School.name, Partnership.code, School.is_member, School.local_authority
            )
            .join(Partnership, Partnership.id == School.partnership_id)
            .where(
                in_partnership(School.partnership_id, partnership),
                true() if school_id is None else School.id == school_id,
            )
        )
    }
    rates = _rates(session)

    stretches: dict[tuple[str, int], list[Stretch]] = defaultdict(list)
    funding: dict[tuple[str, int], PupilFunding] = {}
    if cutoff > first:
        found = _tier_4_stretches(
            session, _at_schools(TierChange.school_id, partnership, school_id), first, cutoff
        )
        found += _exclusion_stretches(
            session, _at_schools(Exclusion.school_id, partnership, school_id), first, cutoff
        )
        for school_id, stretch, pupil in found:
            stretches[pupil[0], school_id].append(stretch)
            funding[pupil[0], school_id] = _funding(pupil, schools[school_id].local_authority)
    labels = pupil_labels(
        session, {ref for ref, _ in stretches}, full_names=full_names and viewer.may("see_names")
    )

    by_school: dict[int, list[ChargeRow]] = defaultdict(list)
    for (case_ref, school_id), pupil_stretches in sorted(stretches.items()):
        for programme in merge_stretches(pupil_stretches):
            for charge in charge_programme(
                programme,
                funding[case_ref, school_id],
                rates,
                member=schools[school_id].is_member,
                counted_to=counted_to,
                financial_year=year,
            ):
                label = labels.get(case_ref, case_ref)
                by_school[school_id].append(ChargeRow(case_ref, label, programme.reason, charge))

    school_charges = sorted(
        (
            SchoolCharges(
                school_id=school_id,
                school=schools[school_id].name,
                partnership=schools[school_id].partnership,
                is_member=schools[school_id].is_member,
                rows=tuple(rows),
                totals=add_up(rows),
            )
            for school_id, rows in by_school.items()
        ),
        key=lambda s: (s.partnership, s.school),
    )
    partnership_rows: dict[str, list[ChargeRow]] = defaultdict(list)
    for school in school_charges:
        partnership_rows[school.partnership].extend(school.rows)
    partnerships = tuple(
        PartnershipCharges(code, name, add_up(partnership_rows[code]))
        for code, name in session.execute(
            select(Partnership.code, Partnership.name)
            .where(in_partnership(Partnership.id, partnership))
            .order_by(Partnership.code)
        )
    )
    every_row = [row for school in school_charges for row in school.rows]
    missing = {text for row in every_row for text in row.charge.missing}
    year_rates = {
        kind: rates.get(kind, year) for kind in (APC, PUPIL_PREMIUM, SPECIALIST_PLACEMENT)
    }
    if year_rates[APC] is None:
        missing.add(missing_rate(APC, year))  # said even before any pupil needs it
    return ChargesView(
        financial_year_start=year,
        label=financial_year_label(year),
        first=first,
        last=end - timedelta(days=1),
        counted_to=counted_to,
        partnership=partnership,
        basis=BASIS,
        rates=year_rates,
        schools=tuple(school_charges),
        partnerships=partnerships,
        total=add_up(every_row),
        missing=tuple(sorted(missing)),
    )
