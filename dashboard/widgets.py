"""Shared widgets: flag badges, privacy-aware pupil labels, metric rows and accessible charts.

Meaning is never carried by colour alone (WCAG 1.4.1): a severity is a word and an icon, a
chart series has a pattern and a printed value as well as a colour.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from seips_core.rules.flag import RULE_TITLES

#: The severities of the flag catalogue, most urgent first, as they are shown.
SEVERITY_LABELS: dict[str, str] = {
    "critical": "⛔ Critical",
    "warning": "⚠️ Warning",
    "advisory": "ℹ️ Advisory",
}

#: Okabe–Ito colours: told apart with the common colour-vision deficiencies, each with a
#: pattern so that a greyscale projector still separates the series.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
PATTERNS = ("", "/", ".", "x", "-", "+")
CHART_FONT = {"size": 18, "color": "#0b0c0c"}


def severity_label(severity: str) -> str:
    """``"⛔ Critical"``: icon and word, readable in greyscale and by a screen reader."""
    return SEVERITY_LABELS[severity]


def rule_label(rule: str) -> str:
    """``"R7: More than 3 days a week at one AP"``, so a chair sees why a flag is raised."""
    return f"{rule}: {RULE_TITLES[rule]}" if rule in RULE_TITLES else rule


def flag_badge(rule: str, severity: str) -> str:
    """A flag's rule and severity in one short text: ``"⛔ Critical · R8"``."""
    return f"{severity_label(severity)} · {rule}"


def pupil_label(case_ref: str, initials: str | None) -> str:
    """A pupil as the wall may show them: case reference and initials, never the name."""
    return f"{case_ref} ({initials})" if initials else case_ref


@dataclass(frozen=True)
class Figure:
    """One headline number, with what it counts (shown on hover and to screen readers)."""

    label: str
    value: int
    help: str


def metric_row(figures: Sequence[Figure]) -> None:
    """Big numbers side by side, one column each."""
    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(figure.label, f"{figure.value:,}", help=figure.help, border=True)


def stacked_bars(
    frame: pd.DataFrame, category: str, series: Sequence[str], title: str
) -> go.Figure:
    """Horizontal stacked bars of ``series`` columns per ``category``, values printed on them."""
    figure = go.Figure()
    for index, name in enumerate(series):
        figure.add_bar(
            name=name,
            y=frame[category],
            x=frame[name],
            orientation="h",
            marker={
                "color": PALETTE[index % len(PALETTE)],
                "pattern": {"shape": PATTERNS[index % len(PATTERNS)], "fgcolor": "#0b0c0c"},
                "line": {"color": "#0b0c0c", "width": 1},
            },
            text=[value or "" for value in frame[name]],
            textposition="inside",
            insidetextanchor="middle",
        )
    figure.update_layout(
        title={"text": title, "font": {"size": 22}},
        barmode="stack",
        font=CHART_FONT,
        legend={"orientation": "h", "y": -0.12, "font": CHART_FONT},
        yaxis={"autorange": "reversed", "title": None},
        xaxis={"title": None, "gridcolor": "#b1b4b6"},
        height=140 + 44 * len(frame),
        margin={"l": 8, "r": 8, "t": 56, "b": 8},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    return figure


def show_chart(figure: go.Figure) -> None:
    """A Plotly chart without the mode bar, which only clutters a projected screen."""
    st.plotly_chart(figure, config={"displayModeBar": False}, width="stretch")
