"""Who viewed a pupil's named record (issue 16), logged by the pages as they show names.

Each test runs on its own copy of the sample store and flushes the read log itself
(``read_log.flush``; the background flush is off in the page tests, ``conftest``), then reads
``record_view`` in plain SQL: one view per pupil whose name the run drew, nothing more on a
rerun within the window, nothing at all in projection mode, and a download with names logged
when its file is made.
"""

import logging
import subprocess
import sys

import pytest
from conftest import TODAY, demo_actor, new_app, sign_in
from direct_counts import _rows
from page_helpers import (
    AGENDA,
    ATTENTION,
    AUDIT,
    CHARGES,
    FAIR_ACCESS,
    MEETINGS,
    PLACEMENTS,
    RECORD,
    downloads,
    open_page,
    open_part,
    show_names,
)
from streamlit.testing.v1 import AppTest

from dashboard import read_log
from dashboard.parts import ROWS_PER_PAGE
from dashboard.widgets import named_case_ref
from seips_core.auth.roles import Role

__all__ = ["downloads"]  # the fixture, used by name

VIEWS = """
    SELECT v.actor, u.case_ref, v.page, v.kind FROM record_view v
    JOIN pupil u ON u.id = v.pupil_id ORDER BY v.id"""
#: NW's panel sitting on the sample's day, and the pupils on a meeting's agenda.
TODAYS_MEETING = """
    SELECT m.id FROM meeting m JOIN partnership p ON p.id = m.partnership_id
    WHERE p.code = 'NW' AND m.meeting_date = :on AND m.kind = 'panel'"""
AGENDA_OF = """
    SELECT u.case_ref FROM agendaitem a JOIN pupil u ON u.id = a.pupil_id WHERE a.meeting_id = :m"""
#: NW's placements running on the day (the co-ordinator's partnership).
RUNNING = """
    SELECT COUNT(*) FROM placement p JOIN school s ON s.id = p.school_id
    JOIN partnership r ON r.id = s.partnership_id
    WHERE r.code = 'NW' AND p.start_date <= :on AND (p.end_date IS NULL OR p.end_date >= :on)"""


def views(url: str) -> list[tuple[str, str, str, str]]:
    return [tuple(row) for row in _rows(url, VIEWS)]


def opened(url: str, role: Role, page: str) -> AppTest:
    return open_page(sign_in(new_app(), demo_actor(url, role)), page)


def listed_cases(app: AppTest) -> set[str]:
    """The case references of the Fair Access list's rows, read from the table drawn."""
    (listing,) = [each for each in app.table if "Allocation clock" in each.value.columns]
    return {named_case_ref(label) for label in listing.value["Case"]}


def test_names_shown_on_fair_access_log_one_view_per_pupil_and_reruns_none(own_store):
    app = show_names(opened(own_store, Role.COORDINATOR, FAIR_ACCESS))
    shown = listed_cases(app)
    assert shown and None not in shown, "names are on: every row names its pupil"
    assert read_log.flush() == len(shown)
    email = demo_actor(own_store, Role.COORDINATOR).email
    assert sorted(views(own_store)) == sorted(
        (email, ref, "Fair Access cases", "names shown") for ref in shown
    )
    for _ in range(3):  # reruns within the window (a tick, a click) write nothing more
        app.run()
    assert read_log.waiting() == 0
    assert read_log.flush() == 0
    assert len(views(own_store)) == len(shown)


def test_projection_mode_logs_nothing(own_store):
    app = opened(own_store, Role.COORDINATOR, FAIR_ACCESS)  # projection mode is on at first
    app.run()
    assert read_log.waiting() == 0
    assert read_log.flush() == 0
    assert views(own_store) == []


def test_a_download_with_names_is_logged_when_its_file_is_made(own_store, downloads):
    app = show_names(opened(own_store, Role.CHAIR, FAIR_ACCESS))  # a chair may export
    shown = listed_cases(app)
    assert any(label.startswith("Download these") for label in downloads)
    read_log.flush()
    kinds = {(ref, kind) for _actor, ref, _page, kind in views(own_store)}
    assert {(ref, "download") for ref in shown} <= kinds
    assert {(ref, "names shown") for ref in shown} <= kinds


def test_a_download_in_projection_mode_is_not_logged(own_store, downloads):
    opened(own_store, Role.CHAIR, FAIR_ACCESS)
    assert any(label.startswith("Download these") for label in downloads)
    assert read_log.flush() == 0


def test_a_paged_table_logs_the_rows_on_its_page_only(own_store):
    app = show_names(opened(own_store, Role.COORDINATOR, PLACEMENTS))
    (table,) = [each for each in app.table if "Provider" in each.value.columns]
    on_page = {named_case_ref(label) for label in table.value["Pupil"]}
    running = _rows(own_store, RUNNING, on=TODAY)[0][0]
    assert len(table.value) <= ROWS_PER_PAGE < running, "the sample runs more than a page"
    read_log.flush()
    assert {ref for _a, ref, page, _k in views(own_store)} == on_page
    assert {page for _a, _r, page, _k in views(own_store)} == {"AP placements"}


def test_the_record_page_logs_its_agenda_by_name(own_store):
    app = sign_in(new_app(), demo_actor(own_store, Role.COORDINATOR)).run()
    show_names(app)
    app.switch_page(RECORD).run()
    assert not app.exception
    read_log.flush()
    logged = views(own_store)
    assert logged and {page for _a, _r, page, _k in logged} == {"Record decisions"}


def test_a_failed_flush_keeps_its_views_and_reset_drops_them(own_store, monkeypatch, caplog):
    show_names(opened(own_store, Role.COORDINATOR, FAIR_ACCESS))
    waiting = read_log.waiting()
    assert waiting

    def refuse(*_args):
        raise RuntimeError("the store is away")

    with monkeypatch.context() as patched, caplog.at_level(logging.ERROR, "seips.dashboard"):
        patched.setattr(read_log, "record_views", refuse)
        assert read_log.flush() == 0
        assert read_log.flush() == 0  # tried again, kept again
    assert read_log.waiting() == waiting
    assert [each.getMessage() for each in caplog.records if each.name == read_log.LOG.name] == [
        f"Could not log {waiting} views of named records: kept to try again"
    ] * 2
    read_log.reset()
    assert read_log.waiting() == 0
    assert read_log.flush() == 0
    assert views(own_store) == []


def history_of(app: AppTest, case_ref: str) -> None:
    """Ask the audit page for case ``case_ref``'s history."""
    next(each for each in app.text_input if each.label == "Case reference").input(case_ref).run()


def test_the_case_history_says_who_viewed_the_record(own_store):
    show_names(opened(own_store, Role.COORDINATOR, FAIR_ACCESS))
    read_log.flush()
    email, case_ref, _page, _kind = views(own_store)[0]
    for role in (Role.CHAIR, Role.COUNTY_ADMIN):
        app = opened(own_store, role, AUDIT)
        history_of(app, case_ref)
        open_part(app, "case_history_part", "Who viewed this record")
        (table,) = [each for each in app.table if "Page" in each.value.columns]
        assert table.value[["Who", "Page", "How"]].to_dict("records") == [
            {"Who": email, "Page": "Fair Access cases", "How": "On screen"}
        ]
    assert read_log.flush() == 0, "the audit page names no pupil: reading it logs nothing"


def test_a_record_no_one_viewed_says_so(own_store):
    app = opened(own_store, Role.COUNTY_ADMIN, AUDIT)
    case_ref = _rows(own_store, "SELECT case_ref FROM pupil ORDER BY id LIMIT 1")[0][0]
    history_of(app, case_ref)
    open_part(app, "case_history_part", "Who viewed this record")
    assert any(each.value.startswith("No one has viewed this record") for each in app.info)


@pytest.mark.parametrize(
    ("role", "page", "part", "title"),
    [
        (Role.COORDINATOR, ATTENTION, None, "Needs attention"),
        (Role.COORDINATOR, MEETINGS, None, "Meetings"),
        (Role.COORDINATOR, AGENDA, None, "Agenda builder"),
        (Role.CHAIR, CHARGES, ("charges_part", "Per pupil, with the working"), "Charges"),
    ],
)
def test_each_page_with_names_logs_under_its_title(own_store, role, page, part, title):
    app = sign_in(new_app(), demo_actor(own_store, role)).run()
    show_names(app)
    app.switch_page(page).run()
    if part is not None:
        open_part(app, *part)
    assert not app.exception
    read_log.flush()
    logged = views(own_store)
    assert logged and {(each[2], each[3]) for each in logged} == {(title, "names shown")}


def test_the_minutes_with_names_are_logged_as_downloaded(own_store, downloads):
    meeting = _rows(own_store, TODAYS_MEETING, on=TODAY)[0][0]
    app = sign_in(new_app(), demo_actor(own_store, Role.COORDINATOR)).run()
    show_names(app)
    app.query_params["meeting"] = str(meeting)
    app.switch_page(MEETINGS).run()
    open_part(app, "meetings_part", "Minutes")
    assert "Download the minutes (Word)" in downloads
    read_log.flush()
    on_agenda = {ref for (ref,) in _rows(own_store, AGENDA_OF, m=meeting)}
    downloaded = {ref for _a, ref, _p, kind in views(own_store) if kind == "download"}
    assert on_agenda and downloaded == on_agenda


#: A server process in small: views logged, then either a wait for the background flush or an
#: exit straight away (the ``atexit`` flush).
PROCESS = """
import sys, time
from dashboard import read_log
from seips_core.db import get_engine
read_log.FLUSH_EVERY = 0.1
reader = read_log.Reader(get_engine(sys.argv[1]), "co@shire.example", "s1", "Fair Access cases")
read_log._record(reader, [sys.argv[2]], read_log.NAMES_SHOWN)
if sys.argv[3] == "wait":
    time.sleep(1)
    assert read_log.waiting() == 0, "the background flush wrote them"
"""


@pytest.mark.parametrize("ending", ["wait", "exit"])
def test_the_process_flushes_in_the_background_and_at_exit(own_store, ending):
    case_ref = _rows(own_store, "SELECT case_ref FROM pupil ORDER BY id LIMIT 1")[0][0]
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, own_store, case_ref, ending],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert views(own_store) == [("co@shire.example", case_ref, "Fair Access cases", "names shown")]
