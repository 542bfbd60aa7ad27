"""The termly partnership report as a standalone printable page (issue 7, item 4).

The chair prints it to PDF from the browser, so it is plain HTML and CSS for A4: a cover with
the title, the term and the contents, then each section on a page of its own (landscape where a
table is wide), with large type, tables whose header repeats across pages, and the report's two
charts drawn here as inline SVG (simple bars and lines; no script, no web font, nothing fetched),
each with its alternative text. Everything shown is the report's own data
(``reports.termly.TermlyReport``): counts per school, no pupil named.
"""

from datetime import date
from decimal import Decimal
from html import escape

from ..rules.charges import money
from .termly import TIER_COLOURS, Cell, Chart, Section, Table, TermlyReport, long_date

__all__ = ["termly_html"]

#: A section whose widest table has more columns than this is printed on a landscape page.
PORTRAIT_COLUMNS = 7

#: Stroke patterns per series, so that the trend's lines differ by more than colour.
_DASHES = ("", "10 5", "3 4", "12 4 3 4")

#: The SVG charts' drawing width (their viewBox); the page scales them to the column.
_WIDTH = 760
_FONT = 16

_CSS = """
@page { size: A4 portrait; margin: 14mm 12mm 16mm; }
@page wide { size: A4 landscape; margin: 12mm 14mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 12pt; line-height: 1.4;
       color: #111; margin: 0; }
h1 { font-size: 22pt; margin: 0 0 6pt; }
h2 { font-size: 17pt; margin: 0 0 6pt; }
.cover { break-after: page; }
.cover .subtitle { font-size: 14pt; }
.cover nav ol { font-size: 13pt; }
section { break-before: page; }
section.wide { page: wide; }
.notes { margin: 0 0 10pt; padding-left: 18pt; }
.notes li { margin: 2pt 0; }
table { border-collapse: collapse; width: 100%; margin: 0 0 14pt; font-size: 11pt; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 13pt;
          padding: 4pt 0; }
th, td { border: 1px solid #666; padding: 3pt 5pt; vertical-align: top; text-align: left; }
thead th { background: #d9e2f3; }
tbody th { font-weight: normal; min-width: 11em; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td, tfoot th { font-weight: bold; border-top: 2px solid #111; }
figure { margin: 0 0 12pt; break-inside: avoid; }
figure svg { width: 100%; max-width: 190mm; height: auto; display: block; }
figcaption { font-size: 11pt; margin-top: 4pt; }
@media screen {
  body { max-width: 64rem; margin: 1.5rem auto; padding: 0 1rem; }
  section { border-top: 3px solid #08306b; margin-top: 2rem; padding-top: 1rem; }
}
"""


def _text(value: Cell) -> str:
    """A cell as the page prints it: thousands separated, money in pounds, days in words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, date):
        return long_date(value)
    return str(value)


def _cell(value: Cell) -> str:
    numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    css = ' class="num"' if numeric else ""
    return f"<td{css}>{escape(_text(value))}</td>"


def _row(cells: tuple[Cell, ...]) -> str:
    """A row whose first cell heads it (the school, the term), for screen readers' sake."""
    head = f'<th scope="row">{escape(_text(cells[0]))}</th>'
    return f"<tr>{head}{''.join(_cell(value) for value in cells[1:])}</tr>"


def _table(table: Table) -> str:
    """``table`` as HTML: caption, header (repeated on each printed page), rows, total."""
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in table.columns)
    body = "".join(_row(row) for row in table.rows)
    body = body or f'<tr><td colspan="{len(table.columns)}">None.</td></tr>'
    foot = "" if table.total is None else f"<tfoot>{_row(table.total)}</tfoot>"
    return (
        f"<table><caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>{foot}</table>"
    )


def _ticks(top: int) -> list[int]:
    """Axis ticks from 0 to at least ``top`` in steps of 1, 2 or 5 × a power of ten, at most
    six ticks (pure)."""
    top = max(top, 1)
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            if top <= step * 5:
                upper = -(-top // step) * step
                return list(range(0, upper + step, step))
        magnitude *= 10


def _short(name: str, limit: int = 30) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _legend(names: list[str], y: int, *, lines: bool) -> str:
    """A row of keys at ``y``: a swatch (or a dashed stroke) and each series' name."""
    parts = []
    x = 10
    for index, name in enumerate(names):
        colour = f"#{TIER_COLOURS[index % len(TIER_COLOURS)]}"
        if lines:
            dash = _DASHES[index % len(_DASHES)]
            parts.append(
                f'<line x1="{x}" y1="{y - 5}" x2="{x + 34}" y2="{y - 5}" stroke="{colour}" '
                f'stroke-width="4" stroke-dasharray="{dash}"/>'
            )
            x += 42
        else:
            parts.append(f'<rect x="{x}" y="{y - 14}" width="16" height="16" fill="{colour}"/>')
            x += 22
        parts.append(f'<text x="{x}" y="{y}">{escape(name)}</text>')
        x += 14 + len(name) * 9
    return "".join(parts)


def _svg(chart: Chart, height: int, body: str, key: str) -> str:
    """The figure: an SVG image named by its title and described by the alternative text."""
    title_id, desc_id = f"{key}-chart-title", f"{key}-chart-desc"
    return (
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="Arial, Helvetica, sans-serif" font-size="{_FONT}" fill="#111">'
        f'<title id="{title_id}">{escape(chart.title)}</title>'
        f'<desc id="{desc_id}">{escape(chart.alt)}</desc>{body}</svg>'
        f"<figcaption>{escape(chart.title)}. The table below gives every figure.</figcaption>"
        "</figure>"
    )


def _stacked_bars(table: Table, chart: Chart, key: str) -> str:
    """One horizontal bar per row, its series stacked left to right, the row's total after it."""
    names = [table.columns[column] for column in chart.value_columns]
    rows = [
        (str(row[chart.category_column]), [int(row[column] or 0) for column in chart.value_columns])
        for row in table.rows
    ]
    ticks = _ticks(max((sum(values) for _name, values in rows), default=0))
    left, right, top, row_height = 270, 60, 44, 30
    scale = (_WIDTH - left - right) / ticks[-1]
    axis_y = top + row_height * len(rows)
    parts = [_legend(names, 22, lines=False)]
    for tick in ticks:
        x = left + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}" stroke="#bbb"/>'
            f'<text x="{x:.1f}" y="{axis_y + 20}" text-anchor="middle">{tick:,}</text>'
        )
    for index, (name, values) in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f'<text x="{left - 8}" y="{y + 19}" text-anchor="end">{escape(_short(name))}</text>'
        )
        x = float(left)
        for series, value in enumerate(values):
            if value:
                width = value * scale
                colour = TIER_COLOURS[series % len(TIER_COLOURS)]
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{row_height - 8}" '
                    f'fill="#{colour}" stroke="#fff" stroke-width="1.5">'
                    f"<title>{escape(name)}: {escape(names[series])}, {value}</title></rect>"
                )
                x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 19}">{sum(values):,}</text>')
    parts.append(
        f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{axis_y}" stroke="#111"/>'
        f'<text x="{left + (_WIDTH - left - right) / 2:.1f}" y="{axis_y + 42}" '
        f'text-anchor="middle">{escape(chart.value_title)}</text>'
    )
    return _svg(chart, axis_y + 52, "".join(parts), key)


def _lines(table: Table, chart: Chart, key: str) -> str:
    """One line per series across the rows (terms), each with its own dashes and markers."""
    names = [table.columns[column] for column in chart.value_columns]
    labels = [str(row[chart.category_column]) for row in table.rows]
    series = [[int(row[column] or 0) for row in table.rows] for column in chart.value_columns]
    ticks = _ticks(max((max(values, default=0) for values in series), default=0))
    left, right, top, bottom, height = 64, 60, 50, 64, 400
    plot_height = height - top - bottom
    step = (_WIDTH - left - right) / max(len(labels) - 1, 1)

    def at(index: int, value: int) -> tuple[float, float]:
        return left + index * step, top + plot_height * (1 - value / ticks[-1])

    parts = [_legend(names, 22, lines=True)]
    for tick in ticks:
        _x, y = at(0, tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{_WIDTH - right}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end">{tick:,}</text>'
        )
    for index, label in enumerate(labels):
        x, _y = at(index, 0)
        season, _space, year = label.partition(" ")
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 22}" text-anchor="middle">'
            f'{escape(season)}<tspan x="{x:.1f}" dy="18">{escape(year)}</tspan></text>'
        )
    for number, values in enumerate(series):
        colour = f"#{TIER_COLOURS[number % len(TIER_COLOURS)]}"
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(i, v) for i, v in enumerate(values)))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3.5" '
            f'stroke-dasharray="{_DASHES[number % len(_DASHES)]}"/>'
        )
        for index, value in enumerate(values):
            x, y = at(index, value)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">'
                f"<title>{escape(names[number])}, {escape(labels[index])}: {value}</title></circle>"
            )
    parts.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_height}" stroke="#111"/>'
        f'<line x1="{left}" y1="{top + plot_height}" x2="{_WIDTH - right}" '
        f'y2="{top + plot_height}" stroke="#111"/>'
        f'<text x="16" y="{top + plot_height / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 16 {top + plot_height / 2:.1f})">{escape(chart.value_title)}</text>'
    )
    return _svg(chart, height, "".join(parts), key)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _section(section: Section) -> str:
    """A section: its heading, notes, then each table, its chart (if any) just before it."""
    key = _slug(section.key)
    wide = max((len(table.columns) for table in section.tables), default=0) > PORTRAIT_COLUMNS
    parts = [
        f'<section id="{key}" class="{"wide" if wide else "portrait"}" '
        f'aria-labelledby="{key}-heading">',
        f'<h2 id="{key}-heading">{escape(section.heading)}</h2>',
    ]
    if section.notes:
        parts.append(
            '<ul class="notes">'
            + "".join(f"<li>{escape(note)}</li>" for note in section.notes)
            + "</ul>"
        )
    for table in section.tables:
        chart = table.chart
        if chart is not None and table.rows:
            draw = _stacked_bars if chart.kind == "stacked_bar" else _lines
            parts.append(draw(table, chart, key))
        parts.append(_table(table))
    parts.append("</section>")
    return "".join(parts)


def termly_html(report: TermlyReport) -> str:
    """The report as one standalone HTML page for A4 (print to PDF from the browser)."""
    contents = "".join(
        f'<li><a href="#{_slug(section.key)}">{escape(section.heading)}</a></li>'
        for section in report.sections
    )
    cover = (
        '<header class="cover">'
        f"<h1>{escape(report.title)}</h1>"
        f'<p class="subtitle">{escape(report.subtitle)}</p>'
        "<p>Counts per school only: no pupil is named in this report. Rule numbers (R6, R25…) "
        "refer to the partnership rules the dashboard applies.</p>"
        f'<nav aria-label="Contents"><h2>Contents</h2><ol>{contents}</ol></nav>'
        "</header>"
    )
    sections = "".join(_section(section) for section in report.sections)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(report.title)}</title><style>{_CSS}</style></head>"
        f"<body>{cover}<main>{sections}</main></body></html>"
    )
