"""The AP pages on the sample county (issue 6): the placements list and the provider register
against plain SQL and against ``seips flags`` (``county_flags``), and recording a placement end
to end, the R8 confirmation included."""

from datetime import timedelta

from conftest import TODAY, demo_actor
from direct_counts import _rows
from page_helpers import PLACEMENTS, PROVIDERS, flags_on, open_page, open_part, said_under

from dashboard.parts import ROWS_PER_PAGE
from seips_core.auth.roles import Role
from seips_core.db import get_engine
from seips_core.services.reference_data import set_setting

#: Placements running on the day, commissioned by a school of the partnership.
RUNNING = """
    SELECT COUNT(*) FROM placement p JOIN school s ON s.id = p.school_id
    JOIN partnership n ON n.id = s.partnership_id
    WHERE n.code = :code AND p.start_date <= :on AND (p.end_date IS NULL OR p.end_date >= :on)"""
#: The provider the sample takes to R8's line (4 substantial pupils on the day).
AT_THE_LINE = "Eldbury Motor Project"


def metric(app, label: str) -> int:
    (found,) = [each for each in app.metric if each.label == label]
    return int(found.value.replace(",", ""))


def table_with(app, column: str):
    (found,) = [each for each in (*app.table, *app.dataframe) if column in each.value.columns]
    return found.value


def test_the_placements_list_counts_every_placement_running_in_the_partnership(app_as, county_url):
    app = open_page(app_as(Role.COORDINATOR), PLACEMENTS)
    expected = _rows(county_url, RUNNING, code="NW", on=TODAY)[0][0]
    assert expected > 0
    assert metric(app, "Placements running") == expected
    listing = table_with(app, "Days a week: here / all AP")
    assert len(listing) == min(expected, ROWS_PER_PAGE)  # a page of them at a time
    assert any(each.value.endswith(f" of {expected}.") for each in app.caption)
    # The R7 count on the page is the placements county_flags raises R7 on (what seips flags says).
    r7 = {flag.subject for flag in flags_on(county_url, "NW") if flag.rule == "R7"}
    assert metric(app, "Substantial") >= len(r7)


def test_the_provider_register_agrees_with_seips_flags_on_r8(app_as, county_url):
    app = open_page(app_as(Role.VIEWER), PROVIDERS)
    providers = _rows(county_url, "SELECT COUNT(*) FROM provider")[0][0]
    assert metric(app, "Providers") == providers
    register = table_with(app, "Against the line")
    assert len(register) == providers
    at_risk = {flag.subject for flag in flags_on(county_url, None) if flag.rule == "R8"}
    shown = set(register[register["Against the line"].str.startswith("✖")]["Provider"])
    assert shown == at_risk == {AT_THE_LINE}
    assert metric(app, "At or over the line") == len(at_risk)
    assert not app.get("plotly_chart"), "the load's charts are built only while their tab is open"
    open_part(app, "providers_part", "Load on the providers")
    assert app.get("plotly_chart"), "the heat map and the charts are drawn"
    assert not [each for each in app.table if "R8 standing" in each.value.columns]


def test_a_county_admin_pages_through_the_placements_and_finds_one_by_its_provider(app):
    app = open_page(app, PLACEMENTS)
    running = metric(app, "Placements running")
    assert running > 2 * ROWS_PER_PAGE, "the county has pages of placements"
    first = table_with(app, "Provider")
    assert len(first) == ROWS_PER_PAGE
    assert any(each.value == f"Placements 1–{ROWS_PER_PAGE} of {running}." for each in app.caption)
    app.number_input(key="placements_page").set_value(2).run()
    second = table_with(app, "Provider")
    assert len(second) == ROWS_PER_PAGE
    assert not set(second["Pupil"]) & set(first["Pupil"]), "page 2 shows the next rows"
    assert any(each.value.startswith(f"Placements {ROWS_PER_PAGE + 1}–") for each in app.caption)
    app.text_input(key="placements_search").set_value(AT_THE_LINE.lower()).run()
    found = table_with(app, "Provider")
    assert len(found) > 0 and set(found["Provider"]) == {AT_THE_LINE}
    assert any(
        each.value == f"Placements 1–{len(found)} of {len(found)} matching “{AT_THE_LINE.lower()}”."
        for each in app.caption
    ), "back within the fewer pages"


def _fill_new_placement(app, provider: str) -> None:
    """A new, substantial placement (four whole days, 20 hours) for the first pupil offered."""
    (pupil,) = [box for box in app.selectbox if box.label == "Pupil" and box.key is None]
    pupil.select_index(0)
    (where,) = [box for box in app.selectbox if box.label == "Provider"]
    where.select(provider)
    for day in ("Mon", "Tue", "Wed", "Thu"):
        for half in ("AM", "PM"):
            (tick,) = [box for box in app.checkbox if box.label == f"{day} {half}"]
            tick.check()
    (hours,) = [box for box in app.number_input if box.label.startswith("Hours")]
    hours.set_value(20.0)
    dates = {box.label: box for box in app.date_input}
    dates["Start date"].set_value(TODAY)
    dates["Planned end date"].set_value(TODAY + timedelta(weeks=6))
    dates["Written plan agreed"].set_value(TODAY)
    dates["Next review date"].set_value(TODAY + timedelta(weeks=4))


def _click(app, label: str):
    (button,) = [each for each in app.button if each.label == label]
    return button.click().run()


def test_a_placement_taking_a_provider_over_r8_is_saved_only_with_a_reason(app_as, own_store):
    # At the statutory line of 5, the provider's 4 substantial pupils are one short of it.
    set_setting(get_engine(own_store), demo_actor(own_store, Role.COUNTY_ADMIN), "r8_threshold", 5)
    app = open_part(open_page(app_as(Role.COORDINATOR), PLACEMENTS), "placements_part", "Record")
    before = _rows(own_store, "SELECT COUNT(*) FROM placement")[0][0]
    _fill_new_placement(app, AT_THE_LINE)
    _click(app, "Check the flags")
    assert any("R8" in each.value for each in app.warning), "the preview names R8"
    assert any(each.value.startswith("R8: to save it") for each in app.info)
    assert not app.error, "a check refuses nothing"
    assert _rows(own_store, "SELECT COUNT(*) FROM placement")[0][0] == before
    _click(app, "Save the placement")
    assert any("R8" in each.value and "reason" in each.value for each in app.error)
    assert _rows(own_store, "SELECT COUNT(*) FROM placement")[0][0] == before
    (reason,) = [each for each in app.text_area if each.label == "Reason for going over the line"]
    reason.set_value("Short, planned: the only provider with a motor-vehicle course near him.")
    _click(app, "Save the placement")
    assert not app.error, [each.value for each in app.error]
    kept = _rows(own_store, "SELECT r8_confirmation FROM placement ORDER BY id DESC LIMIT 1")
    assert kept == [("Short, planned: the only provider with a motor-vehicle course near him.",)]
    audited = _rows(
        own_store,
        "SELECT COUNT(*) FROM auditentry WHERE table_name = 'placement' AND action = 'insert' "
        "AND actor = 'coordinator@demo.seips.example'",
    )[0][0]
    assert audited == 1
    assert any("Placement saved and audited" in each.value for each in app.success)


#: A pupil of NW with a placement running on the day.
IN_PLACEMENT = """
    SELECT u.case_ref FROM pupil u JOIN placement p ON p.pupil_id = u.id
    JOIN school s ON s.id = u.school_id JOIN partnership n ON n.id = s.partnership_id
    WHERE n.code = 'NW' AND p.start_date <= :on AND (p.end_date IS NULL OR p.end_date >= :on)
    ORDER BY u.case_ref LIMIT 1"""


def test_the_off_roll_form_offers_only_the_lawful_reasons_r17(app_as, own_store):
    app = open_part(open_page(app_as(Role.COORDINATOR), PLACEMENTS), "placements_part", "Record")
    ((case_ref,),) = _rows(own_store, IN_PLACEMENT, on=TODAY)
    assert not [box for box in app.selectbox if box.label == "Off-roll reason"]  # folded: not built
    app.session_state["off_roll_open"] = True  # the expander unfolded
    app.run()
    pupil = app.selectbox(key="off_roll_pupil")
    (choice,) = [option for option in pupil.options if option.startswith(case_ref)]
    pupil.select(choice)
    (why,) = [box for box in app.selectbox if box.label == "Off-roll reason"]
    assert why.options == ["Enrolled at another school", "Genuinely missing"]
    off = "SELECT off_roll_date FROM pupil WHERE case_ref = :c"
    assert _rows(own_store, off, c=case_ref) == [(None,)]
    why.select("Enrolled at another school")
    _click(app, "Take off roll")
    assert not app.error, [each.value for each in app.error]
    assert _rows(own_store, off, c=case_ref) != [(None,)]


def test_a_chosen_placement_shows_one_of_its_forms_at_a_time(app_as):
    app = open_part(open_page(app_as(Role.COORDINATOR), PLACEMENTS), "placements_part", "Record")
    (placement,) = [box for box in app.selectbox if box.label == "Placement"]
    placement.select_index(1).run()  # the first placement running (0 is a new one)
    assert "Save the placement" in {each.label for each in app.button}  # "Change" first
    (tabs,) = [key for key in app.session_state.to_dict() if str(key).startswith("placement_tab_")]
    open_part(app, tabs, "End")
    buttons = {each.label for each in app.button}
    assert "End the placement" in buttons and "Save the placement" not in buttons


# --- Forms that say everything at once (issue 15) ----------------------------------------------


def test_an_empty_placement_form_asks_for_each_field_by_its_name(app_as, own_store):
    app = open_part(open_page(app_as(Role.COORDINATOR), PLACEMENTS), "placements_part", "Record")
    _click(app, "Check the flags")
    (top,) = app.error
    assert top.value.startswith("The flags could not be checked yet: 5 things to put right.")
    for said in ("Pupil: choose a pupil", "Provider: choose a provider", "Start date: say when"):
        assert said in top.value
    assert "None" not in top.value and "Not saved" not in top.value
    assert "Choose a pupil" in said_under(app, "Pupil")
    assert "Choose a provider" in said_under(app, "Provider")
    assert "Say when the placement starts" in said_under(app, "Start date")


def test_a_refused_placement_says_every_problem_beside_its_field_and_keeps_what_was_typed(
    app_as, own_store
):
    app = open_part(open_page(app_as(Role.COORDINATOR), PLACEMENTS), "placements_part", "Record")
    before = _rows(own_store, "SELECT COUNT(*) FROM placement")[0][0]
    (where,) = [box for box in app.selectbox if box.label == "Provider"]
    where.select(AT_THE_LINE)
    (hours,) = [box for box in app.number_input if box.label == "Hours a week"]
    hours.set_value(12.5)
    (tick,) = [box for box in app.checkbox if box.label == "Mon AM"]
    tick.check()
    dates = {box.label: box for box in app.date_input}
    dates["Start date"].set_value(TODAY)
    dates["Planned end date"].set_value(TODAY - timedelta(days=1))
    _click(app, "Save the placement")
    (top,) = app.error
    assert top.value.startswith("Not saved: 2 things to put right.")
    assert "Pupil: choose a pupil" in top.value
    assert "Planned end date: " in top.value and "is before the start date (R9)" in top.value
    assert "Choose a pupil" in said_under(app, "Pupil")
    assert "before the start date (R9)" in said_under(app, "Planned end date")
    assert said_under(app, "Provider") == ""  # nothing wrong there: nothing said
    # What was entered is still there to put right.
    (where,) = [box for box in app.selectbox if box.label == "Provider"]
    (hours,) = [box for box in app.number_input if box.label == "Hours a week"]
    (tick,) = [box for box in app.checkbox if box.label == "Mon AM"]
    assert (where.options[where.index], hours.value, tick.value) == (AT_THE_LINE, 12.5, True)
    assert _rows(own_store, "SELECT COUNT(*) FROM placement")[0][0] == before


def test_checking_the_flags_is_not_a_refusal(app_as, own_store):
    app = open_part(open_page(app_as(Role.COORDINATOR), PLACEMENTS), "placements_part", "Record")
    (where,) = [box for box in app.selectbox if box.label == "Provider"]
    _fill_new_placement(app, next(each for each in where.options if each != AT_THE_LINE))
    _click(app, "Check the flags")
    said = [each.value for each in (*app.success, *app.warning, *app.error)]
    assert said and said[0].startswith("Checked: "), said
    assert not app.error and not any("Not saved" in each for each in said)
