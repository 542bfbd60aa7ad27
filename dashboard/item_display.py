"""One agenda item as the room reads it: who (case reference and initials), school, year group,
tier history as a small chart with its figures in words, previous decisions, suspensions and
exclusions, AP placements with days a week, every flag with its rule id and reason, and the
decision once recorded.

Drawn from an ``ItemView`` of ``seips_core.queries.agenda_item``; the same drawing serves the
projector (``large=True``: very large type, high contrast) and the co-ordinator's screen.
"""

import plotly.graph_objects as go
import streamlit as st

from dashboard.widgets import CHART_FONT, flag_badge, pupil_label, show_chart, show_table

#: Projector styling: near-black on white (19:1), type readable from the back of the room.
PROJECTOR_CSS = """
<style>
[data-testid="stMain"] { font-size: 1.6rem; }
[data-testid="stMain"] h1 { font-size: 3.4rem; }
[data-testid="stMain"] h2 { font-size: 2.4rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td,
[data-testid="stMain"] th { font-size: 1.6rem; color: #0b0c0c; }
[data-testid="stMain"] button p { font-size: 1.6rem; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"] { display: none; }
</style>
"""
TIER_COLOUR = "#0072B2"


def tier_chart(history) -> go.Figure:
    """Tier over time as steps: one horizontal bar per period, labelled with its tier."""
    figure = go.Figure()
    for period in history:
        figure.add_scatter(
            x=[period.start, period.end or period.until],
            y=[period.tier, period.tier],
            mode="lines+text",
            line={"color": TIER_COLOUR, "width": 10},
            text=[f"Tier {period.tier}", ""],
            textposition="top right",
            showlegend=False,
            hoverinfo="skip",
        )
    figure.update_layout(
        font=CHART_FONT,
        height=260,
        margin={"l": 8, "r": 8, "t": 24, "b": 32},
        yaxis={"range": [0.5, 4.7], "dtick": 1, "title": "Tier", "gridcolor": "#b1b4b6"},
        xaxis={"title": None, "gridcolor": "#b1b4b6"},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    return figure


def tier_words(history) -> str:
    """The chart's figures in words, its accessible name."""
    periods = [
        f"Tier {p.tier} from {p.start:%d/%m/%Y}" + (f" to {p.end:%d/%m/%Y}" if p.end else " to now")
        for p in history
    ]
    return "Tier history: " + ("; ".join(periods) if periods else "no tier recorded") + "."


def _rows(heading: str, rows: list[dict], empty: str) -> None:
    st.subheader(heading)
    if rows:
        show_table(rows)
    else:
        st.markdown(empty)


def draw_item(view, figure: go.Figure | None) -> None:
    """``view`` (an ``ItemView``) with its tier chart ``figure`` built once per change."""
    st.header(pupil_label(view.case_ref, view.label))
    st.markdown(
        f"**{view.purpose_label}** · {view.school} · Year {view.year_group}"
        + (f" · Tier {view.tier}" if view.tier else "")
    )
    if view.decision is None:
        st.info("No decision yet.", icon=":material/hourglass_empty:")
    else:
        st.success(f"**Decision: {view.decision.summary}** — {view.decision.rationale}")
        for warning in view.decision.warnings:
            st.warning(warning, icon=":material/warning:")
    st.subheader("Flags")
    if view.flags:
        for flag in view.flags:
            st.markdown(f"- **{flag_badge(flag.rule, flag.severity)}**: {flag.message}")
    else:
        st.markdown("No rule raises a flag on this case.")
    st.subheader("Tier history")
    if figure is not None:
        show_chart(figure, alt=tier_words(view.tier_history))
    st.caption(tier_words(view.tier_history))
    _rows(
        "Previous decisions",
        [
            {"Date": f"{d.meeting_date:%d/%m/%Y}", "Decision": d.outcome, "Why": d.rationale}
            for d in view.previous_decisions
        ],
        "None.",
    )
    _rows(
        "Suspensions and exclusions",
        [
            {"Date": f"{e.start:%d/%m/%Y}", "Kind": e.kind, "School days": e.days}
            for e in view.exclusions
        ],
        "None.",
    )
    _rows(
        "AP placements now",
        [
            {"Provider": p.provider, "Days a week": p.days_a_week, "Sessions": p.sessions}
            for p in view.placements
        ],
        "None.",
    )
