"""Whole views built in one cached step: the query's rows and what is drawn from them.

``cached_query(schools_view, on, partnership)`` keeps the table and its chart beside the rows
they come from, so a run that finds them cached neither rebuilds a Plotly figure nor hashes a
table to look one up.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from sqlmodel import Session

from seips_core.queries.schools import school_figures

from .tables import TIER_COLUMNS, schools_frame
from .widgets import stacked_bars


@dataclass(frozen=True)
class SchoolsView:
    """The schools table and, for one partnership, its tier chart (too long for a county)."""

    table: pd.DataFrame
    chart: go.Figure | None


def schools_view(session: Session, on: date, partnership: str | None) -> SchoolsView:
    """The chair's schools page for ``partnership`` (None = the county) as on ``on``."""
    county_wide = partnership is None
    table = schools_frame(school_figures(session, on, partnership), with_partnership=county_wide)
    if county_wide or table.empty:
        return SchoolsView(table, None)
    return SchoolsView(table, stacked_bars(table, "School", TIER_COLUMNS, "Pupils at each tier"))
