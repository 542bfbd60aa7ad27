"""Every chart of the dashboard, in one style (issue 15): how each is drawn, and the one way a
page shows one (``show_chart``), with its figures beside it and its accessible name.

The style, for a room that reads the wall from its back row and may not tell red from green:

- **Colours** are Okabe and Ito's (2008), told apart with the common colour-vision
  deficiencies, and every series has a **pattern**, dash or marker as well, so that a greyscale
  projector still separates them (WCAG 1.4.1: never colour alone).
- **Tier 4**, the tier a panel cares about most, is the strongest mark: solid vermillion, no
  hatching, first from the axis in a stacked bar, the thickest line, its trend on a panel of its
  own scale (a handful of pupils would lie flat on Tier 1's scale of a hundred).
- **Values on the marks**: each bar and segment carries its figure, a stacked bar its total,
  a flow's tiers their counts, a line its latest value (every point when alone on its panel).
- **Bars largest first** (``order="size"``), by name on request (``"name"``); a histogram keeps
  its own order (``"given"``: sorting 1, 2, 3 days a week by size would lose its shape).
- **Tiers in order**: a flow lists Tier 1 above Tier 2 on both sides.
- **Projector type**: 18 px on axes, legends and labels, titles 24 px, on white.

Building a Plotly figure validates every property and costs more than the rest of a page:
build it in a cached view (``dashboard.views``, ``dashboard.stats_views``), not on every run.
Chart labels (school and provider names among them) go through ``plot_labels``: Plotly draws
``<b>`` and ``<a href>`` in text, the stored names must not.
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from math import ceil
from typing import Literal
from zlib import crc32

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from plotly.subplots import make_subplots

from dashboard.text import md, plot_text
from dashboard.widgets import show_table
from seips_core.models.choices import TIERS

#: Okabe–Ito's colours, told apart with protanopia, deuteranopia and tritanopia (its black and
#: its yellow are left out: no series should read as text, nor vanish on white).
ORANGE, SKY_BLUE, GREEN = "#E69F00", "#56B4E9", "#009E73"
BLUE, VERMILLION, PURPLE = "#0072B2", "#D55E00", "#CC79A7"
#: Near-black of the text, the outlines and the zero line; the grey of the grid and of what
#: is outside the tiers in a flow.
INK, GRID = "#0b0c0c", "#b1b4b6"
#: Series that are not tiers, in turn: a colour, a bar pattern, a line dash, a marker each.
PALETTE = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION)
PATTERNS = ("", "/", ".", "x", "-", "+")
DASHES = ("solid", "dash", "dot", "longdash", "dashdot", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")


def _tier_styles() -> dict[int, dict[str, object]]:
    """Each tier's colour, hatching, dash, marker and line width: lighter and hatched for
    Tiers 1 to 3, solid vermillion and widest for Tier 4."""
    colours = (SKY_BLUE, GREEN, ORANGE, VERMILLION)
    patterns = ("x", ".", "/", "")
    dashes = ("dot", "dash", "longdash", "solid")
    symbols = ("circle", "diamond", "square", "triangle-up")
    return {
        tier: {"color": colours[i], "pattern": patterns[i], "dash": dashes[i],
               "symbol": symbols[i], "width": 6 if tier == 4 else 4}
        for i, tier in enumerate(TIERS)
    }  # fmt: skip


#: Tier n's style, by tier; ``series_style`` finds it for a series named "Tier n".
TIER_STYLES = _tier_styles()
CHART_FONT = {"size": 18, "color": INK, "family": "Arial, sans-serif"}
#: A figure written on a bar: bold, with a white halo that keeps it clear of the hatching.
ON_BAR_FONT = {**CHART_FONT, "weight": "bold", "shadow": "0 0 3px #ffffff, 0 0 3px #ffffff"}
TITLE_FONT = {**CHART_FONT, "size": 24}
#: Plotly's options for every chart: no mode bar (its tools are noise on a wall).
PLOTLY_CONFIG = {"displayModeBar": False}
#: How bars are ordered: largest first, by name, or as the frame gives them (ordinal bands).
Order = Literal["size", "name", "given"]


def plot_labels(values: Iterable[object]) -> list[str]:
    """A chart's category labels (school and provider names among them) as Plotly text:
    Plotly draws ``<b>``, ``<a href>`` and the like in labels and hover text, the names not."""
    return [plot_text(value) for value in values]


def series_style(name: str, index: int) -> dict[str, object]:
    """The style of series ``name``, the ``index``-th of its chart: its tier's for "Tier n",
    else the ``index``-th of the general palette."""
    for tier, style in TIER_STYLES.items():
        if name == f"Tier {tier}":
            return style
    turn = index % len(PALETTE)
    return {"color": PALETTE[turn], "pattern": PATTERNS[turn], "dash": DASHES[turn],
            "symbol": SYMBOLS[turn], "width": 3}  # fmt: skip


def ordered(frame: pd.DataFrame, category: str, size: pd.Series, order: Order) -> pd.DataFrame:
    """``frame``'s rows largest ``size`` first (ties by name), by ``category`` name, or as given."""
    if order == "given":
        return frame
    names = [str(name).casefold() for name in frame[category]]
    sizes = size.tolist()
    if order == "name":
        rows = sorted(range(len(frame)), key=names.__getitem__)
    else:
        rows = sorted(range(len(frame)), key=lambda row: (-sizes[row], names[row]))
    return frame.iloc[rows]


def _figure_text(value: float) -> str:
    """A figure as a bar shows it: "12", or "3.5" for a rate."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _hatch(shape: object) -> dict[str, object]:
    """Hatching ``shape`` (one, or one per bar) in ink over the bar's colour, light enough that
    a figure written on it still reads."""
    return {"shape": shape, "fillmode": "overlay", "fgcolor": INK, "fgopacity": 0.4,
            "solidity": 0.15, "size": 12}  # fmt: skip


def _marker(style: dict[str, object]) -> dict[str, object]:
    """A bar's fill: colour, hatching, and an ink outline (3:1 against any neighbour, WCAG
    1.4.11)."""
    return {"color": style["color"], "pattern": _hatch(style["pattern"]),
            "line": {"color": INK, "width": 1}}  # fmt: skip


def house_layout(figure: go.Figure, title: str, height: int, *, legend: bool = False) -> go.Figure:
    """The one layout: title top left in 24 px, 18 px type everywhere, white ground, grey grid,
    the legend (when there is one) in a row of its own under the title, above the plot (and
    above any panel's own title)."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "yref": "container",
               "y": 1 - 12 / height, "yanchor": "top", "font": TITLE_FONT},
        font=CHART_FONT,
        height=height,
        margin={"l": 24, "r": 32, "t": 116 if legend else 72, "b": 48},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=legend,
        legend={"orientation": "h", "x": 0, "yref": "container", "y": 1 - 52 / height,
                "yanchor": "top", "traceorder": "normal", "font": CHART_FONT},
        hoverlabel={"font": CHART_FONT},
        uniformtext={"minsize": 16, "mode": "hide"},
    )  # fmt: skip
    figure.update_xaxes(gridcolor=GRID, title=None, automargin=True, tickfont=CHART_FONT)
    figure.update_yaxes(gridcolor=GRID, title=None, automargin=True, tickfont=CHART_FONT)
    return figure


def stacked_bars(
    frame: pd.DataFrame, category: str, series: Sequence[str], title: str, order: Order = "size"
) -> go.Figure:
    """Horizontal stacked bars of ``series`` columns per ``category``, largest total first.

    The series are stacked from the axis in reverse (Tier 4 first, so that it lines up at zero
    school by school), each segment with its figure when it fits, each bar's total at its end.
    """
    totals = frame[list(series)].sum(axis=1)
    frame = ordered(frame.assign(_total=totals), category, totals, order)
    categories = plot_labels(frame[category])
    figure = go.Figure()
    for index, name in reversed(list(enumerate(series))):
        values = frame[name].tolist()
        figure.add_bar(
            name=name,
            # Plain lists: Plotly turns arrays into base64 specs each time it sends the figure.
            y=categories,
            x=values,
            orientation="h",
            marker=_marker(series_style(name, index)),
            text=[_figure_text(value) if value else "" for value in values],
            textposition="inside",
            insidetextanchor="middle",
            textfont=ON_BAR_FONT,
            hovertemplate=f"%{{y}}, {plot_text(name)}: %{{x}}<extra></extra>",
        )
    longest = float(frame["_total"].max()) if len(frame) else 0.0
    figure.add_scatter(
        y=categories,
        x=frame["_total"].tolist(),
        mode="text",
        text=[
            f"\u00a0<b>{_figure_text(total)}</b>" for total in frame["_total"]
        ],  # a space off the bar
        textposition="middle right",
        textfont=CHART_FONT,
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
    )
    house_layout(figure, title, 190 + 44 * len(frame), legend=True)
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed", ticksuffix="  ", showgrid=False)
    figure.update_xaxes(range=[0, longest * 1.1 or 1], dtick=max(1, ceil(longest / 8)))
    return figure


def share_bars(
    frame: pd.DataFrame, category: str, actual: str, share: str, order: Order = "size"
) -> go.Figure:
    """Each ``category`` row's ``actual`` minus its ``share`` as a bar from zero, the most over
    its share at the top: to the right (vermillion, hatched) more than its share, to the left
    (blue, dotted) fewer; each bar says "3 (share 1.8)", so over- and under-loading read at a
    glance, in greyscale too (R13b)."""
    difference = (frame[actual] - frame[share]).round(1)
    frame = ordered(frame.assign(_difference=difference), category, difference, order)
    over = [value > 0 for value in frame["_difference"]]
    figure = go.Figure(
        go.Bar(
            y=plot_labels(frame[category]),
            x=frame["_difference"].tolist(),
            orientation="h",
            text=[f"{a} (share {s:.1f})" for a, s in zip(frame[actual], frame[share], strict=True)],
            textposition="outside",
            textfont=CHART_FONT,
            cliponaxis=False,
            marker={
                "color": [VERMILLION if up else BLUE for up in over],
                "pattern": _hatch(["/" if up else "." for up in over]),
                "line": {"color": INK, "width": 1},
            },
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    reach = max([abs(value) for value in frame["_difference"]] + [1.0]) * 1.6
    house_layout(figure, f"{actual} minus fair share: right of the line, more than its share",
                 150 + 44 * len(frame))  # fmt: skip
    figure.update_xaxes(range=[-reach, reach], zeroline=True, zerolinecolor=INK, zerolinewidth=2)
    figure.update_yaxes(autorange="reversed", ticksuffix="  ", showgrid=False)
    return figure


def simple_bars(
    frame: pd.DataFrame, category: str, value: str, order: Order = "size", colour: str = BLUE
) -> go.Figure:
    """One bar per ``category`` value, its figure written on it; largest first unless the
    categories have an order of their own (``order="given"``)."""
    frame = ordered(frame, category, frame[value], order)
    figure = go.Figure(
        go.Bar(
            x=plot_labels(frame[category]),
            y=frame[value].tolist(),
            text=[_figure_text(each) for each in frame[value]],
            textposition="outside",
            textfont=CHART_FONT,
            cliponaxis=False,
            marker={"color": colour, "line": {"color": INK, "width": 1}},
            hovertemplate=f"%{{x}}: %{{y}} {plot_text(value.lower())}<extra></extra>",
        )
    )
    figure.update_xaxes(title=category, type="category")
    figure.update_yaxes(rangemode="tozero")
    return house_layout(figure, f"{value} by {category[0].lower()}{category[1:]}", 380)


def weekday_heat_map(frame: pd.DataFrame, order: Order = "size") -> go.Figure:
    """Providers × Mon–Fri, the busiest provider first, each cell the number of pupils there
    that day written in it (so the figure reads without the colour scale)."""
    days = [day for day in frame.columns if day not in ("Provider", "Pupils")]
    frame = ordered(frame, "Provider", frame[days].sum(axis=1), order)
    figure = go.Figure(
        go.Heatmap(
            z=frame[days].to_numpy().tolist(),
            x=days,
            y=plot_labels(frame["Provider"]),
            text=frame[days].to_numpy().tolist(),
            texttemplate="%{text}",
            textfont=CHART_FONT,
            # White to sky blue: the ink figures keep 10:1 or more on the busiest cell.
            colorscale=[[0, "#ffffff"], [1, SKY_BLUE]],
            zmin=0,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}, %{x}: %{z} pupil(s)<extra></extra>",
        )
    )
    house_layout(figure, "Pupils at each provider, by weekday", 170 + 34 * len(frame))
    figure.update_yaxes(autorange="reversed", showgrid=False)
    figure.update_xaxes(side="top", showgrid=False)  # the weekdays in sight above a long list
    figure.update_layout(margin={"t": 120})
    return figure


def _add_line(
    figure: go.Figure, frame: pd.DataFrame, x: str, name: str, index: int, *, row: int, every: bool
) -> None:
    """Series ``name`` as a line on panel ``row``, its value written at each point (``every``)
    or at its last one, so its figure reads without the grid."""
    style = series_style(name, index)
    values = frame[name].tolist()
    labels = [_figure_text(v) if every or i == len(values) - 1 else "" for i, v in
              enumerate(values)]  # fmt: skip
    figure.add_scatter(
        x=plot_labels(frame[x]), y=values, name=name, mode="lines+markers+text",
        line={"color": style["color"], "dash": style["dash"], "width": style["width"]},
        marker={"symbol": style["symbol"], "size": 12, "color": style["color"],
                "line": {"color": INK, "width": 1}},
        text=labels, textposition="top center", textfont=CHART_FONT, cliponaxis=False,
        row=row, col=1,
    )  # fmt: skip


def _listed(names: Sequence[str]) -> str:
    """ "Tier 1, Tier 2 and Tier 3"."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def lines(
    frame: pd.DataFrame, x: str, series: Sequence[str], title: str, own_panel: Sequence[str] = ()
) -> go.Figure:
    """One line per ``series`` column over ``x``, told apart by dash and marker as well as by
    colour, the legend above the plot. The series in ``own_panel`` are drawn on a second panel
    below, on a scale of their own (Tier 4's few pupils beside Tier 1's hundred), with the
    same ``x``. A panel with one line writes every point's value; with more, each line's last.
    """
    shared = [name for name in series if name not in own_panel]
    rows = 2 if own_panel else 1
    figure = make_subplots(
        rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.14,
        row_heights=[0.6, 0.4] if own_panel else None,
        subplot_titles=[_listed(shared), f"{_listed(own_panel)}, on a scale of its own"]
        if own_panel else None,
    )  # fmt: skip
    for panel, names in enumerate((shared, list(own_panel))[:rows], start=1):
        for name in names:
            _add_line(figure, frame, x, name, list(series).index(name), row=panel,
                      every=len(names) == 1)  # fmt: skip
    house_layout(figure, title, 460 + 260 * (rows - 1), legend=True)
    figure.update_yaxes(rangemode="tozero")
    figure.update_annotations(font=CHART_FONT, x=0, xanchor="left")  # the panels' titles
    return figure


def tier_name(tier: int | None, entering: bool) -> str:
    """ "Tier 2", or where a move came from or went to outside the tiers."""
    if tier is None:
        return "New to the tiers" if entering else "Left the tiers"
    return f"Tier {tier}"


def tier_flow(moves: Sequence[tuple[int | None, int | None, int]], title: str) -> go.Figure | None:
    """Moves (from tier, to tier, pupils; None for outside the tiers) as a flow (Sankey): from
    each tier on the left to each on the right, Tier 1 at the top of both sides and the pupils
    new to or gone from the tiers at the bottom; each tier labelled with its count, each band
    in the colour of the tier it comes from."""
    if not moves:
        return None
    places = [*TIERS, None]  # the tiers in order, then outside them
    left = {t: sum(n for f, _t, n in moves if f == t) for t in places}
    right = {t: sum(n for _f, to, n in moves if to == t) for t in places}
    # Only tiers with a move are nodes: Plotly drops a node without links, and its place with it.
    nodes = [(t, True) for t in places if left[t]] + [(t, False) for t in places if right[t]]
    index = {node: i for i, node in enumerate(nodes)}
    counts = {
        **{(t, True): n for t, n in left.items()},
        **{(t, False): n for t, n in right.items()},
    }

    def heights(side: bool) -> list[float]:
        """Each node's centre, top to bottom in tier order, spread by its share of the side."""
        shown = [node for node in nodes if node[1] is side]
        total, gap = sum(counts[node] for node in shown), 0.06
        span = 1 - gap * (len(shown) - 1)
        centres, top = [], 0.001
        for node in shown:
            height = span * counts[node] / total
            centres.append(min(0.999, top + height / 2))
            top += height + gap
        return centres

    def colour(tier: int | None, alpha: str = "") -> str:
        return (GRID if tier is None else str(TIER_STYLES[tier]["color"])) + alpha

    figure = go.Figure(
        go.Sankey(
            arrangement="fixed",
            node={
                "label": [f"{tier_name(t, side)} ({counts[(t, side)]})" for t, side in nodes],
                "color": [colour(t) for t, _side in nodes],
                "x": [0.001 if side else 0.999 for _t, side in nodes],
                "y": heights(True) + heights(False),
                "pad": 18, "thickness": 24, "line": {"color": INK, "width": 1},
                "hovertemplate": "%{label}<extra></extra>",
            },
            link={
                "source": [index[(f, True)] for f, _t, _n in moves],
                "target": [index[(t, False)] for _f, t, _n in moves],
                "value": [n for _f, _t, n in moves],
                "color": [colour(f, "80") for f, _t, _n in moves],
                "hovertemplate": "%{source.label} → %{target.label}: %{value}<extra></extra>",
            },
            textfont=CHART_FONT,
        )
    )  # fmt: skip
    house_layout(figure, title, 480)
    figure.update_layout(margin={"l": 16, "r": 16, "t": 72, "b": 16})
    return figure


#: The item's tier chart, drawn as large as the wall's text around it.
WALL_FONT = {**CHART_FONT, "size": 22}


def tier_steps(periods: Sequence[tuple[int, date, date | None]], on: date) -> go.Figure:
    """A pupil's tier over time (R6) as steps: one thick line per period (tier, from, to or
    None while it runs, drawn to ``on``) in its tier's colour, labelled with its tier."""
    figure = go.Figure()
    for tier, start, end in periods:
        style = TIER_STYLES[tier]
        figure.add_scatter(
            x=[start, end or on], y=[tier, tier], mode="lines+text",
            line={"color": style["color"], "width": 14 if tier == 4 else 10},
            text=[f"Tier {tier}", ""], textposition="top right", textfont=WALL_FONT,
            showlegend=False, hoverinfo="skip", cliponaxis=False,
        )  # fmt: skip
    house_layout(figure, "", 200)
    figure.update_layout(font=WALL_FONT, margin={"l": 8, "r": 16, "t": 16, "b": 16})
    figure.update_yaxes(range=[0.5, 4.9], tickvals=list(TIERS), ticktext=[f"Tier {t}" for t in
                        TIERS], ticksuffix="  ", tickfont=WALL_FONT)  # fmt: skip
    # Two dates, where the history starts and today, so that they never run into each other.
    first = min((start for _tier, start, _end in periods), default=on)
    room = max(on - first, timedelta(days=30)) / 8  # for the end dates' labels
    figure.update_xaxes(tickvals=[first, on], ticktext=[f"{first:%b %Y}", f"{on:%b %Y}"],
                        range=[first - room, on + room], tickangle=0, tickfont=WALL_FONT,
                        ticklabeloverflow="allow")  # fmt: skip
    return figure


#: The key of a chart shown with its figures beside it, before its own number.
BESIDE_KEY = "figures-beside-"
#: Below 1500 px (a laptop with the sidebar open) a chart's figures go under it, full width.
BESIDE_CSS = f"""
<style>
@media (max-width: 1500px) {{
  [class*="st-key-{BESIDE_KEY}"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  [class*="st-key-{BESIDE_KEY}"] [data-testid="stColumn"] {{ min-width: 100%; }}
}}
</style>
"""


def show_chart(
    figure: go.Figure | None,
    figures: pd.DataFrame | pa.Table | str,
    alt: str,
    *,
    beside: bool = False,
) -> None:
    """A chart and its figures, the only way a page shows one: the chart as styled here (not
    re-themed, no mode bar), named for screen readers by ``alt``, with ``figures`` (the table
    of what it draws, or the same in words) under it, or ``beside`` it in a column of its own
    (for a table of five narrow columns at most: it gets two fifths of the width; on a screen
    too narrow for that, ``BESIDE_CSS`` puts it under the chart, rather than let it scroll out
    of a keyboard's reach).

    ``figure`` None (too many rows to draw, or nothing to draw): the figures alone.
    """
    if beside:
        with st.container(key=f"{BESIDE_KEY}{crc32(alt.encode())}"):
            st.html(BESIDE_CSS)  # style alone: Streamlit gives it no room on the page
            chart_place, figures_place = st.columns([3, 2], gap="large")
    else:
        chart_place = figures_place = st.container()
    if figure is not None:
        chart_place.plotly_chart(figure, config=PLOTLY_CONFIG, theme=None, width="stretch",
                                 alt=alt)  # fmt: skip
    with figures_place:
        if isinstance(figures, str):
            st.caption(md(figures))
        else:
            show_table(figures)
