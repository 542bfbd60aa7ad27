"""The meeting pages on the sample county: the meetings list with its R13a warning, the agenda
builder, the projector view (initials only, "Item 1 of N") and recording a decision end to end,
refusals (R16) and conflicts (another screen saved first) included.

Each test writes, so it runs on its own copy of the sample store; what the page should show is
read from that store in plain SQL (``direct_counts``), not through the queries the pages use.
"""

import shutil
from datetime import date

import pytest
from conftest import TODAY, demo_actor, new_app, serve_store, sign_in
from direct_counts import _rows, dates_of_birth, full_names
from page_helpers import shown_text

from dashboard.state import PARTNERSHIP_KEY
from seips_core.auth.roles import Role
from seips_core.db import get_engine

services = pytest.importorskip("seips_core.services.decisions", reason="meeting-core not landed")

MEETINGS, AGENDA = "../pages/meetings.py", "../pages/agenda.py"
PROJECTOR, RECORD = "../pages/projector.py", "../pages/record.py"
#: R13a: the sample's coming meeting with a member school not notified.
UNNOTIFIED = """
    SELECT m.id, p.code FROM meeting m JOIN partnership p ON p.id = m.partnership_id
    JOIN meetinginvitation i ON i.meeting_id = m.id
    WHERE m.meeting_date >= :on AND i.notified_date IS NULL ORDER BY m.meeting_date"""
#: Meetings with an agenda item not yet decided, with the item's position and count.
UNDECIDED = """
    SELECT m.id, p.code, a.id, a.position,
           (SELECT COUNT(*) FROM agendaitem b WHERE b.meeting_id = m.id)
    FROM agendaitem a JOIN meeting m ON m.id = a.meeting_id
    JOIN partnership p ON p.id = m.partnership_id
    WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.agenda_item_id = a.id)
    ORDER BY m.meeting_date DESC, a.position"""


@pytest.fixture
def store(county_url, tmp_path, monkeypatch) -> str:
    """A copy of the sample store of this test alone, served by the dashboard."""
    copy = tmp_path / "seips.db"
    shutil.copy(county_url.removeprefix("sqlite:///"), copy)
    return serve_store(f"sqlite:///{copy}", monkeypatch)


def open_meeting_page(url: str, role: Role, page: str, code: str, **params: object):
    """``page`` for ``role`` on partnership ``code`` with ``params`` in the address."""
    app = sign_in(new_app(), demo_actor(url, role)).run()
    app.selectbox(key=PARTNERSHIP_KEY).set_value(code).run()
    app.query_params.update({name: str(value) for name, value in params.items()})
    app.switch_page(page).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def agenda_of(url: str, meeting_id: int) -> list[int]:
    """The meeting's agenda item ids in agenda order."""
    sql = "SELECT id FROM agendaitem WHERE meeting_id = :m ORDER BY position"
    return [item for (item,) in _rows(url, sql, m=meeting_id)]


def click(app, label: str, nth: int = 0):
    return [each for each in app.button if each.label == label][nth].click().run()


def test_the_agenda_builder_adds_moves_and_removes_items(store):
    meeting_id, code = _rows(store, UNNOTIFIED, on=TODAY)[0]
    app = open_meeting_page(store, Role.COORDINATOR, AGENDA, code, meeting=meeting_id)
    before = agenda_of(store, meeting_id)
    click(app, "Add")
    click(app, "Add")
    after = agenda_of(store, meeting_id)
    assert len(after) == len(before) + 2
    last, second_last = after[-1], after[-2]
    click(app, "Up", nth=len(after) - 1)  # the last item moves up one place
    assert agenda_of(store, meeting_id)[-2:] == [last, second_last]
    click(app, "Remove", nth=len(after) - 1)
    assert agenda_of(store, meeting_id) == [*after[:-2], last]
    assert not app.error, [error.value for error in app.error]


def undecided(url: str) -> tuple[int, str, int, int, int]:
    (first, *_) = _rows(url, UNDECIDED)
    return first


def decision_rows(url: str, item_id: int) -> list[tuple]:
    return _rows(
        url, "SELECT outcome, rationale FROM decision WHERE agenda_item_id = :i", i=item_id
    )


def test_the_meetings_page_warns_of_the_unnotified_school_before_the_meeting(store):
    meeting_id, code = _rows(store, UNNOTIFIED, on=TODAY)[0]
    app = open_meeting_page(store, Role.COORDINATOR, MEETINGS, code, meeting=meeting_id)
    assert any("R13a" in warning.value for warning in app.warning)
    dates = _rows(
        store,
        "SELECT meeting_date FROM meeting WHERE partnership_id = "
        "(SELECT id FROM partnership WHERE code = :c)",
        c=code,
    )
    text = shown_text(app)
    for (day,) in dates:
        assert f"{date.fromisoformat(str(day)):%d/%m/%Y}" in text


def test_the_projector_view_shows_item_one_of_n_and_no_name_or_date_of_birth(store):
    meeting_id, code, _, _, count = undecided(store)
    # A co-ordinator with projection mode off: the wall still gets initials only.
    app = open_meeting_page(store, Role.COORDINATOR, PROJECTOR, code, meeting=meeting_id, item=1)
    text = shown_text(app)
    assert f"Item 1 of {count}" in text
    assert not [secret for secret in [*full_names(store), *dates_of_birth(store)] if secret in text]


def record(app, outcome: str, rationale: str, *, school: bool = False, **ticks: bool):
    """Choose the outcome, then fill its form (the first school if ``school``, the boxes
    labelled in ``ticks``, the rationale) and save with one click."""
    (box,) = [each for each in app.selectbox if each.label == "Outcome"]
    box.set_value(outcome).run()
    if school:
        (schools,) = [each for each in app.selectbox if each.label == "School"]
        schools.select_index(0)
    for label, value in ticks.items():
        (tick,) = [each for each in app.checkbox if each.label == label]
        tick.set_value(value)
    (text,) = [each for each in app.text_area if each.label.startswith("Rationale")]
    text.set_value(rationale)
    (save,) = [each for each in app.button if each.label == "Save the decision"]
    return save.click().run()


def test_recording_a_decision_saves_it_and_audits_it(store):
    meeting_id, code, item_id, position, _ = undecided(store)
    app = open_meeting_page(
        store, Role.COORDINATOR, RECORD, code, meeting=meeting_id, item=position
    )
    record(app, "defer", "Waiting for the school's report.")
    assert not app.error, [error.value for error in app.error]
    assert decision_rows(store, item_id) == [("defer", "Waiting for the school's report.")]
    assert _rows(store, "SELECT COUNT(*) FROM auditentry WHERE table_name = 'decision'")[0][0]
    assert any("Decision saved" in each.value for each in app.success)


def test_a_managed_move_without_all_three_agreements_is_refused_naming_r16(store):
    meeting_id, code, item_id, position, _ = undecided(store)
    app = open_meeting_page(
        store, Role.COORDINATOR, RECORD, code, meeting=meeting_id, item=position
    )
    rationale = "Fresh start agreed in principle."
    record(app, "agree_managed_move", rationale, school=True, **{"Parents agree (R16)": True})
    assert any(error.value.startswith("R16") for error in app.error)
    assert decision_rows(store, item_id) == []
    assert app.text_area[0].value == rationale  # nothing the user typed is lost


def test_the_second_of_two_screens_saving_the_same_item_is_told_who_saved_first(store):
    meeting_id, code, item_id, position, _ = undecided(store)
    app = open_meeting_page(
        store, Role.COORDINATOR, RECORD, code, meeting=meeting_id, item=position
    )
    chair = demo_actor(store, Role.CHAIR)
    services.record_decision(
        get_engine(store),
        chair,
        item_id,
        services.DecisionInput(outcome="decline", rationale="Declined by the chair."),
        expected_version=None,
    )
    record(app, "defer", "Deferred on my screen.")
    assert any("Changed by" in error.value for error in app.error)
    assert decision_rows(store, item_id) == [("decline", "Declined by the chair.")]
