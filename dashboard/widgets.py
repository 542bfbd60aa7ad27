"""Shared widgets: flag badges, privacy-aware pupil labels, metric rows and accessible charts.

Meaning is never carried by colour alone (WCAG 1.4.1): a severity is a word and an icon, a
chart series has a pattern as well as a colour, and a chart's figures are in a table beside it.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from math import ceil

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.store import cached_query
from dashboard.text import md, md_table, plot_text
from seips_core.auth.roles import Actor
from seips_core.models.choices import WEEKDAYS
from seips_core.queries.schools import school_choices
from seips_core.rules.flag import RULE_TITLES

#: The severities of the flag catalogue, most urgent first, as they are shown. The symbols
#: are text characters found in common fonts (DejaVu, Segoe UI Symbol), not emoji that a
#: machine without an emoji font would draw as empty boxes.
SEVERITY_LABELS: dict[str, str] = {
    "critical": "✖ Critical",
    "warning": "⚠ Warning",
    "advisory": "ℹ Advisory",
}

#: Okabe–Ito colours: told apart with the common colour-vision deficiencies, each with a
#: pattern so that a greyscale projector still separates the series.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
PATTERNS = ("", "/", ".", "x", "-", "+")
#: The secondary year groups a filter offers (R23).
YEAR_GROUPS = (7, 8, 9, 10, 11)
#: Rows drawn as a plain table at most (see ``show_table``).
MAX_TABLE_ROWS = 200
CHART_FONT = {
    "size": 18,
    "color": "#0b0c0c",
    "family": "Arial, sans-serif",
}


def severity_label(severity: str) -> str:
    """``"✖ Critical"``: icon and word, readable in greyscale and by a screen reader."""
    return SEVERITY_LABELS[severity]


def rule_label(rule: str) -> str:
    """``"R7: More than 3 days a week at one AP"``, so a chair sees why a flag is raised."""
    return f"{rule}: {RULE_TITLES[rule]}" if rule in RULE_TITLES else rule


def flag_badge(rule: str, severity: str) -> str:
    """A flag's rule and severity in one short text: ``"✖ Critical · R8"``."""
    return f"{severity_label(severity)} · {rule}"


def pupil_label(case_ref: str, label: str | None) -> str:
    """A pupil as ``"SEIP-0042 (J. S.)"``: the case reference, then the label the query gave,
    initials in projection mode (the wall never sees more) or the name on a user's own screen."""
    return f"{case_ref} ({label})" if label else case_ref


#: GOV.UK yellow on near-black (14:1), bold and full width: no one mistakes the demo for
#: real children's data, on a laptop or on the wall.
DEMO_BANNER = (
    '<p role="note" style="margin:0;padding:0.35rem 1rem;background:#0b0c0c;color:#ffdd00;'
    'border:4px solid #ffdd00;font-size:1.5rem;font-weight:700;text-align:center;">'
    "DEMO DATA — synthetic, not real children</p>"
)


#: Streamlit greys what a rerun has not redrawn yet: an element marked ``data-stale="true"``
#: fades to a third of its opacity half a second into the run (an expander's header and a tab
#: list likewise). Live areas rerun every second and the wall is read from across the room: on
#: a busy machine the fade shows, reads as an error and fails contrast (issue 12). Nothing
#: fades here: a rerun replaces what it redraws, as it would have anyway.
STEADY_CSS = """
<style>
[data-stale="true"], [data-testid="stExpander"] summary, [data-testid="stExpander"] summary > div,
[data-testid="stTabs"] [role="tablist"], [data-testid="stTab"] {
  opacity: 1 !important; transition: none !important;
}
</style>
"""


def steady_screen() -> None:
    """On every page: nothing greys while the page reruns (``STEADY_CSS``)."""
    st.html(STEADY_CSS)


def demo_banner() -> None:
    """The demo banner, at the top of every page of a demo store."""
    st.html(DEMO_BANNER)


def show_table(frame: pd.DataFrame | pa.Table) -> None:
    """A plain table that wraps long text (readable on a projector) up to ``MAX_TABLE_ROWS``
    rows; a scrolling grid beyond, which the browser draws only as it scrolls.

    ``st.table`` renders each cell as Markdown, so its text is escaped here (``md_table``):
    a stored name is shown as typed, never as a link or an image. The grid shows plain text.
    """
    if len(frame) <= MAX_TABLE_ROWS:
        st.table(md_table(frame), hide_index=True, border="horizontal")
    else:
        st.dataframe(frame, hide_index=True, width="stretch")


@dataclass(frozen=True)
class Figure:
    """One headline number, with what it counts (shown on hover and to screen readers)."""

    label: str
    value: int
    help: str


def metric_row(figures: Sequence[Figure], per_row: int | None = None) -> None:
    """Big numbers side by side, one column each (``per_row`` to a row at most, rows of equal
    columns); label and help shown as the text they are."""
    per_row = per_row or len(figures)
    for start in range(0, len(figures), per_row):
        row = figures[start : start + per_row]
        for column, figure in zip(st.columns(per_row), row, strict=False):
            column.metric(md(figure.label), f"{figure.value:,}", help=md(figure.help), border=True)


def stacked_bars(
    frame: pd.DataFrame, category: str, series: Sequence[str], title: str
) -> go.Figure:
    """Horizontal stacked bars of ``series`` columns per ``category``.

    The figures themselves are in the table the chart sits under; the bars show proportions.
    Building a Plotly figure validates every property and costs more than the rest of a page:
    build it inside a cached view (``dashboard.views``), not on every run.
    """
    longest_bar = int(frame[list(series)].sum(axis=1).max()) if len(frame) else 0
    categories = plot_labels(frame[category])
    figure = go.Figure()
    for index, name in enumerate(series):
        figure.add_bar(
            name=name,
            # Plain lists: Plotly turns arrays into base64 specs each time it sends the figure.
            y=categories,
            x=frame[name].tolist(),
            orientation="h",
            marker={
                "color": PALETTE[index % len(PALETTE)],
                "pattern": {"shape": PATTERNS[index % len(PATTERNS)], "fgcolor": "#0b0c0c"},
                "line": {"color": "#0b0c0c", "width": 1},
            },
        )
    figure.update_layout(
        title={"text": title, "x": 0, "font": {**CHART_FONT, "size": 24}},
        barmode="stack",
        font=CHART_FONT,
        legend={
            "orientation": "h",
            "traceorder": "normal",
            "x": 0,
            "y": 1,
            "yanchor": "bottom",
            "font": CHART_FONT,
        },
        yaxis={
            "autorange": "reversed",
            "title": None,
            "automargin": True,
            "ticksuffix": "  ",
            "tickfont": CHART_FONT,
        },
        xaxis={
            "title": None,
            "gridcolor": "#b1b4b6",
            "dtick": max(1, ceil(longest_bar / 8)),
            "tickfont": CHART_FONT,
        },
        height=170 + 44 * len(frame),
        margin={"l": 24, "r": 8, "t": 96, "b": 40},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    return figure


def share_bars(frame: pd.DataFrame, category: str, actual: str, share: str) -> go.Figure:
    """Each ``category`` row's ``actual`` minus its ``share`` as a bar from zero: to the right
    (orange, hatched) more than its share, to the left (blue, dotted) fewer; each bar says
    "3 (share 1.8)", so over- and under-loading read at a glance, in greyscale too (R13b)."""
    difference = (frame[actual] - frame[share]).round(1).tolist()
    over = [value > 0 for value in difference]
    figure = go.Figure(
        go.Bar(
            y=plot_labels(frame[category]),
            x=difference,
            orientation="h",
            text=[f"{a} (share {s:.1f})" for a, s in zip(frame[actual], frame[share], strict=True)],
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [PALETTE[5] if up else PALETTE[0] for up in over],
                "pattern": {
                    "shape": [PATTERNS[1] if up else PATTERNS[2] for up in over],
                    "fgcolor": "#0b0c0c",
                },
                "line": {"color": "#0b0c0c", "width": 1},
            },
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    reach = max([abs(value) for value in difference] + [1.0]) * 1.6
    figure.update_layout(
        title={
            "text": f"{actual} minus fair share: right of the line, more than its share",
            "x": 0,
            "font": {**CHART_FONT, "size": 22},
        },
        font=CHART_FONT,
        xaxis={"range": [-reach, reach], "zeroline": True, "zerolinecolor": "#0b0c0c",
               "zerolinewidth": 2, "gridcolor": "#b1b4b6", "title": None},
        yaxis={"autorange": "reversed", "automargin": True, "title": None, "ticksuffix": "  "},
        height=140 + 44 * len(frame),
        margin={"l": 24, "r": 24, "t": 80, "b": 40},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=False,
    )  # fmt: skip
    return figure


def plot_labels(values: Iterable[object]) -> list[str]:
    """A chart's category labels (school and provider names among them) as Plotly text:
    Plotly draws ``<b>``, ``<a href>`` and the like in labels and hover text, the names not."""
    return [plot_text(value) for value in values]


def _plain_layout(figure: go.Figure, title: str, height: int) -> go.Figure:
    """The house style: title top left, projector-sized type, white ground, grey grid."""
    figure.update_layout(
        title={"text": title, "x": 0, "font": {**CHART_FONT, "size": 22}},
        font=CHART_FONT,
        height=height,
        margin={"l": 24, "r": 24, "t": 72, "b": 48},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=False,
    )
    figure.update_xaxes(gridcolor="#b1b4b6", title=None, automargin=True)
    figure.update_yaxes(gridcolor="#b1b4b6", title=None, automargin=True)
    return figure


def weekday_heat_map(frame: pd.DataFrame) -> go.Figure:
    """Providers × Mon–Fri, each cell the number of pupils there that day, written in the cell
    (so the figure reads without the colour scale; the table beside holds the same counts)."""
    days = [day for day in frame.columns if day not in ("Provider", "Pupils")]
    figure = go.Figure(
        go.Heatmap(
            z=frame[days].to_numpy().tolist(),
            x=days,
            y=plot_labels(frame["Provider"]),
            text=frame[days].to_numpy().tolist(),
            texttemplate="%{text}",
            textfont={**CHART_FONT, "size": 16},
            colorscale="Blues",
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}, %{x}: %{z} pupil(s)<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure = _plain_layout(figure, "Pupils at each provider, by weekday", 160 + 30 * len(frame))
    figure.update_xaxes(side="top")  # the weekdays stay in sight above a long list
    figure.update_layout(margin={"t": 110})
    return figure


def simple_bars(frame: pd.DataFrame, category: str, value: str) -> go.Figure:
    """One bar per ``category`` value, its figure written on it."""
    figure = go.Figure(
        go.Bar(
            x=plot_labels(frame[category]),
            y=frame[value].tolist(),
            text=frame[value].tolist(),
            textposition="outside",
            cliponaxis=False,
            marker={"color": PALETTE[0], "line": {"color": "#0b0c0c", "width": 1}},
        )
    )
    figure.update_xaxes(title=category)
    return _plain_layout(figure, f"{value} by {category[0].lower()}{category[1:]}", 360)


#: Line styles beside the colours, so that lines stay apart in greyscale.
DASHES = ("solid", "dash", "dot", "longdash", "dashdot", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")


def lines(frame: pd.DataFrame, x: str, series: Sequence[str], title: str) -> go.Figure:
    """One line per ``series`` column over ``x``, told apart by dash and marker as well as by
    colour, the legend above the plot."""
    figure = go.Figure()
    for index, name in enumerate(series):
        figure.add_scatter(
            x=plot_labels(frame[x]),
            y=frame[name].tolist(),
            name=name,
            mode="lines+markers",
            line={"color": PALETTE[index % len(PALETTE)], "dash": DASHES[index % len(DASHES)],
                  "width": 3},
            marker={"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 9},
        )  # fmt: skip
    _plain_layout(figure, title, 400)
    figure.update_layout(
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "x": 0, "yanchor": "bottom"},
        margin={"t": 96},
    )
    figure.update_yaxes(rangemode="tozero")
    return figure


#: What the hours a week of a placement mean to the rules, beside the field wherever it is asked.
HOURS_HELP = "R7: 18 hours or more a week, or more than 3 days, is substantial provision."


def session_grid(key: str, held: str = "") -> str:
    """The half-days attended, picked on a Mon–Fri by AM/PM grid (``held`` ticked at first):
    ``"MonAM TuePM"``, each box labelled as the grid shows it ("Mon AM"). R7 counts a half-day
    as a day."""
    st.markdown("**Sessions**")
    st.caption("Tick the half-days attended; a half-day counts as a day (R7).")
    ticked = set(held.split())
    chosen = []
    for day, column in zip(WEEKDAYS, st.columns(len(WEEKDAYS)), strict=True):
        for half in ("AM", "PM"):
            session = f"{day}{half}"
            if column.checkbox(f"{day} {half}", value=session in ticked, key=f"{key}_{session}"):
                chosen.append(session)
    return " ".join(chosen)


def grid_text(grid: Sequence[tuple[bool, bool]]) -> str:
    """A week's pattern as short text a projector and a screen reader both read: "Mon, Wed,
    Fri AM" (a whole day by its name, a half-day with AM or PM; days not attended left out)."""
    days = []
    for day, (am, pm) in zip(WEEKDAYS, grid, strict=True):
        if am and pm:
            days.append(day)
        elif am or pm:
            days.append(f"{day} {'AM' if am else 'PM'}")
    return ", ".join(days)


#: MIME types of the files the dashboard hands out.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Download:
    """One file a button hands out: made by ``make`` only when clicked."""

    label: str
    make: Callable[[], str | bytes]
    file_name: str
    mime: str
    icon: str = ":material/download:"


def download_row(downloads: Sequence[Download]) -> None:
    """Download buttons side by side; a click makes its file without re-running the page."""
    for column, each in zip(st.columns(len(downloads)), downloads, strict=True):
        with column:
            st.download_button(
                each.label, data=each.make, file_name=each.file_name, mime=each.mime,
                icon=each.icon, on_click="ignore",
            )  # fmt: skip


def csv_download(label: str, make: Callable[[], str], file_name: str) -> None:
    """A CSV download button; the file is made only when clicked, without re-running the page."""
    download_row([Download(label, make, file_name, "text/csv")])


def year_group_filter(container: DeltaGenerator) -> int | None:
    """The year-group filter (R23) in ``container``; None for every year group."""
    return container.selectbox(
        "Year group (R23)",
        YEAR_GROUPS,
        index=None,
        format_func=lambda year: f"Year {year}",
        placeholder="Every year group",
    )


def school_filter(container: DeltaGenerator, actor: Actor, partnership: str | None) -> int | None:
    """The school filter of the statistics pages: one school of the chosen partnership, or
    every school (None). Only the schools the user's partnership filter allows."""
    schools = dict(cached_query(school_choices, actor, partnership, scope=partnership))
    return container.selectbox(
        "School",
        list(schools),
        index=None,
        format_func=schools.__getitem__,
        placeholder="Every school",
    )


def show_chart(figure: go.Figure, alt: str) -> None:
    """A Plotly chart as styled here (not re-themed), without the mode bar's clutter.

    ``alt`` is the chart's accessible name: what it shows and where its figures are in words.
    """
    st.plotly_chart(figure, config={"displayModeBar": False}, theme=None, width="stretch", alt=alt)
