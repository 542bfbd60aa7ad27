"""Everyone: one school across time, what a chair opens before talking to its head teacher
(issue 15). Who the school is (membership, R3), its headline figures on the sidebar's date,
term by term its tiers (R6, counted at the responsible school, R2), referrals (R19), Fair Access
allocations, refusals and delays (R13, R22) and exclusions (R25); the cases and placements
behind them (R7, R8) for those who work the cases; its charges this financial year (R14) for
chairs. Pupils by case reference and initials only.

The school is the one chosen here, or named by the address (``?school=`` and its id), so a
link can open the profile of one school; the list offers the partnership's schools only.
"""

import pyarrow as pa
import streamlit as st

from dashboard.auth import current_actor
from dashboard.charts import show_chart
from dashboard.parts import one_part, paged_table
from dashboard.profile_view import ProfilePicture, profile_picture
from dashboard.state import current_filters
from dashboard.store import cached_query
from dashboard.text import md
from dashboard.widgets import Figure, metric_row
from seips_core.auth.roles import Capability
from seips_core.queries.schools import school_choices

#: Rows of a list of cases shown at a time.
LIST_ROWS = 10
#: The address's parameter and the picker's key.
SCHOOL_PARAMETER = "school"
PICKER_KEY = "profile_school"

actor = current_actor()
filters = current_filters()
st.title("School profile")
st.caption(md(filters.scope))
schools = dict(cached_query(school_choices, actor, filters.partnership, scope=filters.partnership))
if not schools:
    st.info("No schools are recorded for this partnership yet.")
    st.stop()
if st.session_state.get(PICKER_KEY) not in schools:
    # On arrival: the school the address names, if it is one of the list, else the first.
    asked = st.query_params.get(SCHOOL_PARAMETER, "")
    named = int(asked) if asked.isdigit() else None
    st.session_state[PICKER_KEY] = named if named in schools else next(iter(schools))
school_id = st.selectbox("School", list(schools), key=PICKER_KEY, format_func=schools.__getitem__)
st.query_params[SCHOOL_PARAMETER] = str(school_id)

picture: ProfilePicture = cached_query(
    profile_picture, actor, school_id, scope=filters.partnership, on=filters.on
)
profile = picture.profile
school = profile.header
facts = [
    f"URN {school.urn}",
    f"{school.partnership_name} partnership",
    "member" if school.is_member else "not a member: full cost recovery",
    f"{school.number_on_roll:,} on roll",
    *(each for each in (school.establishment_type, school.trust) if each),
]
st.markdown(f"**{md(school.name)}** · " + " · ".join(md(each) for each in facts))
period = f"since {profile.first_day.day} {profile.first_day:%B %Y}"
terms = profile.terms
metric_row(
    [
        Figure("Pupils at Tier 4", profile.tiers_on[3],
               "On the date, from the tier history (R6), counted at this school (R2)."),
        Figure("Pupils at any tier", sum(profile.tiers_on), "Tiers 1 to 4 on the date (R6)."),
        Figure("Open referrals", profile.open_referrals, "Received and not closed on the date."),
        Figure("AP placements running", profile.placements_running,
               f"Commissioned by this school, on the date; {profile.placements_substantial} "
               f"substantial (R7), {profile.placements_at_r8} at a provider over R8's line."),
        Figure("Fair Access allocations", sum(t.allocations for t in terms),
               f"Cases allocated to this school {period} (R13)."),
        Figure("Fair Access refusals and delays", sum(t.refusals + t.delays for t in terms),
               f"Logged against this school {period} (R22)."),
        Figure("Suspensions", sum(t.exclusions.suspensions for t in terms),
               f"Begun {period} (R25)."),
        Figure("Permanent exclusions", sum(t.exclusions.permanent for t in terms),
               f"Begun {period} (R25, R2: this school was the excluding school)."),
    ],
    per_row=4,
)  # fmt: skip


def term_by_term() -> None:
    """The last six terms: tiers as a chart, and every figure in its table."""
    if not terms:
        st.info("No term dates are stored yet: add them in reference data to see the terms.")
        return
    show_chart(
        picture.tier_chart,
        picture.terms,
        alt="Pupils at each tier on the first day of each term; the figures are in the table.",
    )
    st.caption(
        "Tiers on each term's first day from the tier history (R6), at this school (R2); the "
        "rest by the day each began: referrals (R19), allocations decided (R13), refusals "
        "and delays logged (R22), suspensions and permanent exclusions (R25)."
    )


def listing(heading: str, table: pa.Table, key: str, note: str = "") -> None:
    """One list of cases under its heading, a page at a time, or "None" for the period."""
    st.subheader(heading)
    if not len(table):
        st.markdown(f"None {period}.")
        return
    paged_table(table, f"profile_{key}", heading.lower(), search_in=("Pupil",), rows=LIST_ROWS)
    if note:
        st.caption(note)


def fair_access() -> None:
    """The Fair Access cases allocated to the school, and its refusals and delays."""
    allocated, refused = st.columns(2)
    with allocated:
        listing("Allocated to this school", picture.allocations, "allocated")
    with refused:
        listing("Refusals and delays", picture.refusals, "refused")


def placements() -> None:
    """The school's AP placements running on the date or ended in the period."""
    listing(
        "AP placements",
        picture.placements,
        "placements",
        "Running on the date or ended since the first term shown. Substantial: more than 3 days "
        "a week (R7) or 18 hours or more; over the line: the provider is at risk of being an "
        "unregistered school (R8).",
    )


def charges() -> None:
    """What the school pays this financial year so far (R14), per pupil."""
    held = profile.charges
    if held is None:
        st.markdown("No pupil of this school is at Tier 4 or permanently excluded this year.")
        return
    st.markdown(
        f"**£{held.totals.total:,.2f}** for {held.totals.pupils} pupils, "
        f"{held.totals.days:,} days in the programme (R14); the working is on Charges."
    )
    paged_table(picture.charges, "profile_charges", "pupils charged", search_in=("Pupil",),
                rows=LIST_ROWS)  # fmt: skip


# One part at a time (issue 15: within three screens); the cases behind the figures for those
# who work them, the charges for chairs.
parts = {"Term by term": term_by_term}
if profile.lists_pupils:
    parts |= {"Fair Access": fair_access, "AP placements": placements}
if actor.may(Capability.EXPORT):
    parts[f"Charges {profile.charges_year} so far"] = charges
one_part(parts, key="profile_part")
if not profile.lists_pupils:
    st.caption(
        "Co-ordinators and chairs also see the Fair Access cases and AP placements behind "
        "these figures."
    )
