"""The chair's termly partnership report (issue 7, item 4): one term of one partnership in
figures, as an Excel workbook with native charts (``termly_workbook``) and as a printable page
(``reports.termly_page.termly_html``).

The report is counts per school only: no pupil is named, not even by initials or case
reference, because it leaves the dashboard (it is printed and e-mailed to governance boards).
Every figure comes from the query the dashboard's own pages use, so the report and the pages
never disagree:

- tier counts per school on the day the report is "as at" (``queries.tiers.tier_counts``, R5,
  R6): the term's last day, or today while the term is running;
- the trend over the last nine terms and Tier 4 per school term by term
  (``queries.trends.tier_trend``);
- moves between tiers and time at Tier 4 in the term (``tier_movements``, ``time_at_tier4``);
- suspensions and permanent exclusions per school in the term and the year to it, and the
  pupils near R25's 45 days counted, not named (``exclusions_by_term``);
- Fair Access: cases open, allocated in the term, past R21, and fairness per school
  (``queries.fair_access_cases``, ``queries.fairness``; R13, R13b, R21, R22);
- AP: placements running, substantial (R7), days a week at AP, providers at or over R8
  (``placements_list``, ``days_a_week_histogram``, ``provider_register``);
- charges per school for the financial year of the term's start, to the "as at" day
  (``queries.charges.charges``, R3, R4, R14, R15).

A term is Autumn, Spring or Summer of an academic year as ``queries.trends.group_terms`` builds
it from the stored term dates. The report itself is plain data: sections of tables, each table
with its total row and, for two of them, the chart drawn from it; the workbook and the page
only lay it out.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Literal

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, require, require_partnership
from ..errors import InvalidValue
from ..models import Partnership, TermDate
from ..models.choices import PSP_LABEL_FOR_TIER, TIERS
from ..queries.ap_load import days_a_week_histogram
from ..queries.charges import ChargeTotals, charges
from ..queries.fair_access_cases import CaseRow, fair_access_cases
from ..queries.fairness import fairness
from ..queries.placements import PlacementRow, placements_list
from ..queries.providers import AT_OR_OVER, provider_register, r8_threshold
from ..queries.tiers import TierCountsView, TierFigures, tier_counts
from ..queries.trends import (
    NEAR_LIMIT_FROM,
    Term,
    exclusions_by_term,
    group_terms,
    tier_movements,
    tier_trend,
    time_at_tier4,
)
from ..rules.charges import money
from ..rules.exclusions import SUSPENSION_LIMIT_DAYS, SUSPENSION_WARNING_FROM
from ..rules.fair_access_stage import ALLOCATED, ON_ROLL, REFERRED
from ..rules.providers import threshold_source
from ..school_days import financial_year_start
from ..transfer.cells import escape_formula

__all__ = [
    "TIER_COLOURS",
    "TREND_TERMS",
    "Cell",
    "Chart",
    "Section",
    "Table",
    "TermlyReport",
    "long_date",
    "termly_report",
    "termly_workbook",
]

#: A table cell: text, a count, a rate (float), money (Decimal), a day, or empty.
Cell = str | int | float | Decimal | date | None

#: The trend covers the last nine terms: three academic years, as the issue asks.
TREND_TERMS = 9

TIER_COLUMNS = tuple(f"Tier {tier}" for tier in TIERS)

#: Tiers 1 to 3 in blues growing darker with need, Tier 4 (full-time programme management, R5)
#: in orange so it stands out, in the workbook's charts and the printed page's alike; blue
#: against orange stays apart for the common colour-blindnesses.
TIER_COLOURS = ("9ECAE1", "3182BD", "08306B", "E6550D")


# --- The report as plain data ------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A chart drawn from its table: one series per value column, one category per row.

    ``kind`` "stacked_bar": a bar per row with the series stacked (tier counts per school);
    "line": a line per series across the rows (the trend, term by term).
    """

    kind: Literal["stacked_bar", "line"]
    title: str
    #: The column whose cells name the categories (schools, terms).
    category_column: int
    #: The columns plotted, one series each, named by their header.
    value_columns: tuple[int, ...]
    #: What the value axis counts.
    value_title: str
    #: Alternative text: what the chart shows, in words, for screen readers and the workbook.
    alt: str


@dataclass(frozen=True)
class Table:
    """A table of the report: a caption, a header, rows and (where sums mean something) a
    total row, whose first cell says what it totals."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    chart: Chart | None = None


@dataclass(frozen=True)
class Section:
    """One part of the report: a sheet of the workbook, a page (or more) of the printout."""

    #: The sheet's name: short (Excel allows 31 characters) and unique in the report.
    key: str
    heading: str
    #: What the figures mean and which rules they follow, one sentence each.
    notes: tuple[str, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class TermlyReport:
    """One partnership's report for one term: counts per school only, no pupil named."""

    partnership: str
    partnership_name: str
    term: Term
    #: The day the figures are as on: the term's last day, or today while it runs.
    as_at: date
    #: True while the term is running (the figures are the term so far).
    running: bool
    #: "North Wold — termly report, Spring 2026".
    title: str
    sections: tuple[Section, ...]

    @property
    def subtitle(self) -> str:
        """The term's dates and the day the figures are as on."""
        dates = f"{long_date(self.term.first_day)} to {long_date(self.term.last_day)}"
        if self.running:
            return (
                f"{self.term.label}: {dates}. The term is running: figures are the term so far, "
                f"as on {long_date(self.as_at)}."
            )
        return f"{self.term.label}: {dates}. Figures as on the term's last day."

    def section(self, key: str) -> Section:
        """The section named ``key`` (its sheet's name)."""
        return next(section for section in self.sections if section.key == key)


def long_date(day: date) -> str:
    """``4 March 2026``, on any platform (``%-d`` is not portable)."""
    return f"{day.day} {day:%B %Y}"


# --- Building it -------------------------------------------------------------------------------


def _term_of(session: Session, day: date) -> Term:
    """The stored term (Autumn, Spring or Summer) that includes ``day``: its first day, usually."""
    rows = session.execute(
        select(TermDate.academic_year_start, TermDate.name, TermDate.start_date, TermDate.end_date)
    ).all()
    for term in group_terms([tuple(row) for row in rows]):
        if term.first_day <= day <= term.last_day:
            return term
    raise InvalidValue(
        f"Term: no stored term includes {long_date(day)}; choose a term from the term dates "
        "held in reference data."
    )


def _partnership_name(session: Session, code: str) -> str:
    name = session.scalar(select(Partnership.name).where(Partnership.code == code))
    if name is None:
        raise InvalidValue(f"Partnership: there is no partnership with code {code!r}.")
    return name


def termly_report(
    session: Session,
    viewer: Actor,
    partnership: str,
    *,
    term_start: date,
    today: date | None = None,
) -> TermlyReport:
    """The termly report of ``partnership`` for the term beginning on ``term_start`` (any day
    of the term names it), as on the term's last day, or on ``today`` (default: the date
    today) while the term is running.

    An export, as the R24 annual report is: a chair of the partnership or a county admin
    (Capability EXPORT). A term not begun by ``today`` has no figures yet and is refused.
    """
    require(viewer, Capability.EXPORT, doing="produce the termly partnership report")
    require_partnership(viewer, partnership)
    name = _partnership_name(session, partnership)
    today = today or date.today()
    term = _term_of(session, term_start)
    if term.first_day > today:
        raise InvalidValue(
            f"Term: {term.label} begins on {long_date(term.first_day)}; its report can be made "
            "once it has begun."
        )
    as_at = min(term.last_day, today)
    tiers = tier_counts(session, viewer, partnership, on=as_at)
    sections = (
        _tier_section(tiers),
        _trend_section(session, viewer, partnership, as_at),
        _moves_section(session, viewer, partnership, term, as_at),
        _tier4_section(session, viewer, partnership, term, as_at),
        _exclusions_section(session, viewer, partnership, term),
        _fair_access_section(session, viewer, partnership, term, as_at),
        _ap_section(session, viewer, partnership, as_at, tiers),
        _charges_section(session, viewer, partnership, term, as_at, tiers),
    )
    return TermlyReport(
        partnership=partnership,
        partnership_name=name,
        term=term,
        as_at=as_at,
        running=as_at < term.last_day,
        title=f"{name} — termly report, {term.season} {term.first_day.year}",
        sections=sections,
    )


def _tier_chart(
    kind: Literal["stacked_bar", "line"], title: str, columns: tuple[str, ...], alt: str
) -> Chart:
    """A chart of pupils in a table's Tier 1–4 columns, a series per tier, one category per row
    named by its first column (both charts of the report are of this kind)."""
    return Chart(
        kind=kind,
        title=title,
        category_column=0,
        value_columns=tuple(columns.index(name) for name in TIER_COLUMNS),
        value_title="Pupils",
        alt=alt,
    )


def _rate(value: float | None) -> float | None:
    """A rate per 1,000 to one decimal place; None (roll 0) stays empty."""
    return None if value is None else round(value, 1)


def _tier_cells(figures: TierFigures) -> tuple[Cell, ...]:
    """Roll, Tier 1–4, all tiers, the rates and the City's labels (R5) of one row."""
    return (
        figures.number_on_roll,
        *figures.pupils_by_tier,
        figures.pupils,
        _rate(figures.per_thousand),
        _rate(figures.per_thousand_by_tier[-1]),
        *(count for _label, count in figures.psp_labels.values()),
    )


def _tier_section(view: TierCountsView) -> Section:
    """R5, R6: pupils at each tier per school on the day, the stacked bar chart drawn from it."""
    day = long_date(view.on)
    totals = view.totals
    columns = (
        "School",
        "Member (R3)",
        "Number on roll",
        *TIER_COLUMNS,
        "All tiers",
        "All tiers per 1,000 on roll",
        "Tier 4 per 1,000 on roll",
        *(f"City {label} (Tier {tier})" for tier, label in PSP_LABEL_FOR_TIER.items()),
    )
    busiest = max(view.schools, key=lambda row: row.pupils_by_tier[-1], default=None)
    most = (
        f" Most at Tier 4: {busiest.school} ({busiest.pupils_by_tier[-1]})."
        if busiest and busiest.pupils_by_tier[-1]
        else ""
    )
    chart = _tier_chart(
        "stacked_bar",
        f"Pupils at each tier per school on {day}",
        columns,
        (
            f"Stacked bar chart: pupils at Tiers 1 to 4 in each of the {len(view.schools)} "
            f"schools on {day}, one bar per school. In all: "
            + ", ".join(
                f"Tier {tier} {count}"
                for tier, count in zip(TIERS, totals.pupils_by_tier, strict=True)
            )
            + f".{most}"
        ),
    )
    table = Table(
        caption=f"Pupils at each tier per school on {day}",
        columns=columns,
        rows=tuple(
            (row.school, "Yes" if row.is_member else "No", *_tier_cells(row))
            for row in view.schools
        ),
        total=("Total", None, *_tier_cells(totals)),
        chart=chart,
    )
    return Section(
        key="Tier counts",
        heading=f"Tier counts per school on {day}",
        notes=(
            f"R6: counted from each pupil's tier history as it stood on {day}: a change counts "
            "on its own day, and a pupil counts at the school responsible then (R2).",
            "Rates per 1,000 use each school's number on roll as held today, so that small and "
            "large schools compare fairly.",
            "R5: city-address pupils are counted at their tier and again under the City's label "
            "(PSP1 = Tier 2, PSP2a = Tier 3, PSP3 = Tier 4).",
        ),
        tables=(table,),
    )


def _trend_section(session: Session, viewer: Actor, partnership: str, as_at: date) -> Section:
    """R6: the partnership's pupils at each tier on the first day of the last nine terms, the
    line chart drawn from it, and Tier 4 per school term by term."""
    view = tier_trend(session, viewer, partnership, end=as_at, terms=TREND_TERMS, by="school")
    terms = view.terms
    rows = tuple(
        (term.label, term.first_day, *counts, sum(counts))
        for term, counts in zip(terms, view.totals, strict=True)
    )
    columns = ("Term", "Counted on", *TIER_COLUMNS, "All tiers")
    # The report's own term began by ``as_at``, so there is always at least one term.
    changes = ", ".join(
        f"Tier {tier} from {view.totals[0][index]} to {view.totals[-1][index]}"
        for index, tier in enumerate(TIERS)
    )
    chart = _tier_chart(
        "line",
        "Pupils at each tier on the first day of each term",
        columns,
        (
            f"Line chart: pupils at each tier on the first day of each of the last {len(terms)} "
            f"terms, from {terms[0].label} to {terms[-1].label}, one line per tier. {changes}."
        ),
    )
    by_term = Table(
        caption="Pupils at each tier on the first day of each term",
        columns=columns,
        rows=rows,
        chart=chart,
    )
    tier4 = Table(
        caption="Pupils at Tier 4 per school on the first day of each term",
        columns=("School", *(term.label for term in terms)),
        rows=tuple(
            (series.name, *(counts[-1] for counts in series.counts)) for series in view.series
        ),
        total=("Total", *(counts[-1] for counts in view.totals)),
    )
    return Section(
        key="Trend",
        heading="Trend over the last terms",
        notes=(
            "R6: each term is counted on its first day, a fixed school day, so that terms "
            "compare like for like.",
            "Tier 4 is full-time programme management by the partnership (R5).",
        ),
        tables=(by_term, tier4),
    )


def _moves_section(
    session: Session, viewer: Actor, partnership: str, term: Term, as_at: date
) -> Section:
    """R6: moves between tiers on the term's days so far, most frequent first."""
    view = tier_movements(session, viewer, partnership, start=term.first_day, end=as_at)
    period = f"from {long_date(term.first_day)} to {long_date(as_at)}"
    return Section(
        key="Moves between tiers",
        heading="Moves between tiers in the term",
        notes=(
            "Each change counts once: a pupil who went from Tier 3 to Tier 4 and back makes "
            "two moves.",
            "'New' is a pupil who entered the tiers; 'Left the tiers' one whose last period "
            "ended (R6). A move counts where the school before or after it is the "
            "partnership's (R2).",
        ),
        tables=(
            Table(
                caption=f"Moves between tiers {period}",
                columns=("From", "To", "Moves"),
                rows=tuple((move.source, move.target, move.moves) for move in view.moves),
                total=("Total", None, view.total),
            ),
        ),
    )


def _median(value: float | None) -> float | None:
    """A median to one decimal place (a float even when whole, so the column reads alike)."""
    return None if value is None else round(float(value), 1)


def _tier4_section(
    session: Session, viewer: Actor, partnership: str, term: Term, as_at: date
) -> Section:
    """How long Tier 4 stays last, in school days: those ended in the term and those running."""
    view = time_at_tier4(session, viewer, partnership, start=term.first_day, end=as_at)
    notes = [
        "A stay is a pupil's time at Tier 4 without a break, across schools; it counts where the "
        "school responsible on its last day counted is the partnership's (R2).",
        "School days are weekdays inside the stored term dates: holidays do not lengthen a stay.",
    ]
    if view.before_known_terms:
        notes.append(
            f"{view.before_known_terms} stays began before the first stored term date: their "
            "school days are undercounted."
        )
    stays = Table(
        caption="Tier 4 stays and their median length in school days",
        columns=("Stays", "Number", "Median school days"),
        rows=(
            ("Ended in the term", len(view.ended), _median(view.median_ended)),
            (f"Running on {long_date(as_at)}", len(view.running), _median(view.median_running)),
        ),
        total=("All stays", len(view.ended) + len(view.running), _median(view.median_all)),
    )
    bands = Table(
        caption="Tier 4 stays by length",
        columns=("Length", "Ended in the term", "Running", "All"),
        rows=tuple(
            (band.label, band.ended, band.running, band.ended + band.running) for band in view.bands
        ),
        total=(
            "Total",
            sum(band.ended for band in view.bands),
            sum(band.running for band in view.bands),
            sum(band.ended + band.running for band in view.bands),
        ),
    )
    return Section(
        key="Time at Tier 4",
        heading="Time at Tier 4",
        notes=tuple(notes),
        tables=(stays, bands),
    )


def _near_limit_counts(severities: Iterable[str | None]) -> tuple[int, int, int]:
    """R25: pupils from 35 suspension days not yet flagged, flagged near (40–45), past 45."""
    counted = Counter(severities)
    return counted[None], counted["warning"], counted["critical"]


def _exclusions_section(session: Session, viewer: Actor, partnership: str, term: Term) -> Section:
    """R25: suspensions and permanent exclusions per excluding school (R2) in the term and in
    the academic year up to the term's end, and the pupils near 45 days counted, not named."""
    view = exclusions_by_term(session, viewer, partnership, academic_year=term.academic_year)
    index = next(i for i, stored in enumerate(view.terms) if stored.first_day == term.first_day)

    def figures(by_term: Sequence) -> tuple[int, ...]:
        in_term = by_term[index]
        to_term = by_term[: index + 1]
        return (
            in_term.suspensions,
            in_term.suspension_days,
            in_term.permanent,
            sum(item.suspensions for item in to_term),
            sum(item.suspension_days for item in to_term),
            sum(item.permanent for item in to_term),
        )

    year = view.label
    per_school = Table(
        caption=f"Suspensions and permanent exclusions per school, {term.label}",
        columns=(
            "School",
            "Suspensions in the term",
            "Suspension school days in the term",
            "Permanent exclusions in the term",
            f"Suspensions {year} to this term",
            f"Suspension school days {year} to this term",
            f"Permanent exclusions {year} to this term",
        ),
        rows=tuple((school.school, *figures(school.by_term)) for school in view.schools),
        total=("Total", *figures(view.totals)),
    )
    near, warning, past = _near_limit_counts(
        pupil.flag.severity if pupil.flag else None for pupil in view.near_limit
    )
    r25 = Table(
        caption=f"Pupils near R25's limit of {SUSPENSION_LIMIT_DAYS} suspension days in {year}",
        columns=("Suspension school days this academic year", "Pupils"),
        rows=(
            (f"{NEAR_LIMIT_FROM} to {SUSPENSION_WARNING_FROM - 1} days", near),
            (f"{SUSPENSION_WARNING_FROM} to {SUSPENSION_LIMIT_DAYS} days: R25 warning", warning),
            (f"Over {SUSPENSION_LIMIT_DAYS} days: past R25's limit", past),
        ),
        total=("Total", near + warning + past),
    )
    return Section(
        key="Exclusions",
        heading=f"Suspensions and permanent exclusions, {term.label}",
        notes=(
            "Counted by the day an exclusion began and the excluding school (R2); a day in a "
            "holiday belongs to the term before it.",
            f"R25: suspensions total at most {SUSPENSION_LIMIT_DAYS} school days in an academic "
            "year, across schools. Pupils near the limit are counted here, never named; the "
            "flags page lists them for co-ordinators.",
            "The R25 counts add every suspension stored for the academic year, across schools, "
            "of pupils on the roll of the partnership's schools (R2).",
        ),
        tables=(per_school, r25),
    )


def _step_day(case: CaseRow, name: str) -> date | None:
    """The day case ``case`` reached R13's step ``name`` (None: not by the day asked)."""
    return next((step.day for step in case.stage.steps if step.name == name), None)


def _fair_access_section(
    session: Session, viewer: Actor, partnership: str, term: Term, as_at: date
) -> Section:
    """R13, R21, R13b, R22: the Fair Access cases in figures and fairness per member school."""
    cases = fair_access_cases(session, viewer, partnership, on=as_at)

    def in_term(day: date | None) -> bool:
        return day is not None and term.first_day <= day <= as_at

    def waiting(case: CaseRow, status: str) -> bool:
        clock = case.allocation_clock
        return clock is not None and clock.running and clock.status == status

    on_roll_late = sum(
        1
        for case in cases
        if case.on_roll_clock is not None
        and case.on_roll_clock.running
        and case.on_roll_clock.status == "past"
    )
    day = long_date(as_at)
    summary = Table(
        caption="Fair Access cases",
        columns=("Cases", "Number"),
        rows=(
            (f"Open on {day} (R13: not yet on roll)", sum(case.is_open for case in cases)),
            ("Referred in the term", sum(in_term(_step_day(case, REFERRED)) for case in cases)),
            ("Allocated in the term", sum(in_term(_step_day(case, ALLOCATED)) for case in cases)),
            ("On roll in the term", sum(in_term(_step_day(case, ON_ROLL)) for case in cases)),
            (
                "Waiting for a school past R21's 20 school days",
                sum(waiting(case, "past") for case in cases),
            ),
            (
                "Waiting for a school, near R21's limit",
                sum(waiting(case, "near") for case in cases),
            ),
            ("Not on roll a week after the decision (R13)", on_roll_late),
        ),
    )
    view = fairness(session, viewer, partnership, start=term.first_day, end=as_at)
    shares = Table(
        caption="Allocations against fair share per member school (R13b), in the term",
        columns=(
            "School",
            "Number on roll",
            "Allocations",
            "Fair share",
            "Difference",
            "Standing",
            "Refusals (R22)",
            "Delays (R22)",
        ),
        rows=tuple(
            (
                row.school,
                row.number_on_roll,
                row.allocations,
                round(row.fair_share, 1),
                round(row.difference, 1),
                row.standing,
                row.refusals,
                row.delays,
            )
            for row in view.schools
        ),
        total=(
            "Total",
            view.totals.number_on_roll,
            view.totals.allocations,
            round(sum(row.fair_share for row in view.schools), 1),
            None,
            None,
            view.totals.refusals,
            view.totals.delays,
        ),
    )
    notes = [
        "R13: a case is open until the child is on roll; the child should be on roll within a "
        "week of the panel's decision.",
        "R21: once accepted, a school place is allocated within 20 school days; 'near' is from 15.",
        "R13b: a member school's fair share is the term's allocations in proportion to its roll; "
        "'over' or 'under' is a whole allocation or more away from it. R22: refusals and delays "
        "are recorded, not hidden.",
    ]
    if view.longest_without:
        notes.append(f"Longest without an allocation: {', '.join(view.longest_without)}.")
    return Section(
        key="Fair Access",
        heading="Fair Access",
        notes=tuple(notes),
        tables=(summary, shares),
    )


def _ap_section(
    session: Session, viewer: Actor, partnership: str, as_at: date, tiers: TierCountsView
) -> Section:
    """R7, R8, R12: placements running per commissioning school, days a week at AP, and the
    providers the partnership uses that are at or over R8's line (county-wide count)."""
    placements = placements_list(session, viewer, partnership, on=as_at)
    by_school: dict[str, list[PlacementRow]] = defaultdict(list)
    for placement in placements:
        by_school[placement.school].append(placement)
    names = [row.school for row in tiers.schools]
    names += sorted(set(by_school) - set(names))

    def figures(rows: Sequence[PlacementRow]) -> tuple[int, ...]:
        """AP and work-experience placements, pupils placed, substantial placements (R7) and
        pupils in substantial provision: pupils counted once however many placements."""
        return (
            sum(row.kind == "ap" for row in rows),
            sum(row.kind != "ap" for row in rows),
            len({row.pupil_id for row in rows}),
            sum(row.substantial for row in rows),
            len({row.pupil_id for row in rows if row.substantial}),
        )

    day = long_date(as_at)
    per_school = Table(
        caption=f"Placements running on {day} per commissioning school",
        columns=(
            "School",
            "AP placements",
            "Work-experience placements (R12)",
            "Pupils placed",
            "Substantial placements (R7)",
            "Pupils in substantial provision",
        ),
        rows=tuple((name, *figures(by_school.get(name, []))) for name in names),
        total=("Total", *figures(placements)),
    )
    histogram = days_a_week_histogram(session, viewer, partnership, on=as_at)
    days = Table(
        caption=f"Pupils by days a week at AP on {day}",
        columns=("Days a week at AP", "Pupils"),
        rows=tuple(
            (f"{count} day{'s' if count > 1 else ''}", histogram[count]) for count in histogram
        ),
        total=("Total", sum(histogram.values())),
    )
    used = {placement.provider for placement in placements}
    register = provider_register(session, viewer, on=as_at)
    at_risk = [row for row in register if row.status == AT_OR_OVER]
    providers = Table(
        caption="Providers used by the partnership at or over R8's line",
        columns=(
            "Provider",
            "Pupils in substantial provision (county-wide)",
            "Of whom looked after or EHCP",
            "R8 threshold",
        ),
        rows=tuple(
            (row.name, row.substantial_pupils, row.substantial_lac_or_ehcp, row.threshold)
            for row in at_risk
            if row.name in used
        ),
    )
    threshold = r8_threshold(session)
    return Section(
        key="Alternative provision",
        heading="Alternative provision",
        notes=(
            "R7: more than 3 days a week at one provider is substantial; so is 18 hours a week "
            "or more (R8's hours guide).",
            f"R8: a provider is at risk of acting as an unregistered school with {threshold} or "
            f"more pupils in substantial provision ({threshold_source(threshold)}), or 1 "
            "looked-after or EHCP pupil, counted across every partnership.",
            "Days a week at AP count AP placements only: work experience is not AP (R12).",
            f"County-wide, {len(at_risk)} provider{'s are' if len(at_risk) != 1 else ' is'} at "
            f"or over R8's line on {day}.",
        ),
        tables=(per_school, days, providers),
    )


def _money_cells(totals: ChargeTotals) -> tuple[Cell, ...]:
    return (
        totals.pupils,
        totals.days,
        totals.apc,
        totals.pupil_premium,
        totals.full_cost_balance,
        totals.top_up,
        totals.total,
        totals.incomplete,
    )


def _charges_section(
    session: Session,
    viewer: Actor,
    partnership: str,
    term: Term,
    as_at: date,
    tiers: TierCountsView,
) -> Section:
    """R14, R15, R3, R4: what each school pays for the financial year of the term's start, to
    the report's day, with the partnership's total. Every school is listed, those with nobody
    in the programme with zeros, so a chair sees the whole partnership."""
    view = charges(
        session,
        viewer,
        partnership,
        financial_year_start=financial_year_start(term.first_day),
        as_of=as_at,
    )
    total = view.total
    charged = {school.school_id: school.totals for school in view.schools}
    listed = [(row.school_id, row.school, row.is_member) for row in tiers.schools]
    known = {key for key, _name, _member in listed}
    listed += [
        (school.school_id, school.school, school.is_member)
        for school in view.schools
        if school.school_id not in known
    ]
    nothing = ChargeTotals(0, 0, *(Decimal(0),) * 5, 0, 0)
    notes = [
        f"Financial year {view.label}, time in the programme charged up to "
        f"{long_date(view.counted_to)}.",
        view.basis,
        "R3: a non-member school pays full cost recovery. R15: top-up funding follows the pupil "
        "for its school year.",
        "Rates held for the year: "
        + "; ".join(
            f"{kind.replace('_', ' ')} {money(rate) if rate is not None else 'not held'}"
            for kind, rate in view.rates.items()
        )
        + ".",
    ]
    if total.not_charged:
        notes.append(
            f"R4: {total.not_charged} stretches of pupils of another home local authority are "
            "not charged here: that authority takes on the cost."
        )
    if total.incomplete:
        notes.append(
            f"{total.incomplete} stretches lack a rate, so the totals are short: "
            + "; ".join(view.missing)
            + "."
        )
    table = Table(
        caption=f"Charges per school, financial year {view.label} to {long_date(view.counted_to)}",
        columns=(
            "School",
            "Member (R3)",
            "Pupils",
            "Days in the programme",
            "Average Pupil Cost pro rata (R14)",
            "Pupil premium (R14)",
            "Full-cost balance (R3)",
            "Top-up (R15)",
            "Total",
            "Stretches lacking a rate",
        ),
        rows=tuple(
            (name, "Yes" if member else "No", *_money_cells(charged.get(key, nothing)))
            for key, name, member in listed
        ),
        total=("Partnership total", None, *_money_cells(total)),
    )
    return Section(
        key="Charges",
        heading=f"Charges, financial year {view.label} to date",
        notes=tuple(notes),
        tables=(table,),
    )


# --- The workbook ------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
_FORMATS: dict[type, str] = {
    Decimal: '"£"#,##0.00',
    float: "0.0",
    date: "d mmm yyyy",
}


def _excel(value: Cell) -> object:
    """A cell as the workbook holds it: text formula-escaped, everything else native."""
    return escape_formula(value) if isinstance(value, str) else value


def _write_row(sheet: Worksheet, cells: Sequence[Cell], *, bold: bool = False) -> int:
    """Append ``cells`` with their number formats; the row's number."""
    sheet.append([_excel(value) for value in cells])
    row = sheet.max_row
    for value, cell in zip(cells, sheet[row], strict=False):
        number_format = _FORMATS.get(type(value))
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = _BOLD
    return row


def _add_chart(sheet: Worksheet, table: Table, chart: Chart, header: int, anchor: str) -> None:
    """A native chart of ``table``'s rows (``header`` + 1 onwards), each series named by its
    header cell, categories from ``chart.category_column``."""
    plot = BarChart() if chart.kind == "stacked_bar" else LineChart()
    if isinstance(plot, BarChart):
        plot.type = "bar"
        plot.grouping = "stacked"
        plot.overlap = 100
        plot.x_axis.scaling.orientation = "maxMin"  # schools top to bottom, as in the table
        plot.y_axis.crosses = "max"  # and the count axis below them, not above
    plot.title = chart.title
    plot.y_axis.title = chart.value_title
    # openpyxl 3.1 leaves <c:delete> unset, which some Excel versions read as hidden axes.
    plot.x_axis.delete = False
    plot.y_axis.delete = False
    first, last = header + 1, header + len(table.rows)
    for column in chart.value_columns:
        data = Reference(sheet, min_col=column + 1, min_row=header, max_row=last)
        plot.add_data(data, titles_from_data=True)
    plot.set_categories(
        Reference(sheet, min_col=chart.category_column + 1, min_row=first, max_row=last)
    )
    for series, colour in zip(plot.series, TIER_COLOURS, strict=False):
        if chart.kind == "stacked_bar":
            series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        if chart.kind == "line":
            series.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
            series.smooth = False
    plot.width = 24
    plot.height = max(8.0, 2.0 + 0.6 * len(table.rows)) if chart.kind == "stacked_bar" else 10.0
    sheet.add_chart(plot, anchor)


def _write_section(sheet: Worksheet, report: TermlyReport, section: Section) -> None:
    """A title row, the heading, the term and notes, then each table: caption, header, rows,
    total (bold, ruled), and its chart below the section's tables."""
    sheet.append([escape_formula(report.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([escape_formula(section.heading)])
    sheet["A2"].font = Font(bold=True, size=12)
    sheet.append([report.subtitle])
    for note in section.notes:
        sheet.append([escape_formula(note)])
    charts: list[tuple[Table, Chart, int]] = []
    widest = 1
    for table in section.tables:
        sheet.append([])
        caption = _write_row(sheet, [table.caption], bold=True)
        sheet.cell(row=caption, column=1).font = Font(bold=True, size=12)
        header = _write_row(sheet, table.columns, bold=True)
        for cell in sheet[header]:
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            _write_row(sheet, row)
        if not table.rows:
            sheet.append(["None."])
        if table.total is not None:
            total = _write_row(sheet, table.total, bold=True)
            for cell in sheet[total]:
                cell.border = _TOTAL_BORDER
        if table.chart is not None and table.rows:
            charts.append((table, table.chart, header))
        widest = max(widest, len(table.columns))
    for table, chart, header in charts:
        sheet.append([])
        # The chart's alternative text, in a cell above it, where a screen reader finds it.
        _write_row(sheet, [f"Chart: {chart.alt}"])
        _add_chart(sheet, table, chart, header, f"A{sheet.max_row + 1}")
        rows_high = 20 + (len(table.rows) if chart.kind == "stacked_bar" else 0)
        for _ in range(rows_high):
            sheet.append([])
    sheet.column_dimensions["A"].width = 44
    for index in range(2, widest + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 16
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def termly_workbook(report: TermlyReport) -> bytes:
    """The report as .xlsx bytes: one sheet per section, each with a title row, its notes and
    its tables (header, rows, a bold total row), values rather than formulas so any reader sees
    them; a stacked bar chart of tier counts per school and a line chart of the trend as native
    Excel charts over the tables' cells. Text cells are formula-escaped."""
    book = Workbook()
    book.remove(book.active)
    for section in report.sections:
        _write_section(book.create_sheet(section.key), report, section)
    book.properties.title = report.title
    out = BytesIO()
    book.save(out)
    return out.getvalue()
