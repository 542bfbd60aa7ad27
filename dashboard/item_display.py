"""One agenda item as the room reads it (issues 4 and 12), in two panels that each fit a wall.

The **main panel** is what the room decides on: who (case reference and initials), why the
item is here (``ItemView.reason``), school and year group, the decision once recorded, and
every flag with its rule id and reason. The **history panel** is the background: the tier
history as a small chart with its figures in words, earlier decisions, suspensions and
exclusions with the R25 total, and current AP placements with days a week.

Drawn from an ``ItemView`` (``seips_core.queries.agenda_item``). The projector shows one panel
at a time in ``PROJECTOR_CSS``'s large type; the co-ordinator's own screen shows both, one
under the other, with every text in full.
"""

from datetime import date
from math import ceil

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.charts import show_chart, tier_steps
from dashboard.text import md
from dashboard.widgets import flag_badge, pupil_label, show_table
from seips_core.auth.local_time import clock_time
from seips_core.config import COUNTY_LA
from seips_core.queries.agenda_item import ItemView, TierPeriod
from seips_core.rules.flag import Flag

#: The wall: near-black on white (19:1), nothing but the item (the sidebar, Streamlit's header
#: and toolbar hidden; "Leave" is on the page), and one item panel a screen without scrolling
#: (issue 12).
#:
#: The whole wall is drawn in proportion to its screen: the root size is a 120th of the width
#: or a 67.5th of the height, whichever is less (16 px at 1920x1080, 10.7 px at 1280x720), and
#: every size here and in Streamlit's own spacing is in rem. A projector throws either
#: resolution onto the same screen, so text a given share of the screen high is the same size
#: on the wall: body text is 1.7rem, 2.5 % of the screen's height, at both. The floor keeps a
#: small window readable. Long stored text is clipped to a few lines here, with an ellipsis
#: (the co-ordinator's screen shows it all); flags never are: a long list gets smaller type,
#: then two columns over two thirds of the width (``flag_density``).
PROJECTOR_CSS = """
<style>
html { font-size: clamp(10px, min(100vh / 67.5, 100vw / 120), 32px); }
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stToolbar"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 3rem 0; max-width: none; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td,
[data-testid="stMain"] th, [data-testid="stMain"] label { font-size: 1.7rem; color: #0b0c0c; }
[data-testid="stMain"] h1 { font-size: 2.8rem; padding: 0; }
[data-testid="stMain"] h2 { font-size: 2.6rem; padding: 0 0 0.5rem; }
[data-testid="stMain"] h3 { font-size: 2.1rem; padding: 0.25rem 0; }
[data-testid="stMain"] button p { font-size: 1.7rem; }
[data-testid="stMain"] button:disabled, [data-testid="stMain"] button:disabled p { color: #6f777b; }
[data-testid="stMain"] [data-testid="stIconMaterial"] { font-size: 2rem; }
.st-key-item-main { flex-direction: row; gap: 3rem; }
.st-key-item-main > * { flex: 1 1 0; min-width: 0; }
.st-key-item-asked p { -webkit-line-clamp: 3; }
.st-key-item-decision p { -webkit-line-clamp: 4; }
.st-key-item-asked p, .st-key-item-decision p, .st-key-item-history td p {
  display: -webkit-box; -webkit-box-orient: vertical; overflow: hidden;
}
.st-key-item-history td p { -webkit-line-clamp: 2; }
.st-key-item-flags-dense li { font-size: 1.45rem; line-height: 1.5; }
.st-key-item-flags-densest li { font-size: 1.25rem; line-height: 1.4; }
.st-key-item-flags-densest ul { columns: 2; column-gap: 2rem; }
.st-key-item-main > :has(> .st-key-item-flags-densest) { flex-grow: 2; }
.st-key-item-flags-densest li { break-inside: avoid; }
</style>
"""
#: The panels a wall shows, one at a time: the main panel (what the room decides on) and
#: the history, by their name in the address (``?panel=history``) and on the wall's switch.
PANELS = {"item": "The item", "history": "History"}
PANEL_PARAM = "panel"
PANEL_KEY = "_wall_panel"
#: Flag lines that fit the main panel's flag column at the wall's body size, and at its
#: smaller size; more go into two columns of the smallest (measured at 1280x720 and
#: 1920x1080 by tests/browser/test_wall_fits_in_chromium.py).
FLAG_LINES_ROOMY, FLAG_LINES_DENSE = 13, 17
#: Characters of a flag line in the flag column at the wall's body size.
FLAG_LINE_CHARS = 62
#: Rows of each history table the wall shows, newest first; the rest are counted.
WALL_HISTORY_ROWS = 3


def tier_chart(history: tuple[TierPeriod, ...], on: date) -> go.Figure:
    """Tier over time as steps, one thick line per period in its tier's colour (R6)."""
    return tier_steps([(p.tier, p.from_date, p.to_date) for p in history], on)


def tier_words(history: tuple[TierPeriod, ...]) -> str:
    """The chart's figures in words: its accessible name, and its caption."""
    periods = [
        f"Tier {p.tier}{f' ({p.psp_label})' if p.psp_label else ''} from {p.from_date:%d/%m/%Y}"
        + (f" to {p.to_date:%d/%m/%Y}" if p.to_date else " to now")
        for p in history
    ]
    return "Tier history (R6): " + ("; ".join(periods) if periods else "no tier recorded") + "."


def _table(rows: list[dict[str, object]], empty: str, shown: int | None) -> None:
    """A table of ``rows`` (newest first), the first ``shown`` of them when given, with the
    number of older rows left out said under it; ``empty`` when there are none."""
    if not rows:
        if empty:
            st.markdown(empty)
        return
    show_table(pd.DataFrame(rows[:shown]))
    if shown is not None and len(rows) > shown:
        st.caption(f"And {len(rows) - shown} earlier (all on Record decisions).")


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


def draw_reason(view: ItemView) -> None:
    """Why the item is here, and what the case asks: plain text, never Markdown (``md``)."""
    if view.reason.why:
        st.markdown(f"**Why:** {md(view.reason.why)}")
    if view.reason.asked:
        with st.container(key="item-asked"):
            st.markdown(md(view.reason.asked))


def draw_decision(view: ItemView) -> None:
    """The item's standing decision, or that there is none yet."""
    decision = view.decision
    if decision is None:
        st.info("No decision yet.", icon=":material/hourglass_empty:")
        return
    amended = " (amendment after sign-off)" if decision.is_amendment else ""
    with st.container(key="item-decision"):
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


def _flag_line(flag: Flag) -> str:
    return f"**{flag_badge(flag.rule, flag.severity)}**: {md(flag.message)}"


def flag_density(flags: tuple[Flag, ...]) -> str:
    """How the wall sets a list of flags so that every one fits beside the case: "roomy" (the
    body size), "dense" (smaller), or "densest" (smallest, in two columns), by the lines the
    list would take at the body size. No flag is ever left off the wall."""
    lines = sum(ceil(len(_flag_line(flag)) / FLAG_LINE_CHARS) for flag in flags)
    if lines <= FLAG_LINES_ROOMY:
        return "roomy"
    return "dense" if lines <= FLAG_LINES_DENSE else "densest"


def draw_flags(view: ItemView) -> None:
    """Every flag the rules raise on the case, with its rule id and reason."""
    with st.container(key=f"item-flags-{flag_density(view.flags)}"):
        st.subheader(f"Flags ({len(view.flags)})" if view.flags else "Flags")
        if view.flags:
            st.markdown("\n".join(f"- {_flag_line(flag)}" for flag in view.flags))
        else:
            st.markdown("No rule raises a flag on this case.")


def draw_item_main(view: ItemView) -> None:
    """The main panel: who, why, where, the decision, and every flag. On the wall the case and
    its flags stand side by side (``PROJECTOR_CSS``); elsewhere one under the other."""
    with st.container(key="item-main"):
        with st.container(key="item-case"):
            st.header(md(pupil_label(view.case_ref, view.label)))
            st.markdown(_about(view))
            draw_reason(view)
            draw_decision(view)
        draw_flags(view)


def draw_item_history(view: ItemView, figure: go.Figure | None, rows: int | None = None) -> None:
    """The history panel, with its tier chart ``figure`` (built once per change, not per
    redraw); each table's newest ``rows`` only when given (the wall), else all of them."""
    with st.container(key="item-history"):
        tiers, record = st.columns(2, gap="large")
    with tiers:
        st.subheader("Tier history")
        show_chart(figure, tier_words(view.tier_history), alt=tier_words(view.tier_history))
        st.subheader("AP placements now")
        _table(
            [
                {
                    "Provider": p.provider,
                    "Days a week": p.days_a_week,
                    "Hours": f"{p.hours_per_week:g}",
                    "From": f"{p.start_date:%d/%m/%Y}",
                }
                for p in view.placements
            ],
            "None.",
            rows,
        )
    with record:
        st.subheader("Previous decisions")
        _table(
            [
                {"Date": f"{d.meeting_date:%d/%m/%Y}", "Decision": d.outcome_label,
                 "Why": d.rationale}
                for d in view.previous_decisions
            ],
            "None.",
            rows,
        )  # fmt: skip
        st.subheader("Suspensions and exclusions")
        st.markdown(
            f"This school year: **{view.suspension_days_this_year} of "
            f"{view.suspension_limit}** suspension days (R25); "
            f"**{view.permanent_exclusions_this_year}** permanent exclusion(s)."
        )
        _table(
            [
                {
                    "Date": f"{e.start_date:%d/%m/%Y}",
                    "Kind": e.kind.capitalize(),
                    "School days": e.school_days or "",
                    "School": e.school,
                }
                for e in view.exclusions
            ],
            "",
            rows,
        )


def draw_item(view: ItemView, figure: go.Figure | None) -> None:
    """Both panels, one under the other, every text and row in full: the co-ordinator's own
    screen (Record decisions)."""
    draw_item_main(view)
    draw_item_history(view, figure)


def wall_panel() -> str:
    """The panel the address names (``?panel=history``); the main panel otherwise."""
    wanted = st.query_params.get(PANEL_PARAM)
    return wanted if wanted in PANELS else "item"


def panel_switch(container: DeltaGenerator) -> str:
    """The wall's switch between its panels, starting from the address and kept in it; the
    panel to show. Keyed, so that it stays one widget whatever it shows."""
    if PANEL_KEY not in st.session_state:
        st.session_state[PANEL_KEY] = wall_panel()
    chosen = container.segmented_control(
        "Panel on the wall",
        list(PANELS),
        format_func=PANELS.__getitem__,
        required=True,
        key=PANEL_KEY,
        label_visibility="collapsed",
    )
    if chosen != wall_panel():
        if chosen == "item":
            st.query_params.pop(PANEL_PARAM, None)
        else:
            st.query_params[PANEL_PARAM] = chosen
    return chosen


def draw_wall_panel(view: ItemView, figure: go.Figure | None, panel: str) -> None:
    """One panel of the item, as the wall shows it."""
    if panel == "history":
        draw_item_history(view, figure, WALL_HISTORY_ROWS)
    else:
        draw_item_main(view)


def decided_line(view: ItemView) -> str:
    """Who saved the standing decision and when, for the co-ordinator's screen."""
    decision = view.decision
    if decision is None:
        return "No decision saved yet."
    return f"Saved by {decision.decided_by} at {clock_time(decision.decided_at)}."
