"""Whole views built in one cached step: the query's rows and what is drawn from them.

``cached_query(fairness_picture, ...)`` keeps the table and its chart beside the rows they
come from, so a run that finds them cached neither rebuilds a Plotly figure nor hashes a
table to look one up.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
from sqlmodel import Session

from seips_core.auth.roles import Actor
from seips_core.queries.agenda_suggestions import Suggestion, suggest_agenda
from seips_core.queries.ap_load import days_a_week_histogram, weekday_load, weekly_counts
from seips_core.queries.fair_access_cases import CaseRow, fair_access_cases
from seips_core.queries.fairness import FairnessView, fairness
from seips_core.queries.meetings import (
    AgendaEntry,
    InvitationRow,
    agenda,
    invitations,
    meetings_of,
)
from seips_core.queries.placements import PlacementRow, placements_list
from seips_core.queries.providers import AT_OR_OVER, ONE_AWAY, ProviderRow, provider_register

from .charts import lines, share_bars, simple_bars, weekday_heat_map
from .tables import (
    agenda_table,
    attendance_table,
    cases_frame,
    fairness_frame,
    load_table,
    meetings_table,
    placements_table,
    register_table,
    routed_table,
    suggestions_table,
    weeks_table,
)
from .widgets import pupil_label


def arrow(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as the Arrow table Streamlit sends: converted once, in the cached view, rather
    than by ``st.table`` on every run (about a millisecond a table)."""
    return pa.Table.from_pandas(frame, preserve_index=False)


@dataclass(frozen=True)
class FairnessPicture:
    """The fairness view with its table and its chart of each school against its share."""

    view: FairnessView
    table: pa.Table
    chart: go.Figure


def fairness_picture(
    session: Session,
    viewer: Actor,
    partnership: str,
    *,
    start: date,
    end: date,
    year_group: int | None,
) -> FairnessPicture:
    """The chair's "is it fair?" for a partnership, period and year group (R13b, R23)."""
    view = fairness(session, viewer, partnership, start=start, end=end, year_group=year_group)
    table = fairness_frame(view)
    chart = share_bars(table, "School", "Allocations", "Fair share")
    return FairnessPicture(view, arrow(table), chart)


@dataclass(frozen=True)
class FairAccessListing:
    """The Fair Access cases with their tables (open ones; all) and the counts over the open
    ones, built once per change: a national list holds thousands of cases, too many to go
    through on every run (issue 13)."""

    rows: tuple[CaseRow, ...]
    open_rows: tuple[CaseRow, ...]
    open_table: pa.Table
    all_table: pa.Table
    #: Open cases with a clock running past its limit (R21, R13), or near the 20 days (R21).
    past: int
    near: int
    #: Open cases that cannot pass R20.
    ineligible: int
    #: Each case as the box that picks one says it, open ones and all, in the lists' order.
    open_labels: tuple[str, ...]
    all_labels: tuple[str, ...]


def _running(row: CaseRow, status: str) -> bool:
    clocks = (row.allocation_clock, row.on_roll_clock)
    return any(clock and clock.running and clock.status == status for clock in clocks)


def fair_access_listing(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    on: date,
    full_names: bool,
    year_group: int | None,
) -> FairAccessListing:
    """The co-ordinator's case list (R13, R20-R22) as on ``on``."""
    rows = fair_access_cases(
        session, viewer, partnership, on=on, full_names=full_names, year_group=year_group
    )
    open_rows = tuple(row for row in rows if row.is_open)
    county = partnership is None
    return FairAccessListing(
        rows=rows,
        open_rows=open_rows,
        open_table=arrow(cases_frame(list(open_rows), partnership=county)),
        all_table=arrow(cases_frame(list(rows), partnership=county)),
        past=sum(_running(row, "past") for row in open_rows),
        near=sum(_running(row, "near") for row in open_rows),
        ineligible=sum(not row.eligibility.ok for row in open_rows),
        open_labels=tuple(map(case_label, open_rows)),
        all_labels=tuple(map(case_label, rows)),
    )


def case_label(row: CaseRow) -> str:
    """``"SEIP-0042 (J. S.) · Accepted"``: a case and its stage, in plain text."""
    return f"{pupil_label(row.case_ref, row.label)} · {row.stage.name}"


#: Providers drawn in the weekday heat map at most.
HEAT_MAP_ROWS = 40


@dataclass(frozen=True)
class ProvidersPicture:
    """The provider register (R8, R10, R12, R27) and the day-count views, drawn once."""

    rows: tuple[ProviderRow, ...]
    #: How many providers stand at or over R8's line, and one pupil away: each row works its
    #: standing out afresh when asked (thousands of rows nationally), so the counts the page
    #: shows are taken here, once per change of the store, not on every run (issue 13).
    at_or_over: int
    one_away: int
    register: pa.Table
    load: pa.Table
    heat_map: go.Figure | None
    histogram: pa.Table
    histogram_chart: go.Figure
    weeks: pa.Table
    weeks_chart: go.Figure | None


def providers_picture(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    on: date,
    weeks_from: date,
    weeks_to: date,
) -> ProvidersPicture:
    """Every provider county-wide (R8 counts across partnerships), and the load of the
    partnership's (or the county's) pupils on them: by weekday, by days a week, by week."""
    rows = provider_register(session, viewer, on=on)
    load = weekday_load(session, viewer, partnership, on=on)
    histogram = days_a_week_histogram(session, viewer, partnership, on=on)
    weeks = weekly_counts(session, viewer, partnership, start=weeks_from, end=weeks_to)
    load_frame = load_table(load)
    histogram_frame = pd.DataFrame(
        {"Days a week at AP": list(histogram), "Pupils": list(histogram.values())}
    )
    weeks_frame = weeks_table(weeks)
    standings = Counter(row.status for row in rows)
    return ProvidersPicture(
        rows=rows,
        at_or_over=standings[AT_OR_OVER],
        one_away=standings[ONE_AWAY],
        register=arrow(register_table(rows)),
        load=arrow(load_frame),
        # A heat map of more rows than a screen holds says less than its table (and costs a
        # large figure on every run): past ``HEAT_MAP_ROWS`` providers, the table alone.
        heat_map=weekday_heat_map(load_frame) if 0 < len(load_frame) <= HEAT_MAP_ROWS else None,
        histogram=arrow(histogram_frame),
        # 1 to 5 days in their own order, not by size: the shape of the histogram is the point.
        histogram_chart=simple_bars(histogram_frame, "Days a week at AP", "Pupils", order="given"),
        weeks=arrow(weeks_frame),
        weeks_chart=lines(
            weeks_frame,
            "Week of",
            ["Pupils in AP", "Substantial"],
            "Pupils in AP, week by week",
        )
        if len(weeks_frame)
        else None,
    )


@dataclass(frozen=True)
class PlacementsListing:
    """The placements running on a day, with their table, built once per change."""

    rows: tuple[PlacementRow, ...]
    table: pa.Table


def placements_listing(
    session: Session, viewer: Actor, partnership: str | None, *, on: date, full_names: bool
) -> PlacementsListing:
    """The co-ordinator's placements list (R7-R12, R26-R28) as on ``on``."""
    rows = placements_list(session, viewer, partnership, on=on, full_names=full_names)
    return PlacementsListing(rows, arrow(placements_table(rows)))


@dataclass(frozen=True)
class MeetingTables:
    """A meeting's invitations (for the attendance ticks) and the Meetings page's tables."""

    invitations: tuple[InvitationRow, ...]
    attendance: pa.Table
    agenda: pa.Table
    meetings: pa.Table


def meeting_tables(
    session: Session, viewer: Actor, partnership: str, meeting_id: int, *, full_names: bool
) -> MeetingTables:
    """Who was invited and came (R13a), the agenda with its decisions, and every meeting of
    the partnership."""
    rows = tuple(invitations(session, viewer, partnership, meeting_id))
    return MeetingTables(
        invitations=rows,
        attendance=arrow(attendance_table(rows)),
        agenda=arrow(agenda_table(agenda(session, viewer, meeting_id, full_names=full_names))),
        meetings=arrow(meetings_table(meetings_of(session, viewer, partnership))),
    )


@dataclass(frozen=True)
class AgendaBuilderView:
    """A coming meeting's agenda and what could go on it, with the tables the builder shows:
    the cases it offers, and the EHCP pupils it routes to their annual review (R15)."""

    items: tuple[AgendaEntry, ...]
    agenda: pa.Table
    offered: tuple[Suggestion, ...]
    suggestions: pa.Table
    routed: tuple[Suggestion, ...]
    routed_table: pa.Table


def agenda_builder_view(
    session: Session, viewer: Actor, meeting_id: int, *, on: date, full_names: bool
) -> AgendaBuilderView:
    """The agenda builder's page for ``meeting_id`` (suggestions as on ``on``, its day): the
    agenda and the suggestions beside it name pupils alike, by initials unless ``full_names``."""
    items = tuple(agenda(session, viewer, meeting_id, full_names=full_names))
    suggestions = suggest_agenda(session, viewer, meeting_id, on=on, full_names=full_names)
    offered = tuple(each for each in suggestions if not each.routed_to)
    routed = tuple(each for each in suggestions if each.routed_to)
    return AgendaBuilderView(
        items=items,
        agenda=arrow(agenda_table(items)),
        offered=offered,
        suggestions=arrow(suggestions_table(offered)),
        routed=routed,
        routed_table=arrow(routed_table(routed)),
    )
