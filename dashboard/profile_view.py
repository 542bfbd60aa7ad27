"""The school profile (issue 15) as one view built in one cached step: the query's answer with
its tables and its chart (see ``dashboard.views`` for why).

Pupils appear as case reference and initials, never by name, whatever the projection mode:
the profile is opened before a conversation about a school, often on a shared screen.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
from sqlmodel import Session

from seips_core.auth.roles import Actor
from seips_core.queries.school_profile import SchoolProfile, school_profile

from .charts import lines
from .tables import TIER_COLUMNS
from .views import arrow
from .widgets import pupil_label

#: The term-by-term table's rows after the tiers: (label, how to read it from a term's figures).
_TERM_ROWS = (
    ("Referrals to the panel", lambda t: t.panel_referrals),
    ("Other referrals", lambda t: t.other_referrals),
    ("Fair Access allocations", lambda t: t.allocations),
    ("Fair Access refusals", lambda t: t.refusals),
    ("Fair Access delays", lambda t: t.delays),
    ("Suspensions", lambda t: t.exclusions.suspensions),
    ("Suspension days", lambda t: t.exclusions.suspension_days),
    ("Permanent exclusions", lambda t: t.exclusions.permanent),
)


@dataclass(frozen=True)
class ProfilePicture:
    profile: SchoolProfile
    #: One row per figure, one column per term (the tiers on each term's first day).
    terms: pa.Table
    #: The tiers term by term; None when no term dates are stored.
    tier_chart: go.Figure | None
    allocations: pa.Table
    refusals: pa.Table
    placements: pa.Table
    charges: pa.Table


def _day(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%b %Y}"


def _terms_table(profile: SchoolProfile) -> pd.DataFrame:
    """Figures down the side, terms across: six terms fit the width, the figures the height."""
    labels = [f"{t.term.season} {t.term.first_day:%Y}" for t in profile.terms]
    rows = [
        (column, [t.pupils_by_tier[index] for t in profile.terms])
        for index, column in enumerate(TIER_COLUMNS)
    ]
    rows += [(label, [read(t) for t in profile.terms]) for label, read in _TERM_ROWS]
    return pd.DataFrame([[label, *values] for label, values in rows], columns=["Figure", *labels])


def _tier_chart(profile: SchoolProfile) -> go.Figure | None:
    if not profile.terms:
        return None
    frame = pd.DataFrame(
        {"Term": [f"{t.term.season} {t.term.first_day:%Y}" for t in profile.terms]}
    )
    for index, column in enumerate(TIER_COLUMNS):
        frame[column] = [t.pupils_by_tier[index] for t in profile.terms]
    return lines(
        frame,
        "Term",
        TIER_COLUMNS,
        "Pupils at each tier on each term's first day",
        own_panel=TIER_COLUMNS[3:],
    )


def _on_roll(profile: SchoolProfile) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Pupil": [pupil_label(a.case_ref, a.initials) for a in profile.allocations],
            "Year": [a.year_group for a in profile.allocations],
            "Decided": [_day(a.clock.decided) for a in profile.allocations],
            "On roll": [
                (f"Not yet: {a.clock.days} days" + (", late" if a.clock.action else ""))
                if a.clock.running
                else f"After {a.clock.days} days"
                for a in profile.allocations
            ],
        }
    )


def _placements(profile: SchoolProfile) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Pupil": [pupil_label(p.case_ref, p.initials) for p in profile.placements],
            "Provider": [p.provider for p in profile.placements],
            "Days a week": [p.days_a_week for p in profile.placements],
            "From": [_day(p.start_date) for p in profile.placements],
            "To": [_day(p.end_date) or "Running" for p in profile.placements],
            "School days": [p.school_days for p in profile.placements],
            "Substantial": ["Yes" if p.substantial else "" for p in profile.placements],
            "Provider over the line": [
                "Yes" if p.provider_at_r8 else "" for p in profile.placements
            ],
        }
    )


def _charges(profile: SchoolProfile) -> pd.DataFrame:
    rows = profile.charges.rows if profile.charges else ()
    return pd.DataFrame(
        {
            "Pupil": [pupil_label(r.case_ref, r.label) for r in rows],
            "Why": [r.reason for r in rows],
            "Period": [r.period for r in rows],
            "Amount": [
                "Not charged (home LA)" if not r.charged else
                f"£{r.charge.total:,.2f}" + ("" if r.charge.complete else ", a rate not held")
                for r in rows
            ],
        }
    )  # fmt: skip


def profile_picture(session: Session, viewer: Actor, school_id: int, *, on: date) -> ProfilePicture:
    """School ``school_id``'s profile as on ``on``, with its tables and tier chart."""
    profile = school_profile(session, viewer, school_id, on=on)
    refusals = pd.DataFrame(
        {
            "Pupil": [pupil_label(r.case_ref, r.initials) for r in profile.refusals],
            "Logged": [_day(r.logged_date) for r in profile.refusals],
            "What": [r.kind.capitalize() for r in profile.refusals],
        }
    )
    return ProfilePicture(
        profile=profile,
        terms=arrow(_terms_table(profile)),
        tier_chart=_tier_chart(profile),
        allocations=arrow(_on_roll(profile)),
        refusals=arrow(refusals),
        placements=arrow(_placements(profile)),
        charges=arrow(_charges(profile)),
    )
