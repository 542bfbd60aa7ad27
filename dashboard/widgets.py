"""Shared widgets: flag badges, privacy-aware pupil labels, metric rows and readable tables
(the charts are ``dashboard.charts``').

Meaning is never carried by colour alone (WCAG 1.4.1): a severity is a word and an icon.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.store import cached_query
from dashboard.text import md, md_table
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

#: The secondary year groups a filter offers (R23).
YEAR_GROUPS = (7, 8, 9, 10, 11)
#: Rows drawn as a plain table at most (see ``show_table``).
MAX_TABLE_ROWS = 200


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


def named_case_ref(shown: str) -> str | None:
    """The case reference of a ``pupil_label`` that carries a label, read back from a table's
    cell (``read_log``: whose name a shown row holds); None for a bare case reference."""
    case_ref, opening, _label = shown.partition(" (")
    return case_ref if opening and shown.endswith(")") else None


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
#: Tables read from across the room (issue 15): ``st.table`` draws its cells at 0.875rem
#: (15.75 px) and its headings in 70 % ink; here they are the body's size (18 px) and the
#: headings bold in full ink (19:1). The wall's larger type (``PROJECTOR_CSS``) sets its cells
#: directly and still wins. ``st.dataframe`` (a canvas grid, for long tables) takes no CSS:
#: its headings' colours are the theme's (``dataframeHeader*`` in ``.streamlit/config.toml``).
TABLE_CSS = """
<style>
[data-testid="stTable"] table { font-size: 1rem; }
[data-testid="stTable"] th { color: #0b0c0c; font-weight: 700; }
</style>
"""


def steady_screen() -> None:
    """On every page: nothing greys while the page reruns (``STEADY_CSS``), and tables in
    projector-sized type (``TABLE_CSS``)."""
    st.html(STEADY_CSS + TABLE_CSS)


def demo_banner() -> None:
    """The demo banner, at the top of every page of a demo store."""
    st.html(DEMO_BANNER)


#: The rule behind a column of a table, by the column's name: said once in a line under
#: every table that has the column ("Rules: R3 Member · R22 Refusals, Delays"), never in the
#: column's name (issue 15: a label names the thing; the rule id goes to help and legends).
COLUMN_RULES = {
    "Member": "R3",
    "Full-cost balance": "R3",
    "Days a week: here / all AP": "R7",
    "Substantial": "R7",
    "Against the line": "R8",
    "From – planned end": "R9",
    "Plan agreed": "R9",
    "Staff safeguarding": "R10",
    "DSL": "R10",
    "LEBC check": "R12",
    "On-roll clock": "R13",
    "Notified": "R13a",
    "Standing": "R13b",
    "APC": "R14",
    "Top-up": "R15",
    "Eligibility": "R20",
    "Allocation clock": "R21",
    "Refusals": "R22",
    "Delays": "R22",
    "Suspension days this year": "R25",
    "Next review": "R26",
    "Schools' confirmations": "R27",
}


def column_rules(columns: Iterable[str]) -> str:
    """The rules behind ``columns`` in one line, each rule with its columns in table order
    ("Rules: R21 Allocation clock · R13 On-roll clock"); empty when no column has one."""
    by_rule: dict[str, list[str]] = {}
    for column in columns:
        if column in COLUMN_RULES:
            by_rule.setdefault(COLUMN_RULES[column], []).append(column)
    if not by_rule:
        return ""
    return "Rules: " + " · ".join(f"{rule} {', '.join(names)}" for rule, names in by_rule.items())


def show_table(frame: pd.DataFrame | pa.Table) -> None:
    """A plain table that wraps long text (readable on a projector) up to ``MAX_TABLE_ROWS``
    rows; a scrolling grid beyond, which the browser draws only as it scrolls. The rules
    behind its columns are said in a line under it (``COLUMN_RULES``).

    ``st.table`` renders each cell as Markdown, so its text is escaped here (``md_table``):
    a stored name is shown as typed, never as a link or an image. The grid shows plain text.
    """
    if len(frame) <= MAX_TABLE_ROWS:
        st.table(md_table(frame), hide_index=True, border="horizontal")
    else:
        st.dataframe(frame, hide_index=True, width="stretch")
    if rules := column_rules(frame.column_names if isinstance(frame, pa.Table) else frame.columns):
        st.caption(rules)


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
        "Year group",
        YEAR_GROUPS,
        help="R23: the year group whose Fair Access, LAC and EHCP pupils each school already "
        "has, which the panel weighs when it allocates.",
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
