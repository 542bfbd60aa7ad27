"""The co-ordinator's decision form for one agenda item: the outcome first (outside the form,
so that the fields it needs show), then one ``st.form`` with those fields and the rationale,
saved with one click through ``record_decision``.

The rules are the service's: it refuses with a ``RuleViolation`` naming the rule (R16, R15,
a missing rationale…), a ``Conflict`` when another screen saved first, or ``NotAllowed``; the
message is shown as it is. What the user typed is kept in the session (``DRAFTS_KEY``) until
the decision is saved, whatever the refusal.
"""

from collections.abc import Callable, Mapping

import streamlit as st

from seips_core.db import get_engine
from seips_core.errors import Conflict, NotAllowed, RuleViolation
from seips_core.models.choices import DECISION_OUTCOMES, SESSIONS
from seips_core.services.decisions import DecisionInput, record_decision

DRAFTS_KEY = "_decision_drafts"
#: The fields each outcome needs besides the rationale (R13, R16, R7–R9).
OUTCOME_FIELDS: dict[str, tuple[str, ...]] = {
    "allocate_fair_access": ("school_id", "school_told_date", "admissions_told_date"),
    "agree_managed_move": (
        "school_id",
        "parents_agree",
        "home_school_agrees",
        "receiving_school_agrees",
    ),
    "agree_ap_placement": (
        "provider_id",
        "sessions",
        "hours_per_week",
        "start_date",
        "planned_end_date",
    ),
}
#: What each outcome's rule asks, said above its form.
OUTCOME_NOTES = {
    "allocate_fair_access": "R13: record the days the school and Admissions were told.",
    "agree_managed_move": "R16: parents, the home school and the receiving school must all "
    "agree, or the move is refused.",
    "agree_ap_placement": "R7–R9: more than 3 days a week, or 18 hours, is substantial and "
    "needs a short-term plan.",
    "programme_manage_tier4": "R5, R6: the pupil is at Tier 4 from the meeting's date.",
    "route_ehcp_annual_review": "R15: an EHCP pupil's case goes to the annual review.",
}
LABELS = {
    "school_id": "School",
    "school_told_date": "Day the school was told (R13)",
    "admissions_told_date": "Day Admissions were told (R13)",
    "parents_agree": "Parents agree (R16)",
    "home_school_agrees": "Home school agrees (R16)",
    "receiving_school_agrees": "Receiving school agrees (R16)",
    "provider_id": "AP provider",
    "sessions": "Sessions a week",
    "hours_per_week": "Hours a week",
    "start_date": "Start date",
    "planned_end_date": "Planned end date",
}


def _draft(item_id: int) -> dict:
    return st.session_state.setdefault(DRAFTS_KEY, {}).setdefault(item_id, {})


def _field(name: str, draft: dict, key: str, schools: Mapping, providers: Mapping):
    """One input of the form, starting from what the user typed last time."""
    label, held = LABELS[name], draft.get(name)
    if name in ("school_id", "provider_id"):
        options = schools if name == "school_id" else providers
        ids = list(options)
        return st.selectbox(
            label,
            ids,
            index=ids.index(held) if held in options else None,
            format_func=options.__getitem__,
            key=key,
            placeholder="Choose…",
        )
    if name.endswith("_date"):
        return st.date_input(label, value=held, format="DD/MM/YYYY", key=key)
    if name.endswith("agree") or name.endswith("agrees"):
        return st.checkbox(label, value=bool(held), key=key)
    if name == "sessions":
        return st.multiselect(label, SESSIONS, default=held or [], key=key)
    return st.number_input(label, min_value=0.0, max_value=40.0, value=held or 0.0, key=key)


def decision_form(
    actor,
    item_id: int,
    version: int | None,
    *,
    schools: Mapping[int, str],
    providers: Mapping[int, str],
    warnings: Callable[[str], list[str]],
    saved: Callable[[str], None],
) -> None:
    """The form for item ``item_id`` whose decision the user saw at ``version`` (None: no
    decision yet). ``warnings(outcome)`` are the rules' warnings to show before saving;
    ``saved(message)`` is called after a successful save."""
    draft = _draft(item_id)
    outcomes = list(DECISION_OUTCOMES)
    outcome = st.selectbox(
        "Outcome",
        outcomes,
        index=outcomes.index(draft["outcome"]) if draft.get("outcome") in outcomes else None,
        format_func=DECISION_OUTCOMES.__getitem__,
        key=f"outcome_{item_id}",
        placeholder="Choose the panel's outcome…",
    )
    if outcome is None:
        return
    draft["outcome"] = outcome
    if outcome in OUTCOME_NOTES:
        st.caption(OUTCOME_NOTES[outcome])
    for warning in warnings(outcome):
        st.warning(warning, icon=":material/warning:")
    with st.form(f"decision_{item_id}_{outcome}"):
        values = {
            name: _field(name, draft, f"{name}_{item_id}", schools, providers)
            for name in OUTCOME_FIELDS.get(outcome, ())
        }
        values["rationale"] = st.text_area(
            "Rationale (required)", value=draft.get("rationale", ""), key=f"rationale_{item_id}"
        )
        submitted = st.form_submit_button("Save the decision", type="primary")
    if not submitted:
        return
    draft.update(values)
    if "sessions" in values:
        values["sessions"] = " ".join(values["sessions"])
    try:
        recorded = record_decision(
            get_engine(),
            actor,
            item_id,
            DecisionInput(outcome=outcome, **values),
            expected_version=version,
        )
    except (RuleViolation, Conflict, NotAllowed) as refused:
        st.error(str(refused), icon=":material/block:")
        return
    st.session_state[DRAFTS_KEY].pop(item_id, None)
    message = f"Decision saved: {DECISION_OUTCOMES[outcome]}."
    if recorded.warnings:
        message += " " + " ".join(recorded.warnings)
    saved(message)
