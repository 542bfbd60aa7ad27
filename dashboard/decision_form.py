"""The co-ordinator's form for the panel's decision on one agenda item (issue 4).

The outcome comes first, outside the form, so that the fields it needs appear as soon as it is
chosen; then one ``st.form`` holds those fields and the rationale, saved with one click. The
outcomes offered are the ones the rules allow for the pupil (an EHCP pupil's case only goes
to the annual review or waits, R15). What the rules would warn of is said before saving
(R13a, R4); what they refuse is refused by ``seips_core``, every problem at once, each naming
its field and rule, and shown at the top of the form and under each field
(``dashboard.form_problems``). Every widget has a key of its own per item, so what was typed
stays on screen after a refusal (a conflict included) until it is saved: nothing typed is lost.
"""

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.form_problems import FormProblems
from dashboard.store import cached_query
from dashboard.text import md
from dashboard.widgets import HOURS_HELP, session_grid, show_table
from seips_core.auth.roles import Actor, Role
from seips_core.config import COUNTY_LA
from seips_core.db import get_engine
from seips_core.errors import SeipsError
from seips_core.models.choices import DECISION_OUTCOMES
from seips_core.queries.agenda_item import ItemView
from seips_core.queries.allocation_suggestion import SchoolSuggestion, suggest_schools
from seips_core.queries.meetings import MeetingDetail
from seips_core.services.decisions import (
    EHCP_OUTCOMES,
    DecisionInput,
    RecordedDecision,
    amend_decision,
    record_decision,
)

#: What each outcome's rule asks, said under the outcome box.
OUTCOME_NOTES = {
    "allocate_fair_access": "R13: record the days the school and School Admissions were told; "
    "the pupil should be on roll within a week.",
    "programme_manage_tier4": "R2, R5, R6: the pupil is at Tier 4 from the meeting's date, "
    "programme managed by the partnership of the school on roll.",
    "agree_ap_placement": "R7–R9: more than 3 days a week (or 18 hours) is substantial and needs "
    "a written short-term plan; R8 counts the provider's substantial pupils county-wide.",
    "agree_managed_move": "R16: parents, the home school and the receiving school must all "
    "agree, or the move is refused.",
    "refer_home_la": "R4: a pupil living in another LA is referred to that LA.",
    "route_ehcp_annual_review": "R15: an EHCP pupil's case goes to the EHCP annual review.",
}
AMENDERS = (Role.CHAIR, Role.COUNTY_ADMIN)
#: The rules behind the fields, in their help.
TOLD_HELP = "R13: the school and School Admissions are told as soon as the panel decides."
AGREE_HELP = "R16: the parents, the home school and the receiving school must all agree."


def allowed_outcomes(view: ItemView) -> list[str]:
    """R15: an EHCP pupil is routed to the annual review (or deferred); anyone else may get
    any outcome but that route."""
    if view.ehcp:
        return [outcome for outcome in DECISION_OUTCOMES if outcome in EHCP_OUTCOMES]
    return [outcome for outcome in DECISION_OUTCOMES if outcome != "route_ehcp_annual_review"]


def warnings_before_saving(outcome: str, view: ItemView, detail: MeetingDetail) -> list[str]:
    """What the room should hear before this outcome is saved; none of it refuses the save."""
    if outcome == "allocate_fair_access":
        return list(detail.warnings)
    if outcome == "programme_manage_tier4" and view.home_la != COUNTY_LA:
        return [f"R4: the pupil lives in {view.home_la}: refer to the home LA as well."]
    return []


#: The schools of R23's ranking shown before the rest is unfolded.
SHORTLIST = 5


def allocation_suggestion(actor: Actor, view: ItemView, on: date) -> tuple[SchoolSuggestion, ...]:
    """R23: the member schools ranked for the item's Fair Access case, shown before choosing;
    the excluded ones with why. The panel decides; the ranking is saved with the decision."""
    if view.fair_access_case_id is None:
        st.warning("R13: the pupil has no open Fair Access case to allocate.")
        return ()
    ranked = cached_query(suggest_schools, actor, view.fair_access_case_id, on=on)
    st.markdown("**Suggested schools (R23), best first**")
    table = pd.DataFrame(
        {
            "Rank": [each.rank or "—" for each in ranked],
            "School": [each.school for each in ranked],
            "Why": ["; ".join(each.excluded or each.reasons) for each in ranked],
        }
    )
    show_table(table.head(SHORTLIST))
    if len(table) > SHORTLIST:
        # The rest only while unfolded: the form stays within three screens (issue 15).
        rest = st.expander(
            f"The other {len(table) - SHORTLIST} schools, with why",
            key=f"ranking_rest_{view.fair_access_case_id}",
            on_change="rerun",
        )
        if rest.open:
            with rest:
                show_table(table.iloc[SHORTLIST:])
    return ranked


def suggestion_text(ranked: tuple[SchoolSuggestion, ...]) -> str | None:
    """ "1. Oakfield Academy; 2. Brook School; …": what is kept with the decision."""
    names = [f"{each.rank}. {each.school}" for each in ranked if each.rank is not None]
    return "; ".join(names)[:1000] or None


def _fields(
    outcome: str,
    key: str,
    detail: MeetingDetail,
    problems: FormProblems,
    first: tuple[int, ...] = (),
) -> dict[str, object]:
    """The inputs ``outcome`` needs besides the rationale, by ``DecisionInput`` field, each with
    its place for problems; the schools in ``first`` head the school box (the suggestion's
    order). The labels are the services' names of the fields; the rules are in the help."""
    named = dict(detail.schools)
    schools = {school: named[school] for school in (*first, *named) if school in named}
    providers = dict(detail.providers)

    def choose(label: str, options: dict[int, str], name: str, rule: str | None) -> int | None:
        chosen = st.selectbox(
            label, list(options), index=None, format_func=options.__getitem__,
            key=f"{key}_{name}", placeholder="Choose…", help=rule,
        )  # fmt: skip
        problems.beside(label)
        return chosen

    def day(label: str, name: str, rule: str | None = None) -> date | None:
        chosen = st.date_input(
            label, value=None, format="DD/MM/YYYY", key=f"{key}_{name}", help=rule
        )
        problems.beside(label)
        return chosen

    def agrees(label: str, name: str) -> bool:
        ticked = st.checkbox(label, key=f"{key}_{name}", help=AGREE_HELP)
        problems.beside(label)
        return ticked

    if outcome == "allocate_fair_access":
        return {
            "school_id": choose("School allocated", schools, "school", TOLD_HELP),
            "school_told_date": day("Day the school was told", "school_told", TOLD_HELP),
            "admissions_told_date": day("Day School Admissions were told", "adm_told", TOLD_HELP),
        }
    if outcome == "agree_managed_move":
        return {
            "school_id": choose("Receiving school", schools, "school", AGREE_HELP),
            "parents_agree": agrees("Parents agree", "parents"),
            "home_school_agrees": agrees("Home school agrees", "home"),
            "receiving_school_agrees": agrees("Receiving school agrees", "receiving"),
        }
    if outcome == "agree_ap_placement":
        provider = choose("AP provider", providers, "provider", None)
        sessions = session_grid(f"{key}_sessions")
        problems.beside("Sessions")
        hours = st.number_input(
            "Hours a week", min_value=0.5, max_value=40.0, value=None, step=0.5,
            key=f"{key}_hours", help=HOURS_HELP,
        )  # fmt: skip
        problems.beside("Hours a week")
        return {
            "provider_id": provider,
            "sessions": sessions,
            "hours_per_week": hours,
            "start_date": day("Start date", "start"),
            "planned_end_date": day("Planned end date", "end", "R9: when it is planned to end."),
        }
    return {}


def decision_form(
    actor: Actor,
    view: ItemView,
    detail: MeetingDetail,
    seen_version: int | None,
    saved: Callable[[RecordedDecision, str], None],
) -> None:
    """The form for ``view``'s item, whose decision the user saw at ``seen_version`` (None:
    no decision yet). ``saved(recorded, outcome)`` runs after a successful save."""
    amending = detail.status == "closed"
    if amending and actor.role not in AMENDERS:
        st.info(
            "The minutes of this meeting are signed off, so its decisions are locked; a chair "
            "may amend one.",
            icon=":material/lock:",
        )
        return
    key = f"decision_{view.item_id}"
    outcomes = allowed_outcomes(view)
    current = view.decision.outcome if view.decision else None
    outcome = st.selectbox(
        "Outcome",
        outcomes,
        index=outcomes.index(current) if current in outcomes else None,
        format_func=DECISION_OUTCOMES.__getitem__,
        key=f"{key}_outcome",
        placeholder="Choose the panel's outcome…",
    )
    if view.ehcp:
        st.caption("R15: an EHCP pupil's case goes to the EHCP annual review, not the panel.")
    if outcome is None:
        return
    if outcome in OUTCOME_NOTES:
        st.caption(OUTCOME_NOTES[outcome])
    for warning in warnings_before_saving(outcome, view, detail):
        st.warning(md(warning), icon=":material/warning:")
    ranked: tuple[SchoolSuggestion, ...] = ()
    if outcome == "allocate_fair_access":
        ranked = allocation_suggestion(actor, view, detail.meeting_date)
    with st.form(f"{key}_{outcome}", enter_to_submit=False):
        problems = FormProblems()
        first = tuple(each.school_id for each in ranked if each.rank is not None)
        values = _fields(outcome, key, detail, problems, first)
        if ranked:
            values["suggestion"] = suggestion_text(ranked)
        rationale = st.text_area(
            "Rationale",
            value=view.decision.rationale if view.decision else "",
            key=f"{key}_rationale",
            placeholder="Why the panel decided this (required)",
        )
        problems.beside("Rationale")
        label = "Save as an amendment" if amending else "Save the decision"
        submitted = st.form_submit_button(label, type="primary", icon=":material/save:")
    if not submitted:
        return
    save = amend_decision if amending else record_decision
    try:
        recorded = save(
            get_engine(),
            actor,
            view.item_id,
            DecisionInput(outcome=outcome, rationale=rationale, **values),
            expected_version=seen_version,
        )
    except SeipsError as refused:
        problems.show(refused)
        return
    saved(recorded, outcome)
