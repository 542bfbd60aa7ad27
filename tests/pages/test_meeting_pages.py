"""The meeting pages on the sample county (issue 4): the agenda builder, the projector view
(initials only, "Item 1 of N"), recording a decision end to end, refusals (R16) and conflicts
(another screen saved first), actions, the minutes and their sign-off.

Each test writes, so it runs on its own copy of the sample store; what the page should show is
read from that store in plain SQL (``direct_counts``), not through the queries the pages use.
"""

import re

import pandas as pd
import pytest
from conftest import TODAY, demo_actor, new_app, sign_in
from direct_counts import _rows, dates_of_birth, full_names
from page_helpers import (
    AGENDA,
    MEETINGS,
    PROJECTOR,
    RECORD,
    download_text,
    downloads,
    open_part,
    said_under,
    show_names,
    shown_text,
)
from streamlit.testing.v1 import AppTest

from dashboard.boundary import FAILED
from dashboard.decision_form import SHORTLIST
from dashboard.state import PARTNERSHIP_KEY, PROJECTION_KEY
from seips_core.auth.roles import Role
from seips_core.db import get_engine
from seips_core.services.decisions import DecisionInput, record_decision

__all__ = ["downloads"]  # the fixture, imported for the tests below

#: NW's panel sitting on ``TODAY`` (the sample brings one to today, R13a gap planted there).
TODAYS_MEETING = """
    SELECT m.id FROM meeting m JOIN partnership p ON p.id = m.partnership_id
    WHERE p.code = 'NW' AND m.meeting_date = :on AND m.kind = 'panel'"""
#: NW's undecided agenda items of pupils without an EHCP (any outcome is open to them), with
#: the meeting, the item's position and the number of items, latest meeting first.
UNDECIDED = """
    SELECT m.id, a.id, a.position,
           (SELECT COUNT(*) FROM agendaitem b WHERE b.meeting_id = m.id)
    FROM agendaitem a JOIN meeting m ON m.id = a.meeting_id
    JOIN partnership p ON p.id = m.partnership_id JOIN pupil u ON u.id = a.pupil_id
    WHERE p.code = 'NW' AND m.status != 'closed' AND NOT u.ehcp
      AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.agenda_item_id = a.id)
    ORDER BY m.meeting_date DESC, a.position"""


@pytest.fixture
def store(own_store) -> str:
    """The test's own copy of the sample store."""
    return own_store


def open_meeting_page(url: str, role: Role, page: str, **params: object) -> AppTest:
    """``page`` for ``role``'s demo account on partnership NW, ``params`` in the address."""
    app = sign_in(new_app(), demo_actor(url, role)).run()
    if role is Role.COUNTY_ADMIN:
        app.selectbox(key=PARTNERSHIP_KEY).set_value("NW").run()
    app.query_params.update({name: str(value) for name, value in params.items()})
    app.switch_page(page).run()
    assert not app.exception, [error.value for error in app.exception]
    assert not [e.value for e in app.error if e.value.startswith(FAILED)]  # the boundary's
    return app


def agenda_of(url: str, meeting_id: int) -> list[int]:
    """The meeting's agenda item ids in agenda order."""
    sql = "SELECT id FROM agendaitem WHERE meeting_id = :m ORDER BY position"
    return [item for (item,) in _rows(url, sql, m=meeting_id)]


def click(app: AppTest, label: str, nth: int = 0) -> AppTest:
    return [each for each in app.button if each.label == label][nth].click().run()


def undecided(url: str) -> tuple[int, int, int, int]:
    """(meeting, item, position, items) of an undecided item of NW's latest open meeting."""
    return _rows(url, UNDECIDED)[0]


def decisions_on(url: str, item_id: int) -> list[tuple[str, str]]:
    sql = "SELECT outcome, rationale FROM decision WHERE agenda_item_id = :i ORDER BY id"
    return _rows(url, sql, i=item_id)


def errors(app: AppTest) -> list[str]:
    return [error.value for error in app.error]


def test_the_agenda_builder_adds_moves_and_removes_items(store):
    (meeting_id,) = _rows(store, TODAYS_MEETING, on=TODAY)[0]
    app = open_meeting_page(store, Role.COORDINATOR, AGENDA, meeting=meeting_id)
    before = agenda_of(store, meeting_id)
    # One box picks the suggestion (the first to begin with) and one Add button adds it.
    (offered,) = [box for box in app.selectbox if box.label == "Suggestion to add"]
    first = offered.options[0]
    click(app, "Add")
    (offered,) = [box for box in app.selectbox if box.label == "Suggestion to add"]
    assert first not in offered.options
    click(app, "Add")
    after = agenda_of(store, meeting_id)
    assert len(after) == len(before) + 2 and after[: len(before)] == before
    added_first, added_last = after[-2:]
    pick_item(app, added_last)
    click(app, "Up")  # the last item moves up one place
    assert agenda_of(store, meeting_id)[-2:] == [added_last, added_first]
    pick_item(app, added_first)  # now the last item
    click(app, "Remove")
    assert agenda_of(store, meeting_id) == [*before, added_last]
    assert not errors(app)
    assert any("taken off the agenda" in each.value for each in app.success)
    # The agenda is one table, a line an item, as the store has it now.
    (table,) = [each for each in app.table if "Decision" in each.value.columns]
    assert len(table.value) == len(before) + 1


def pick_item(app: AppTest, item_id: int) -> None:
    """Pick agenda item ``item_id`` in the box the Up, Down and Remove buttons act on."""
    (box,) = [each for each in app.selectbox if each.label == "Item to move or take off"]
    box.set_value(item_id).run()


def test_the_agenda_builder_routes_ehcp_pupils_to_annual_review_and_offers_them_no_add(store):
    (meeting_id,) = _rows(store, TODAYS_MEETING, on=TODAY)[0]
    app = open_meeting_page(store, Role.COORDINATOR, AGENDA, meeting=meeting_id)
    text = shown_text(app)
    assert "Not for the panel: EHCP annual review" in text
    (routed,) = [table for table in app.table if "Why not the panel" in table.value.columns]
    assert len(routed.value) > 0
    assert all(reason.startswith("R15") for reason in routed.value["Why not the panel"])
    # No suggestion the Add button can take is an EHCP pupil's case.
    ehcp = {ref for (ref,) in _rows(store, "SELECT case_ref FROM pupil WHERE ehcp")}
    (offered,) = [box for box in app.selectbox if box.label == "Suggestion to add"]
    assert offered.options and not [o for o in offered.options if o.split(" ")[0] in ehcp]


INITIALS = re.compile(r"^\S+ \([A-Z]\. [A-Z]\.\)$")


def pupils_listed(app: AppTest) -> dict[str, list[str]]:
    """The Pupil column of the agenda (the table with decisions) and of the suggestions."""
    tables = {
        "agenda": "Decision",
        "suggestions": "Why now",
    }
    return {
        name: list(table.value["Pupil"])
        for name, column in tables.items()
        for table in app.table
        if column in table.value.columns
    }


def test_the_agenda_and_its_suggestions_name_pupils_alike_initials_unless_names_are_on(store):
    (meeting_id,) = _rows(store, TODAYS_MEETING, on=TODAY)[0]
    app = open_meeting_page(store, Role.COORDINATOR, AGENDA, meeting=meeting_id)
    listed = pupils_listed(app)
    assert listed["agenda"] and listed["suggestions"]
    assert all(INITIALS.match(pupil) for pupils in listed.values() for pupil in pupils), listed
    names = set(full_names(store))
    listed = pupils_listed(show_names(app))
    for pupils in listed.values():
        assert all(pupil.split(" (", 1)[1].removesuffix(")") in names for pupil in pupils)


def test_the_agenda_builders_boxes_are_drawn_afresh_when_names_are_hidden(store):
    """A keyed box that stays the same widget goes on showing, in the browser, the line it
    was first drawn with: a name after "Hide names". The boxes naming pupils change widget
    with the toggle, and show initials again."""
    (meeting_id,) = _rows(store, TODAYS_MEETING, on=TODAY)[0]
    app = show_names(open_meeting_page(store, Role.COORDINATOR, AGENDA, meeting=meeting_id))
    boxes = ("Item to move or take off", "Suggestion to add")
    named = {box.label: box.proto.id for box in app.selectbox if box.label in boxes}
    app.toggle(key=PROJECTION_KEY).set_value(True).run()
    hidden = {box.label: box for box in app.selectbox if box.label in boxes}
    assert set(named) == set(hidden) == set(boxes)
    for label, box in hidden.items():
        assert box.proto.id != named[label]
        shown = box.options[box.index]
        assert INITIALS.match(shown.split(" · ")[0].removeprefix("1. ")), shown


def test_the_projector_view_shows_item_one_of_n_and_no_name_or_date_of_birth(store):
    meeting_id, _item, _position, count = undecided(store)
    # A co-ordinator with projection mode off: the wall still gets initials only.
    app = show_names(
        open_meeting_page(store, Role.COORDINATOR, PROJECTOR, meeting=meeting_id, item=1)
    )
    assert app.session_state[PROJECTION_KEY] is False
    text = shown_text(app)
    assert f"Item 1 of {count}" in text
    # One panel a screen (issue 12): why the child is here and the flags; the history apart.
    assert "Why:" in text and "Flags" in text and "Tier history (R6)" not in text
    history = open_meeting_page(
        store, Role.COORDINATOR, PROJECTOR, meeting=meeting_id, item=1, panel="history"
    )
    assert "Tier history (R6)" in shown_text(history) and "Flags" not in shown_text(history)
    text += shown_text(history)
    leaks = [secret for secret in [*full_names(store), *dates_of_birth(store)] if secret in text]
    assert not leaks


def test_a_screen_on_the_projector_view_looks_ahead_without_moving_the_room(store):
    meeting_id, _item, _position, count = undecided(store)
    app = open_meeting_page(store, Role.VIEWER, PROJECTOR, meeting=meeting_id, item=1)
    click(app, "Next item")
    assert f"Item 2 of {count}" in shown_text(app)
    assert "no longer follows the wall: the room is on item 1" in shown_text(app)
    click(app, "Back to the room's item")
    assert f"Item 1 of {count}" in shown_text(app)
    assert "no longer follows the wall" not in shown_text(app)


def test_the_walls_follow_the_item_a_co_ordinator_shows_and_a_viewer_cannot_move_them(store):
    meeting_id, _item, position, count = undecided(store)
    wall = open_meeting_page(store, Role.VIEWER, PROJECTOR, meeting=meeting_id)
    assert not [b for b in wall.button if "on the wall" in b.label]
    laptop = open_meeting_page(store, Role.COORDINATOR, RECORD, meeting=meeting_id, item=position)
    click(laptop, "Show on the wall")
    assert "On the wall now: this item" in shown_text(laptop)
    wall.run()
    assert f"Item {position} of {count}" in shown_text(wall)
    # "Present as I go": the next item opened goes up without another click.
    laptop.toggle(key="present_as_i_go").set_value(True).run()
    click(laptop, "Next item")
    wall.run()
    assert f"Item {position + 1} of {count}" in shown_text(wall)
    click(laptop, "Show its history on the wall")
    assert "On the wall now: this item (its history)" in shown_text(laptop)


def record(app: AppTest, outcome: str, rationale: str, *, school: str | None = None,
           **ticks: bool) -> AppTest:  # fmt: skip
    """Choose the outcome, then fill its form (the first school in the box labelled
    ``school``, the boxes labelled in ``ticks``, the rationale) and save with one click."""
    app.selectbox(key=_key(app, "outcome")).set_value(outcome).run()
    if school is not None:
        (schools,) = [each for each in app.selectbox if each.label == school]
        schools.select_index(0)
    for label, value in ticks.items():
        (tick,) = [each for each in app.checkbox if each.label == label]
        tick.set_value(value)
    (text,) = [each for each in app.text_area if each.label.startswith("Rationale")]
    text.set_value(rationale)
    return click(app, "Save the decision")


def _key(app: AppTest, name: str) -> str:
    (key,) = [b.key for b in app.selectbox if b.key and b.key.endswith(f"_{name}")]
    return key


def test_recording_a_decision_saves_it_audited_and_shows_it(store):
    meeting_id, item_id, position, _count = undecided(store)
    app = open_meeting_page(store, Role.COORDINATOR, RECORD, meeting=meeting_id, item=position)
    audited = _rows(store, "SELECT COUNT(*) FROM auditentry WHERE table_name = 'decision'")[0][0]
    record(app, "defer", "Waiting for the school's report.")
    assert not errors(app)
    assert decisions_on(store, item_id) == [("defer", "Waiting for the school's report.")]
    after = _rows(store, "SELECT COUNT(*) FROM auditentry WHERE table_name = 'decision'")[0][0]
    assert after == audited + 1
    assert any("Decision saved and audited: Defer." in each.value for each in app.success)
    assert any("Decision: Defer." in each.value for each in app.success)


def test_a_managed_move_without_all_three_agreements_is_refused_naming_r16(store):
    meeting_id, item_id, position, _count = undecided(store)
    app = open_meeting_page(store, Role.COORDINATOR, RECORD, meeting=meeting_id, item=position)
    rationale = "Fresh start agreed in principle."
    record(app, "agree_managed_move", rationale, school="Receiving school",
           **{"Parents agree": True})  # fmt: skip
    assert [error for error in errors(app) if "R16" in error]
    # Said under the first box not ticked, with the rule at the end.
    assert said_under(app, "Home school agrees").endswith("(R16)]")
    assert decisions_on(store, item_id) == []
    (text,) = [each for each in app.text_area if each.label.startswith("Rationale")]
    assert text.value == rationale  # nothing the user typed is lost


def test_a_decision_form_says_every_problem_at_once_beside_its_field(store):
    """Issue 15: an AP placement agreed with only its hours given, for a Fair Access pupil on
    no school's roll, is refused once: each missing field named at the top and under the
    field, R17 at the top; the hours typed stay."""
    meeting_id, item_id, position, _count = undecided(store)
    app = open_meeting_page(store, Role.COORDINATOR, RECORD, meeting=meeting_id, item=position)
    app.selectbox(key=_key(app, "outcome")).set_value("agree_ap_placement").run()
    (hours,) = [each for each in app.number_input if each.label == "Hours a week"]
    hours.set_value(12.0)
    click(app, "Save the decision")
    (top,) = errors(app)
    assert top.startswith("Not saved: 5 things to put right.")
    assert top.endswith("allocate a school first (R17)")
    for said in ("Rationale: say why", "AP provider: choose a provider", "Sessions: tick the "
                 "half-days attended on the grid (R7)", "Start date: say when"):  # fmt: skip
        assert said in top
    assert "Say why the panel decided this" in said_under(app, "Rationale")
    assert "Choose a provider" in said_under(app, "AP provider")
    assert "Say when the placement starts" in said_under(app, "Start date")
    assert said_under(app, "Hours a week") == ""
    (hours,) = [each for each in app.number_input if each.label == "Hours a week"]
    assert hours.value == 12.0
    assert decisions_on(store, item_id) == []


def test_the_second_of_two_screens_saving_the_same_item_is_told_who_saved_first(store):
    meeting_id, item_id, position, _count = undecided(store)
    app = open_meeting_page(store, Role.COORDINATOR, RECORD, meeting=meeting_id, item=position)
    record_decision(
        get_engine(store),
        demo_actor(store, Role.CHAIR),
        item_id,
        DecisionInput(outcome="decline", rationale="Declined by the chair."),
        expected_version=None,
    )
    record(app, "defer", "Deferred on my screen.")
    (refusal,) = [error for error in errors(app) if "Changed by" in error]
    assert "reload" in refusal
    assert decisions_on(store, item_id) == [("decline", "Declined by the chair.")]
    # The screen says the item moved on, and after reloading the item the save goes through.
    assert any("changed on another screen" in each.value for each in app.warning)
    click(app, "Reload this item")
    click(app, "Save the decision")
    assert not errors(app)
    assert decisions_on(store, item_id) == [("defer", "Deferred on my screen.")]


def test_an_action_set_on_an_item_is_saved_and_listed(store):
    meeting_id, item_id, position, _count = undecided(store)
    app = open_meeting_page(store, Role.COORDINATOR, RECORD, meeting=meeting_id, item=position)
    (what,) = [each for each in app.text_input if each.label == "Action"]
    what.set_value("Send the school the placement plan")
    (owner,) = [each for each in app.text_input if each.label.startswith("Owner")]
    owner.set_value("Head of Year 9")
    click(app, "Add the action")
    assert not errors(app)
    sql = "SELECT description, owner FROM action WHERE agenda_item_id = :i"
    assert _rows(store, sql, i=item_id) == [
        ("Send the school the placement plan", "Head of Year 9")
    ]
    (listed,) = [box for box in app.checkbox if "Send the school the placement plan" in box.label]
    assert "Head of Year 9" in listed.label and listed.value is False


def test_the_minutes_download_as_word_with_each_decision_and_names_as_chosen(store, downloads):
    (meeting_id,) = _rows(store, TODAYS_MEETING, on=TODAY)[0]
    app = show_names(open_meeting_page(store, Role.COORDINATOR, MEETINGS, meeting=meeting_id))
    open_part(app, "meetings_part", "Minutes")
    text = download_text(downloads["Download the minutes (Word)"])
    decided = _rows(
        store,
        "SELECT d.rationale FROM decision d JOIN agendaitem a ON a.id = d.agenda_item_id "
        "WHERE a.meeting_id = :m",
        m=meeting_id,
    )
    assert decided, "the sample's meeting today has decisions recorded as it goes"
    assert all(rationale in text for (rationale,) in decided)
    assert "<html" in downloads["Download the minutes (printable page, print to PDF)"].lower()
    # Projection mode off, on the co-ordinator's own screen: the pupils are named ...
    on_agenda = _rows(
        store,
        "SELECT u.first_name || ' ' || u.last_name FROM agendaitem a "
        "JOIN pupil u ON u.id = a.pupil_id WHERE a.meeting_id = :m",
        m=meeting_id,
    )
    assert all(name in text for (name,) in on_agenda)
    # ... and with projection mode on, by case reference and initials only.
    app.toggle(key=PROJECTION_KEY).set_value(True).run()
    text = download_text(downloads["Download the minutes (Word)"])
    assert not [name for name in full_names(store) if name in text]
    assert all(rationale in text for (rationale,) in decided)


def test_a_chair_signs_the_minutes_off_and_the_decisions_lock(store):
    (meeting_id,) = _rows(store, TODAYS_MEETING, on=TODAY)[0]
    app = open_meeting_page(store, Role.CHAIR, MEETINGS, meeting=meeting_id)
    open_part(app, "meetings_part", "Minutes")
    (sure,) = [each for each in app.checkbox if each.label.startswith("I have read the minutes")]
    sure.check().run()
    click(app, "Sign off the minutes")
    assert not errors(app)
    sql = "SELECT status, signed_off_by FROM meeting WHERE id = :m"
    assert _rows(store, sql, m=meeting_id) == [("closed", "Demo Chair")]
    coordinator = open_meeting_page(store, Role.COORDINATOR, RECORD, meeting=meeting_id)
    assert any("signed off" in each.value for each in coordinator.info)
    assert not [each for each in coordinator.button if each.label == "Save the decision"]


def test_a_co_ordinator_does_not_get_the_sign_off(store):
    (meeting_id,) = _rows(store, TODAYS_MEETING, on=TODAY)[0]
    app = open_meeting_page(store, Role.COORDINATOR, MEETINGS, meeting=meeting_id)
    open_part(app, "meetings_part", "Minutes")
    assert not [each for each in app.button if each.label == "Sign off the minutes"]


#: NW's undecided Fair Access items with an open case, of today's meeting.
UNDECIDED_FAIR_ACCESS = """
    SELECT a.id, a.position FROM agendaitem a JOIN fairaccesscase c ON c.id = a.fair_access_case_id
    JOIN pupil u ON u.id = a.pupil_id
    WHERE a.meeting_id = :m AND a.purpose = 'fair_access' AND c.on_roll_date IS NULL
      AND NOT u.ehcp AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.agenda_item_id = a.id)
    ORDER BY a.position"""


def test_an_allocation_shows_the_ranked_schools_and_keeps_the_ranking_with_the_decision(store):
    (meeting_id,) = _rows(store, TODAYS_MEETING, on=TODAY)[0]
    item_id, position = _rows(store, UNDECIDED_FAIR_ACCESS, m=meeting_id)[0]
    app = open_meeting_page(store, Role.COORDINATOR, RECORD, meeting=meeting_id, item=position)
    app.selectbox(key=_key(app, "outcome")).set_value("allocate_fair_access").run()
    (shortlist,) = [table for table in app.table if "Why" in table.value.columns]
    assert len(shortlist.value) == SHORTLIST  # the best first; the rest folded, not built
    (case_id,) = _rows(
        store, "SELECT fair_access_case_id FROM agendaitem WHERE id = :i", i=item_id
    )[0]
    app.session_state[f"ranking_rest_{case_id}"] = True  # unfolded
    app.run()
    ranking = pd.concat([table.value for table in app.table if "Why" in table.value.columns])
    ranked = ranking[ranking["Rank"] != "—"]
    assert list(ranked["Rank"]) == list(range(1, len(ranked) + 1))
    # The school box offers the suggested schools first, in the ranking's order.
    (schools,) = [each for each in app.selectbox if each.label == "School allocated"]
    assert schools.options[: len(ranked)] == list(ranked["School"])
    record(app, "allocate_fair_access", "First in the ranking.", school="School allocated")
    assert not errors(app)
    sql = "SELECT s.name, d.suggestion FROM decision d JOIN school s ON s.id = d.school_id "
    ((chosen, kept),) = _rows(store, sql + "WHERE d.agenda_item_id = :i", i=item_id)
    assert chosen == ranked["School"].iloc[0]
    assert kept.startswith(f"1. {chosen}") and kept.count(";") == len(ranked) - 1


def test_the_meetings_page_puts_an_agenda_item_on_the_wall(store):
    meeting_id, item_id, position, count = undecided(store)
    app = open_meeting_page(store, Role.COORDINATOR, MEETINGS, meeting=meeting_id)
    assert "Nobody has put an item on the wall yet" in shown_text(app)
    (box,) = [each for each in app.selectbox if each.label == "Agenda item to show on the wall"]
    box.set_value(item_id).run()
    click(app, "Show on the wall")
    assert f"On the wall now: item {position}" in shown_text(app)
    wall = open_meeting_page(store, Role.VIEWER, PROJECTOR, meeting=meeting_id)
    assert f"Item {position} of {count}" in shown_text(wall)
    viewer = open_meeting_page(store, Role.VIEWER, MEETINGS, meeting=meeting_id)
    assert not [each for each in viewer.button if each.label == "Show on the wall"]


def test_every_screen_of_a_meeting_shares_one_computation_of_the_item(store, monkeypatch):
    """Issue 13: a wall, a chair's and a co-ordinator's projector view on the same item cost
    one computation of the item per change of the store, not one per screen."""
    import dashboard.store

    computed: list[int] = []
    real = dashboard.store.agenda_item_view

    def counted(session, viewer, item_id, **kwargs):
        computed.append(item_id)
        return real(session, viewer, item_id, **kwargs)

    monkeypatch.setattr(dashboard.store, "agenda_item_view", counted)
    meeting_id, item_id, position, count = undecided(store)
    screens = [
        open_meeting_page(store, role, PROJECTOR, meeting=meeting_id, item=position)
        for role in (Role.VIEWER, Role.CHAIR, Role.COORDINATOR)
    ]
    assert all(f"Item {position} of {count}" in shown_text(screen) for screen in screens)
    assert computed == [item_id]
    coordinator = demo_actor(store, Role.COORDINATOR)
    record_decision(
        get_engine(store), coordinator, item_id, DecisionInput("defer", "Shared view."),
        expected_version=None,
    )  # fmt: skip
    for screen in screens:
        screen.run()
        assert not screen.exception, [e.value for e in screen.exception]
        assert "**Decision: Defer.** Shared view." in shown_text(screen)
    assert computed == [item_id, item_id]


def test_a_shared_item_view_is_refused_to_a_screen_that_may_not_read_it(store):
    """The view computed for the meeting's screens is not handed to another partnership's."""
    from dashboard.store import wall_item_view
    from seips_core.auth.roles import Actor
    from seips_core.errors import NotAllowed

    meeting_id, item_id, position, _count = undecided(store)
    open_meeting_page(store, Role.VIEWER, PROJECTOR, meeting=meeting_id, item=position)
    stranger = Actor("hb@example.org", "HB viewer", Role.VIEWER, frozenset({"HB"}))
    with pytest.raises(NotAllowed):
        wall_item_view(stranger, item_id, TODAY)
