"""One agenda item as the room reads it (issue 4): who (case reference and initials), why it is
here, school and year group, the decision once recorded, every flag with its rule id and
reason, the tier history as a small chart with its figures in words, earlier decisions,
suspensions and exclusions with the R25 total, and current AP placements with days a week.

Drawn from an ``ItemView`` (``seips_core.queries.agenda_item``); the same drawing serves the
projector (in ``PROJECTOR_CSS``'s very large type) and the co-ordinator's own screen.
"""

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.text import md
from dashboard.widgets import CHART_FONT, PALETTE, flag_badge, pupil_label, show_chart, show_table
from seips_core.auth.local_time import clock_time
from seips_core.config import COUNTY_LA
from seips_core.queries.agenda_item import ItemView, TierPeriod

#: The wall: near-black on white (19:1), type readable from the back of a meeting room, and
#: nothing but the item (the sidebar and Streamlit's toolbar hidden; "Leave" is on the page).
PROJECTOR_CSS = """
<style>
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td,
[data-testid="stMain"] th, [data-testid="stMain"] label { font-size: 1.7rem; color: #0b0c0c; }
[data-testid="stMain"] h1 { font-size: 3.6rem; }
[data-testid="stMain"] h2 { font-size: 2.8rem; }
[data-testid="stMain"] h3 { font-size: 2.2rem; }
[data-testid="stMain"] button p { font-size: 1.7rem; }
[data-testid="stMain"] button:disabled p { color: #6f777b; text-decoration: line-through; }
[data-testid="stMain"] [data-testid="stIconMaterial"] { font-size: 2rem; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stToolbar"] { display: none; }
</style>
"""


#: Chart type as large as the wall's text around it.
WALL_FONT = {**CHART_FONT, "size": 24}


def tier_chart(history: tuple[TierPeriod, ...], on: date) -> go.Figure:
    """Tier over time as steps, one thick line per period, labelled with its tier (R6)."""
    figure = go.Figure()
    for period in history:
        figure.add_scatter(
            x=[period.from_date, period.to_date or on],
            y=[period.tier, period.tier],
            mode="lines+text",
            line={"color": PALETTE[0], "width": 12},
            text=[f"Tier {period.tier}", ""],
            textposition="top right",
            textfont=WALL_FONT,
            showlegend=False,
            hoverinfo="skip",
        )
    figure.update_layout(
        font=WALL_FONT,
        height=260,
        margin={"l": 8, "r": 8, "t": 16, "b": 40},
        yaxis={
            "range": [0.5, 4.9],
            "tickvals": [1, 2, 3, 4],
            "ticktext": ["Tier 1", "Tier 2", "Tier 3", "Tier 4"],
            "title": None,
            "gridcolor": "#b1b4b6",
            "automargin": True,
            "ticksuffix": "  ",
        },
        xaxis={"title": None, "gridcolor": "#b1b4b6", "nticks": 5},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    return figure


def tier_words(history: tuple[TierPeriod, ...]) -> str:
    """The chart's figures in words: its accessible name, and its caption."""
    periods = [
        f"Tier {p.tier}{f' ({p.psp_label})' if p.psp_label else ''} from {p.from_date:%d/%m/%Y}"
        + (f" to {p.to_date:%d/%m/%Y}" if p.to_date else " to now")
        for p in history
    ]
    return "Tier history (R6): " + ("; ".join(periods) if periods else "no tier recorded") + "."


def _section(heading: str, rows: list[dict[str, object]], empty: str) -> None:
    st.subheader(heading)
    if rows:
        show_table(pd.DataFrame(rows))
    else:
        st.markdown(empty)


def _about(view: ItemView) -> str:
    """ "Fair Access · Year 9 · Oakfield Academy · EHCP (R15) · Home LA: City (R4)", in
    Markdown: the stored school and LA escaped."""
    parts = [f"**{view.purpose_label}**", f"Year {view.year_group}"]
    parts.append(md(view.school) if view.school else "on no school's roll")
    if view.ehcp:
        parts.append("EHCP (R15)")
    if view.home_la != COUNTY_LA:
        parts.append(f"Home LA: {md(view.home_la)} (R4)")
    return " · ".join(parts)


def draw_decision(view: ItemView) -> None:
    """The item's standing decision, or that there is none yet."""
    decision = view.decision
    if decision is None:
        st.info("No decision yet.", icon=":material/hourglass_empty:")
        return
    amended = " (amendment after sign-off)" if decision.is_amendment else ""
    st.success(
        f"**Decision{amended}: {decision.outcome_label}.** {md(decision.rationale)}",
        icon=":material/gavel:",
    )
    if decision.outcome == "allocate_fair_access" and not decision.enforceable:
        st.warning(
            "R13a: a member school was not notified of this meeting, so this allocation is "
            "unenforceable.",
            icon=":material/warning:",
        )


def draw_item(view: ItemView, figure: go.Figure | None) -> None:
    """``view`` with its tier chart ``figure`` (built once per change, not per redraw)."""
    st.header(md(pupil_label(view.case_ref, view.label)))
    st.markdown(_about(view))
    draw_decision(view)
    st.subheader("Flags")
    if view.flags:
        st.markdown(
            "\n".join(
                f"- **{flag_badge(flag.rule, flag.severity)}**: {md(flag.message)}"
                for flag in view.flags
            )
        )
    else:
        st.markdown("No rule raises a flag on this case.")
    history, record = st.columns(2, gap="large")
    with history:
        st.subheader("Tier history")
        if figure is not None:
            show_chart(figure, alt=tier_words(view.tier_history))
        st.caption(md(tier_words(view.tier_history)))
        _section(
            "AP placements now",
            [
                {
                    "Provider": p.provider,
                    "Days a week (R7)": p.days_a_week,
                    "Hours": f"{p.hours_per_week:g}",
                    "From": f"{p.start_date:%d/%m/%Y}",
                }
                for p in view.placements
            ],
            "None.",
        )
    with record:
        _section(
            "Previous decisions",
            [
                {"Date": f"{d.meeting_date:%d/%m/%Y}", "Decision": d.outcome_label,
                 "Why": d.rationale}
                for d in view.previous_decisions
            ],
            "None.",
        )  # fmt: skip
        st.subheader("Suspensions and exclusions")
        st.markdown(
            f"This school year: **{view.suspension_days_this_year} of "
            f"{view.suspension_limit}** suspension days (R25); "
            f"**{view.permanent_exclusions_this_year}** permanent exclusion(s)."
        )
        if view.exclusions:
            show_table(
                pd.DataFrame(
                    {
                        "Date": [f"{e.start_date:%d/%m/%Y}" for e in view.exclusions],
                        "Kind": [e.kind.capitalize() for e in view.exclusions],
                        "School days": [e.school_days or "" for e in view.exclusions],
                        "School": [e.school for e in view.exclusions],
                    }
                )
            )


def decided_line(view: ItemView) -> str:
    """Who saved the standing decision and when, for the co-ordinator's screen."""
    decision = view.decision
    if decision is None:
        return "No decision saved yet."
    return f"Saved by {decision.decided_by} at {clock_time(decision.decided_at)}."
