"""The charts (``dashboard.charts``, issue 15): one style, Tier 4 emphasised, values on the
bars, bars largest first (by name on request), the tier flow in tier order, Tier 4's trend on a
panel of its own, and every chart on the statistics pages shown with its figures and alt text."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from page_helpers import FAIRNESS, PROVIDERS, SCHOOLS, TIERS, TRENDS, open_page, open_part
from streamlit.testing.v1 import element_tree as tree

from dashboard.charts import (
    CHART_FONT,
    TIER_STYLES,
    VERMILLION,
    lines,
    share_bars,
    simple_bars,
    stacked_bars,
    tier_flow,
    tier_steps,
    weekday_heat_map,
)
from dashboard.tables import TIER_COLUMNS
from seips_core.auth.roles import Role

ROOT = Path(__file__).resolve().parents[2]
#: Three schools whose totals (14, 9, 20) are in neither name nor row order.
SCHOOLS_FRAME = pd.DataFrame(
    {
        "School": ["Beech", "Ash", "Cedar"],
        "Tier 1": [6, 4, 10],
        "Tier 2": [4, 3, 5],
        "Tier 3": [3, 1, 3],
        "Tier 4": [1, 1, 2],
    }
)


def bars(figure) -> list:
    return [trace for trace in figure.data if trace.type == "bar"]


def test_tier_4_is_the_strongest_mark_solid_vermillion_first_from_the_axis():
    figure = stacked_bars(SCHOOLS_FRAME, "School", TIER_COLUMNS, "Pupils at each tier")
    first, *others = bars(figure)
    assert first.name == "Tier 4"  # stacked from the axis: it lines up at zero
    assert first.marker.color == VERMILLION
    assert first.marker.pattern.shape == ""  # solid, while the others are hatched
    assert all(other.marker.pattern.shape for other in others)
    assert len({trace.marker.color for trace in bars(figure)}) == 4  # a colour each, too
    assert TIER_STYLES[4]["width"] > max(TIER_STYLES[t]["width"] for t in (1, 2, 3))


def test_stacked_bars_are_largest_first_or_by_name_and_carry_their_values_and_totals():
    figure = stacked_bars(SCHOOLS_FRAME, "School", TIER_COLUMNS, "Pupils at each tier")
    assert list(bars(figure)[0].y) == ["Cedar", "Beech", "Ash"]  # totals 20, 14, 9
    tier1 = next(trace for trace in bars(figure) if trace.name == "Tier 1")
    assert list(tier1.text) == ["10", "6", "4"]
    (totals,) = [trace for trace in figure.data if trace.type == "scatter"]
    assert [text.strip("\u00a0") for text in totals.text] == ["<b>20</b>", "<b>14</b>", "<b>9</b>"]
    by_name = stacked_bars(SCHOOLS_FRAME, "School", TIER_COLUMNS, "Pupils", order="name")
    assert list(bars(by_name)[0].y) == ["Ash", "Beech", "Cedar"]


def test_share_bars_put_the_most_over_its_share_first_each_saying_its_figures():
    frame = pd.DataFrame(
        {
            "School": ["Ash", "Beech", "Cedar"],
            "Allocations": [0, 3, 1],
            "Fair share": [1.0, 1.5, 1.5],
        }
    )
    (bar,) = share_bars(frame, "School", "Allocations", "Fair share").data
    assert list(bar.y) == ["Beech", "Cedar", "Ash"]  # +1.5, -0.5, -1.0
    assert list(bar.text) == ["3 (share 1.5)", "1 (share 1.5)", "0 (share 1.0)"]
    (by_name,) = share_bars(frame, "School", "Allocations", "Fair share", order="name").data
    assert list(by_name.y) == ["Ash", "Beech", "Cedar"]


def test_simple_bars_sort_by_size_unless_their_categories_have_an_order_of_their_own():
    frame = pd.DataFrame({"Days a week at AP": [1, 2, 3], "Pupils": [8, 21, 1]})
    (by_size,) = simple_bars(frame, "Days a week at AP", "Pupils").data
    assert list(by_size.x) == ["2", "1", "3"]
    assert list(by_size.text) == ["21", "8", "1"]
    (given,) = simple_bars(frame, "Days a week at AP", "Pupils", order="given").data
    assert list(given.x) == ["1", "2", "3"]


def test_the_heat_map_puts_the_busiest_provider_first_with_each_count_in_its_cell():
    frame = pd.DataFrame(
        {"Provider": ["Quiet", "Busy"], "Mon": [0, 2], "Tue": [1, 3], "Pupils": [1, 3]}
    )
    (heat,) = weekday_heat_map(frame).data
    assert list(heat.y) == ["Busy", "Quiet"]
    assert [list(row) for row in heat.text] == [[2, 3], [0, 1]]


def test_the_flow_lists_the_tiers_in_order_top_to_bottom_on_both_sides():
    moves = [(2, 1, 15), (1, 2, 32), (None, 3, 18), (3, 4, 10), (4, None, 1), (None, 1, 53)]
    (sankey,) = tier_flow(moves, "Moves").data
    nodes = list(zip(sankey.node.label, sankey.node.x, sankey.node.y, strict=True))
    for side in (0.001, 0.999):
        shown = sorted((y, label) for label, x, y in nodes if x == side)
        names = [label.rsplit(" (", 1)[0] for _y, label in shown]
        assert names == sorted(names, key=lambda name: (not name.startswith("Tier"), name))
    assert ("Tier 1 (32)", 0.001) in [(label, x) for label, x, _y in nodes]  # counts on it
    assert tier_flow([], "Moves") is None


def test_tier_4s_trend_is_on_a_panel_of_its_own_scale_with_its_values_written():
    frame = pd.DataFrame(
        {"Term": ["Autumn", "Spring"], "Tier 1": [120, 129], "Tier 2": [90, 101],
         "Tier 3": [40, 62], "Tier 4": [8, 9]}
    )  # fmt: skip
    figure = lines(frame, "Term", TIER_COLUMNS, "Pupils", own_panel=["Tier 4"])
    axes = {trace.name: trace.yaxis for trace in figure.data}
    assert axes == {"Tier 1": "y", "Tier 2": "y", "Tier 3": "y", "Tier 4": "y2"}
    tier4 = next(trace for trace in figure.data if trace.name == "Tier 4")
    assert tier4.line.color == VERMILLION
    assert list(tier4.text) == ["8", "9"]  # alone on its panel: every point
    tier1 = next(trace for trace in figure.data if trace.name == "Tier 1")
    assert list(tier1.text) == ["", "129"]  # beside others: its latest value


def test_every_chart_has_projector_sized_type():
    frame = pd.DataFrame({"Term": ["Autumn"], **{column: [1] for column in TIER_COLUMNS}})
    figures = [
        stacked_bars(SCHOOLS_FRAME, "School", TIER_COLUMNS, "Pupils"),
        lines(frame, "Term", TIER_COLUMNS, "Pupils", own_panel=["Tier 4"]),
        tier_flow([(1, 2, 3)], "Moves"),
        tier_steps([(2, date(2026, 1, 5), None)], date(2026, 3, 4)),
    ]
    for figure in figures:
        assert figure.layout.font.size >= 16
        assert figure.layout.xaxis.tickfont.size >= 16
        if figure.layout.title.text:
            assert figure.layout.title.font.size > CHART_FONT["size"]


def test_only_show_chart_draws_a_chart():
    """Every page shows a chart through ``show_chart``, which asks for its figures and alt text."""
    calls = [
        path.relative_to(ROOT).as_posix()
        for folder in ("dashboard", "pages")
        for path in (ROOT / folder).rglob("*.py")
        if "plotly_chart(" in path.read_text()
    ]
    assert calls == ["dashboard/charts.py"]


def _charts_and_figures(block: tree.Block, around: tree.Block | None = None):
    """(chart, whether its figures are drawn beside it) for every chart under ``block``: in the
    same container, or in the next column of the same row (``show_chart(beside=True)``)."""
    for child in block.children.values():
        if isinstance(child, tree.Block):
            yield from _charts_and_figures(child, block)
        elif getattr(child, "type", "") == "plotly_chart":
            home = around if isinstance(block, tree.Column) and around is not None else block
            yield (
                child,
                any(isinstance(node, tree.Table | tree.Dataframe | tree.Caption) for node in home),
            )


#: The pages with charts, and the parts (``dashboard.parts``) of each to open: (key, label).
CHART_PAGES = [
    (TIERS, ()),
    (FAIRNESS, ()),
    (SCHOOLS, ()),
    (TRENDS, (("trends_part", "Moves between tiers in the period"),
              ("trends_part", "Time at Tier 4"))),
    (PROVIDERS, (("providers_part", "Load on the providers"),
                 ("providers_part", "Week by week"))),
]  # fmt: skip


@pytest.mark.parametrize(("page", "parts"), CHART_PAGES)
def test_every_chart_on_the_statistics_pages_has_its_figures_beside_it_and_alt_text(
    app_as, page, parts
):
    app = open_page(app_as(Role.CHAIR), page)
    found = list(_charts_and_figures(app._tree))
    for key, label in parts:
        found += list(_charts_and_figures(open_part(app, key, label)._tree))
    assert len(found) > len(parts), "the page and each part opened draw a chart"
    for chart, with_figures in found:
        assert chart.proto.alt.strip(), "every chart is named for screen readers"
        assert with_figures, f"a chart without its figures: {chart.proto.alt}"
