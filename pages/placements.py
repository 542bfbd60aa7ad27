"""Co-ordinators: the AP placements running on the day, and recording them (issue 6).

Each placement with its weekly pattern, days a week at the provider and in total at AP (R7),
hours, dates, review dates and the school days so far (what charges are pro-rated on), with
the flags the rules raise (R7, R9, R11, R12, R26, R27, R28, and R8 on its provider), a page of
rows at a time with a search (issue 15). Beside it, recording:
add or change a placement (the pattern picked on a grid; "Check the flags" shows what the
change would raise before it is saved, and a change that takes a provider over the R8 line is
saved only with a reason, which is kept and audited), record a review, end a placement.
"""

from functools import partial

import streamlit as st

from dashboard.auth import current_actor
from dashboard.form_problems import FormProblems
from dashboard.parts import one_part, paged_table
from dashboard.read_log import names_shown
from dashboard.state import current_filters
from dashboard.store import COUNTY_FACTS, cached_query, call
from dashboard.text import md
from dashboard.views import PlacementsListing, placements_listing
from dashboard.widgets import HOURS_HELP, Figure, metric_row, pupil_label, session_grid
from seips_core.errors import Problem, SeipsError, refuse_any
from seips_core.queries.placements import PlacementRow
from seips_core.queries.providers import provider_choices
from seips_core.queries.pupils import pupils_on_roll
from seips_core.services.placements import (
    REASON,
    PlacementInput,
    PlacementPreview,
    end_placement,
    preview_placement,
    record_review,
    save_placement,
)
from seips_core.services.pupils import take_off_roll

DONE_KEY = "_placements_done"
NEW = None

actor = current_actor()
filters = current_filters()
st.title("AP placements")
st.caption(md(filters.scope))
listing: PlacementsListing = cached_query(
    placements_listing,
    actor,
    filters.partnership,
    on=filters.on,
    full_names=filters.full_names,
    scope=filters.partnership,
)
rows = listing.rows


def _flagged(rule: str) -> int:
    return sum(any(flag.rule == rule for flag in row.flags) for row in rows)


metric_row(
    [
        Figure("Placements running", len(rows), "AP and work-experience placements on the day."),
        Figure("Substantial", sum(row.substantial for row in rows),
               "R7, R8: more than 3 days a week at one provider, or 18 hours a week or more."),
        Figure("No plan or past end", _flagged("R9"),
               "R9: substantial without an agreed written plan, or past its end date."),
        Figure("Review overdue", _flagged("R11") + _flagged("R26"),
               "R11, R26: not reviewed at least half-termly."),
    ]
)  # fmt: skip
if done := st.session_state.pop(DONE_KEY, None):
    st.success(md(done), icon=":material/check_circle:")


def saved(message: str) -> None:
    st.session_state[DONE_KEY] = message
    st.rerun()


def placement_form(row: PlacementRow | None) -> None:
    """Add (``row`` None) or change a placement: check the flags first, then save."""
    key = f"placement_{row.placement_id if row else 'new'}"
    pupils = cached_query(
        pupils_on_roll,
        actor,
        filters.partnership,
        full_names=filters.full_names,
        scope=filters.partnership,
    )
    providers = dict(cached_query(provider_choices, scope=COUNTY_FACTS))
    with st.form(key, enter_to_submit=False):
        problems = FormProblems()
        if row is None:
            names_shown(pupils)  # every option of the pupil chooser reaches the browser
            by_pupil = {pupil.pupil_id: pupil for pupil in pupils}
            pupil_id = st.selectbox(
                "Pupil", list(by_pupil), index=None, placeholder="Choose…",
                format_func=lambda key: pupil_label(by_pupil[key].case_ref, by_pupil[key].label),
                help="A pupil on a school's roll: the school on roll commissions the placement "
                "(R17, R26).",
            )  # fmt: skip
        else:
            pupil_id = row.pupil_id
            st.markdown(f"**{md(pupil_label(row.case_ref, row.label))}**, {md(row.school)}")
        problems.beside("Pupil")
        names = list(providers)
        provider_id = st.selectbox(
            "Provider", names, index=names.index(row.provider_id) if row else None,
            format_func=providers.__getitem__, placeholder="Choose…",
        )  # fmt: skip
        problems.beside("Provider")
        sessions = session_grid(f"{key}_grid", row.sessions if row else "")
        problems.beside("Sessions")
        hours = st.number_input(
            "Hours a week", min_value=0.5, max_value=40.0, step=0.5,
            value=row.hours_per_week if row else None, help=HOURS_HELP,
        )  # fmt: skip
        problems.beside("Hours a week")
        first, second = st.columns(2)
        start = first.date_input("Start date", value=row.start_date if row else None,
                                 format="DD/MM/YYYY")  # fmt: skip
        problems.beside("Start date", first)
        end = second.date_input(
            "Planned end date", value=row.planned_end_date if row else None, format="DD/MM/YYYY",
            help="R9: a planned end date, or a maximum duration, or both.",
        )  # fmt: skip
        problems.beside("Planned end date", second)
        weeks = first.number_input(
            "Maximum duration in weeks", min_value=1, max_value=52, step=1,
            value=row.max_duration_weeks if row else None,
            help="R26: instead of a planned end date, or as well.",
        )  # fmt: skip
        problems.beside("Maximum duration in weeks", first)
        agreed = second.date_input(
            "Written plan agreed", value=row.plan_agreed_date if row else None,
            format="DD/MM/YYYY", help="R9: agreed with the school and the parents or carers.",
        )  # fmt: skip
        review = first.date_input(
            "Next review date", value=row.next_review_date if row else None,
            format="DD/MM/YYYY", help="R11, R26: reviewed at least half-termly.",
        )  # fmt: skip
        problems.beside("Next review date", first)
        informed = second.date_input(
            "LA informed", value=row.la_informed_date if row else None, format="DD/MM/YYYY",
            help="R26: the day the local authority was told.",
        )  # fmt: skip
        reason = st.text_area(
            REASON,
            help="R8: needed only when this change takes the provider to or over the line of "
            "pupils in substantial provision; kept with the placement and audited.",
        )  # fmt: skip
        problems.beside(REASON)
        check, save = st.columns(2)
        checking = check.form_submit_button("Check the flags", icon=":material/rule:")
        saving = save.form_submit_button("Save the placement", type="primary",
                                         icon=":material/save:")  # fmt: skip
    if not (checking or saving):
        return
    data = PlacementInput(
        pupil_id=pupil_id, provider_id=provider_id, sessions=sessions, hours_per_week=hours,
        start_date=start, planned_end_date=end, max_duration_weeks=weeks,
        plan_agreed_date=agreed, next_review_date=review, la_informed_date=informed,
    )  # fmt: skip
    placement_id = row.placement_id if row else None
    if checking:
        try:
            preview = call(preview_placement, actor, placement_id, data, on=filters.on)
        except SeipsError as refused:
            problems.show(refused, heading="The flags could not be checked yet.")
        else:
            flag_check(preview)
        return
    try:
        result = call(
            save_placement, actor, placement_id, data,
            expected_version=row.version if row else None, r8_reason=reason.strip() or None,
        )  # fmt: skip
    except SeipsError as refused:
        problems.show(refused)
        return
    raised = " ".join(result.preview.words)
    saved(f"Placement saved and audited. {raised}".strip())


def flag_check(preview: PlacementPreview) -> None:
    """What "Check the flags" found: the flags saving would raise, or none. A check, not a
    save: it refuses nothing, and says what a save would need (R8's reason)."""
    if not preview.words:
        st.success(
            "Checked: no rule would raise a flag. Save the placement when it is ready.",
            icon=":material/check_circle:",
        )
        return
    listed = "\n".join(f"- {md(words)}" for words in preview.words)
    count = len(preview.words)
    st.warning(
        f"Checked: saving this would raise {count} flag{'s' if count > 1 else ''}.\n\n{listed}",
        icon=":material/flag:",
    )
    if preview.crosses_r8:
        st.info(f"R8: to save it, say why it is right in “{REASON}”.", icon=":material/info:")


def review_form(row: PlacementRow) -> None:
    """R11/R26: the review held and the next one."""
    with st.form(f"review_{row.placement_id}", enter_to_submit=False):
        problems = FormProblems()
        held = st.date_input("Reviewed on", value=filters.on, format="DD/MM/YYYY")
        problems.beside("Reviewed on")
        next_one = st.date_input(
            "Next review date", value=None, format="DD/MM/YYYY",
            help="R11, R26: at least half-termly, so at most 7 weeks after this review.",
        )  # fmt: skip
        problems.beside("Next review date")
        if not st.form_submit_button("Record the review", icon=":material/fact_check:"):
            return
    try:
        call(record_review, actor, row.placement_id, reviewed_on=held,
                      next_review_date=next_one, expected_version=row.version)  # fmt: skip
    except SeipsError as refused:
        problems.show(refused)
        return
    saved("Review recorded and audited.")


def end_form(row: PlacementRow) -> None:
    """The placement's last day."""
    with st.form(f"end_{row.placement_id}", enter_to_submit=False):
        problems = FormProblems()
        ended = st.date_input("Ended on", value=filters.on, format="DD/MM/YYYY",
                              help="The last day of the placement.")  # fmt: skip
        problems.beside("Ended on")
        if not st.form_submit_button("End the placement", icon=":material/event_busy:"):
            return
    try:
        call(end_placement, actor, row.placement_id, ended_on=ended,
                      expected_version=row.version)  # fmt: skip
    except SeipsError as refused:
        problems.show(refused)
        return
    saved("Placement ended; audited.")


def off_roll_form() -> None:
    """R17: a pupil leaves the roll only when enrolled elsewhere or genuinely missing, whatever
    their provision (Tier 4, AP, none): no other reason is offered, and the service refuses one."""
    pupils = cached_query(
        pupils_on_roll,
        actor,
        filters.partnership,
        full_names=filters.full_names,
        scope=filters.partnership,
    )
    by_pupil = {pupil.pupil_id: pupil for pupil in pupils}
    names_shown(pupils)  # every option of the pupil chooser reaches the browser
    reasons = {"enrolled_elsewhere": "Enrolled at another school", "missing": "Genuinely missing"}
    st.caption(
        "R17: a pupil stays on the school's roll while programme managed, placed in AP or "
        "absent and supported; taking them off roll for any other reason is unlawful."
    )
    with st.form("off_roll", enter_to_submit=False):
        problems = FormProblems()
        pupil_id = st.selectbox(
            "Pupil", list(by_pupil), index=None, placeholder="Choose…", key="off_roll_pupil",
            format_func=lambda key: pupil_label(by_pupil[key].case_ref, by_pupil[key].label),
        )  # fmt: skip
        problems.beside("Pupil")
        reason = st.selectbox(
            "Off-roll reason", list(reasons), format_func=reasons.__getitem__,
            help="R17: only these two reasons are lawful.",
        )  # fmt: skip
        problems.beside("Off-roll reason")
        left = st.date_input("Off roll from", value=filters.on, format="DD/MM/YYYY")
        problems.beside("Off roll from")
        if not st.form_submit_button("Take off roll", icon=":material/person_remove:"):
            return
    try:
        if pupil_id is None:
            refuse_any([Problem("Pupil", "choose the pupil leaving the roll")])
        result = call(take_off_roll, actor, pupil_id, reason=reason, on=left)
    except SeipsError as refused:
        problems.show(refused)
        return
    saved(" ".join(("Off roll; audited.", *result.warnings)))


def running() -> None:
    """The placements running, a page of rows at a time, found by pupil, school or provider."""
    if rows:
        paged_table(listing.table, "placements", "placements",
                    search_in=("Pupil", "School", "Provider"), names_in="Pupil")  # fmt: skip
    else:
        st.info("No placement is running on this day for these filters.")


def record() -> None:
    """Add a placement, or change, review or end a running one; take a pupil off roll.

    Each form is built only while it is open (issue 13): the folded off-roll form and the tabs
    not chosen cost a run nothing.
    """
    if filters.partnership is None:
        st.info("Choose a partnership in the sidebar to add or change its placements (R1).")
        return
    by_id = {row.placement_id: row for row in rows}
    names_shown(rows)  # every running placement is an option of the chooser
    chosen_id = st.selectbox(
        "Placement",
        [NEW, *by_id],
        format_func=lambda key: (
            "A new placement"
            if key is NEW
            else f"{pupil_label(by_id[key].case_ref, by_id[key].label)} at {by_id[key].provider}"
        ),
    )
    chosen = by_id.get(chosen_id)
    off_roll = st.expander("Take a pupil off roll", key="off_roll_open", on_change="rerun")
    if off_roll.open:
        with off_roll:
            off_roll_form()
    if chosen is None:
        placement_form(None)
    else:
        forms = {"Change": placement_form, "Record a review": review_form, "End": end_form}
        one_part(
            {label: partial(form, chosen) for label, form in forms.items()},
            key=f"placement_tab_{chosen.placement_id}",
        )


one_part({"Placements running": running, "Record": record}, key="placements_part")
