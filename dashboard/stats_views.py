"""The chair's statistics (issue 7) as whole views built in one cached step: tier counts per
school, the trends, and the charges, each with its tables and charts beside the rows they
come from (see ``dashboard.views`` for why). Not named ``statistics``: Streamlit puts the
entry point's folder on the import path, where that name would hide the standard library's.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
from sqlmodel import Session

from seips_core.auth.roles import Actor
from seips_core.models.choices import PSP_LABEL_FOR_TIER, TIERS
from seips_core.queries.charges import ChargesView, charges
from seips_core.queries.tiers import TierCountsView, tier_counts
from seips_core.queries.trends import (
    ExclusionsView,
    TierMovementsView,
    TierTrendView,
    TimeAtTier4View,
    exclusions_by_term,
    tier_movements,
    tier_trend,
    time_at_tier4,
)

from .charts import VERMILLION, lines, simple_bars, stacked_bars, tier_flow, tier_name
from .tables import TIER_COLUMNS
from .views import arrow


@dataclass(frozen=True)
class TierPicture:
    view: TierCountsView
    table: pa.Table
    chart: go.Figure | None


def _tier_cell(count: int, city: int, tier: int) -> str:
    """ "12", or "12 (PSP3: 2)" when city-address pupils are among them (R5)."""
    label = PSP_LABEL_FOR_TIER.get(tier)
    return f"{count} ({label}: {city})" if label and city else str(count)


def tier_picture(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    on: date,
    school_id: int | None,
    per_thousand: bool,
) -> TierPicture:
    """Pupils at each tier in each school on ``on`` (R6), counts or per 1,000 on roll."""
    view = tier_counts(session, viewer, partnership, on=on, school_id=school_id)
    rows = view.schools
    figures = pd.DataFrame({"School": [row.school for row in rows]})
    shown = pd.DataFrame({"School": [row.school for row in rows]})
    if partnership is None:
        shown.insert(0, "Partnership", [row.partnership for row in rows])
    shown["On roll"] = [row.number_on_roll for row in rows]
    for tier, column in zip(TIERS, TIER_COLUMNS, strict=True):
        if per_thousand:
            values = [row.per_thousand_by_tier[tier - 1] for row in rows]
            figures[column] = [value or 0.0 for value in values]
            shown[column] = ["—" if value is None else f"{value:.1f}" for value in values]
        else:
            figures[column] = [row.pupils_by_tier[tier - 1] for row in rows]
            shown[column] = [
                _tier_cell(row.pupils_by_tier[tier - 1], row.city_by_tier[tier - 1], tier)
                for row in rows
            ]
    title = "Pupils at each tier per 1,000 on roll" if per_thousand else "Pupils at each tier"
    chart = stacked_bars(figures, "School", TIER_COLUMNS, title) if len(figures) <= 40 else None
    return TierPicture(view, arrow(shown), chart)


@dataclass(frozen=True)
class TrendsPicture:
    trend: TierTrendView
    trend_table: pa.Table
    trend_chart: go.Figure | None
    moves: TierMovementsView
    moves_table: pa.Table
    flow: go.Figure | None
    tier4: TimeAtTier4View
    tier4_table: pa.Table
    tier4_chart: go.Figure
    exclusions: ExclusionsView
    exclusions_table: pa.Table
    near_limit: pa.Table


def trends_picture(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    start: date,
    end: date,
    academic_year: int,
    school_id: int | None,
) -> TrendsPicture:
    """Tier counts per term over three years, moves and time at Tier 4 in the period, and
    exclusions per school and term with the pupils near R25's 45 days."""
    trend = tier_trend(session, viewer, partnership, end=end, school_id=school_id)
    trend_frame = pd.DataFrame(
        {"Term": [f"{term.season} {term.first_day:%Y}" for term in trend.terms]}
    )
    for index, column in enumerate(TIER_COLUMNS):
        trend_frame[column] = [counts[index] for counts in trend.totals]
    moves = tier_movements(session, viewer, partnership, start=start, end=end,
                           school_id=school_id)  # fmt: skip
    moves_frame = pd.DataFrame(
        {
            "From": [tier_name(m.from_tier, True) for m in moves.moves],
            "To": [tier_name(m.to_tier, False) for m in moves.moves],
            "Pupils": [m.moves for m in moves.moves],
        }
    )
    tier4 = time_at_tier4(session, viewer, partnership, start=start, end=end,
                          school_id=school_id)  # fmt: skip
    bands = pd.DataFrame(
        {
            "School days at Tier 4": [
                f"{b.low}+" if b.high is None else f"{b.low}–{b.high}" for b in tier4.bands
            ],
            "Stays ended": [b.ended for b in tier4.bands],
            "Stays running": [b.running for b in tier4.bands],
        }
    )
    bands["Stays"] = bands["Stays ended"] + bands["Stays running"]
    exclusions = exclusions_by_term(session, viewer, partnership, academic_year=academic_year,
                                    school_id=school_id)  # fmt: skip
    terms = [f"{term.season}" for term in exclusions.terms]
    table = pd.DataFrame({"School": [row.school for row in exclusions.schools]})
    for index, term in enumerate(terms):
        table[f"{term}: suspensions (days)"] = [
            f"{row.by_term[index].suspensions} ({row.by_term[index].suspension_days})"
            for row in exclusions.schools
        ]
        table[f"{term}: permanent"] = [row.by_term[index].permanent for row in exclusions.schools]
    near = pd.DataFrame(
        {
            "Pupil": [f"{p.case_ref} ({p.initials})" for p in exclusions.near_limit],
            "Suspension days this year": [p.suspension_days for p in exclusions.near_limit],
            "Days left of 45": [p.days_left for p in exclusions.near_limit],
            "Flag": [p.flag.severity.capitalize() if p.flag else "" for p in exclusions.near_limit],
        }
    )
    return TrendsPicture(
        trend=trend,
        trend_table=arrow(trend_frame),
        trend_chart=lines(
            trend_frame,
            "Term",
            TIER_COLUMNS,
            "Pupils at each tier on the first day of each term",
            own_panel=["Tier 4"],
        )
        if len(trend_frame)
        else None,
        moves=moves,
        moves_table=arrow(moves_frame),
        flow=tier_flow(
            [(m.from_tier, m.to_tier, m.moves) for m in moves.moves],
            "Moves between tiers in the period",
        ),
        tier4=tier4,
        tier4_table=arrow(bands),
        # Bands of days in their own order, not by size: the shape of the stays is the point.
        tier4_chart=simple_bars(
            bands, "School days at Tier 4", "Stays", order="given", colour=VERMILLION
        ),
        exclusions=exclusions,
        exclusions_table=arrow(table),
        near_limit=arrow(near),
    )


@dataclass(frozen=True)
class ChargesPicture:
    view: ChargesView
    schools: pa.Table
    pupils: pa.Table


def _money(value: object) -> str:
    return "not held" if value is None else f"£{value:,.2f}"


def charges_picture(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    financial_year_start: int,
    full_names: bool,
) -> ChargesPicture:
    """What each school pays for its Tier 4 and permanently excluded pupils (R14, R15, R3),
    per school, and per pupil with the working shown."""
    view = charges(session, viewer, partnership, financial_year_start=financial_year_start,
                   full_names=full_names)  # fmt: skip
    schools = pd.DataFrame(
        {
            "Partnership": [s.partnership for s in view.schools],
            "School": [s.school + ("" if s.is_member else " (non-member, R3)")
                       for s in view.schools],
            "Pupils": [s.totals.pupils for s in view.schools],
            "Days": [s.totals.days for s in view.schools],
            "APC": [_money(s.totals.apc) for s in view.schools],
            "Pupil premium": [_money(s.totals.pupil_premium) for s in view.schools],
            "Full-cost balance": [_money(s.totals.full_cost_balance) for s in view.schools],
            "Top-up": [_money(s.totals.top_up) for s in view.schools],
            "Total": [_money(s.totals.total) for s in view.schools],
        }
    )  # fmt: skip
    pupils = pd.DataFrame(
        [
            {
                "School": school.school,
                "Pupil": f"{row.case_ref} ({row.label})" if row.label else row.case_ref,
                "Why": row.reason,
                "Period": row.period,
                # One line per amount: ``show_table`` keeps each line break in the cell.
                "Working": row.working,
            }
            for school in view.schools
            for row in school.rows
        ],
        columns=["School", "Pupil", "Why", "Period", "Working"],
    )
    return ChargesPicture(view, arrow(schools), arrow(pupils))
