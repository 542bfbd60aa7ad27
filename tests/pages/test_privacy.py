"""Projection mode: on the wall, pupils are case references and initials, nowhere a full name
or a date of birth, on any page, for any role, on screen or in a download. Off (for those
whose role may see names), a co-ordinator sees the names of the pupils a page lists."""

import csv
import io
import re

import pytest
from conftest import demo_actor
from direct_counts import dates_of_birth, full_names, pupil_names
from menus import MENU
from page_helpers import (
    ATTENTION,
    PAGE_FILES,
    download_text,
    downloads,
    flags_on,
    open_page,
    show_names,
    shown_text,
)

from dashboard.state import PROJECTION_KEY
from seips_core.auth.roles import Role

__all__ = ["downloads"]  # the fixture, used by name

CASES = [(role, PAGE_FILES[title]) for role, titles in MENU.items() for title in titles]


def leaks(text: str, url: str) -> list[str]:
    """The full names and dates of birth of sample pupils found in ``text``."""
    return [secret for secret in [*full_names(url), *dates_of_birth(url)] if secret in text]


def project(app):
    """Turn projection mode on (a viewer's is on already, and cannot be turned off)."""
    toggle = app.toggle(key=PROJECTION_KEY)
    if not toggle.disabled:
        toggle.set_value(True).run()
    assert app.toggle(key=PROJECTION_KEY).value is True
    return app


def test_projection_mode_is_on_at_first_for_every_role_and_fixed_on_for_a_viewer(app_as):
    """Issue 12: a laptop mirrored to the projector shows the room what it shows."""
    for role in Role:
        app = app_as(role).run()
        toggle = app.toggle(key=PROJECTION_KEY)
        assert toggle.label == "Projection mode (initials only)"
        assert (toggle.value, toggle.disabled) == (True, role is Role.VIEWER), role
        assert not [w for w in app.warning if "Full names are on this screen" in w.value]


def test_names_are_a_deliberate_switch_said_on_the_page_while_on(app_as):
    app = show_names(app_as(Role.COORDINATOR).run())
    (notice,) = [w for w in app.warning if "Full names are on this screen" in w.value]
    assert "Do not share or mirror it to a projector" in notice.value
    (hide,) = [b for b in app.button if b.label == "Hide names"]
    hide.click().run()
    assert app.toggle(key=PROJECTION_KEY).value is True
    assert not [w for w in app.warning if "Full names are on this screen" in w.value]


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{r}-{p[9:-3]}" for r, p in CASES])
def test_in_projection_mode_no_full_name_or_date_of_birth_is_anywhere_on_the_page(
    app_as, county_url, downloads, role, page
):
    app = project(app_as(role).run())
    actor = demo_actor(county_url, role)
    # The whole county and one partnership.
    for partnership in [None, "NW"] if actor.sees_all else sorted(actor.partnerships):
        open_page(app, page, partnership)
        assert not leaks(shown_text(app), county_url), (role, page, partnership)
        for label, data in downloads.items():
            assert not leaks(download_text(data), county_url), (role, page, label)


def test_in_projection_mode_flagged_pupils_are_case_references_with_initials(
    app_as, county_url, downloads
):
    app = project(app_as(Role.CHAIR).run())  # a chair: the flags list is also exported
    open_page(app, ATTENTION)
    names = pupil_names(county_url)
    pupils = {flag.subject for flag in flags_on(county_url, "NW") if flag.subject in names}
    subjects = set(app.table[0].value["Subject"])
    assert pupils, "the sample flags pupils in NW"
    for case_ref in pupils:
        (shown,) = [subject for subject in subjects if subject.startswith(case_ref)]
        assert re.fullmatch(rf"{case_ref} \([A-Z]\. [A-Z]\.\)", shown), shown
    (data,) = downloads.values()
    assert {row["Subject"] for row in csv.DictReader(io.StringIO(data))} >= subjects


def test_with_projection_off_a_chair_sees_and_exports_the_names_of_flagged_pupils(
    app_as, county_url, downloads
):
    app = open_page(show_names(app_as(Role.CHAIR).run()), ATTENTION)
    names = pupil_names(county_url)
    flagged = {flag.subject for flag in flags_on(county_url, "NW") if flag.subject in names}
    subjects = set(app.table[0].value["Subject"])
    assert {f"{case_ref} ({names[case_ref]})" for case_ref in flagged} <= subjects
    (data,) = downloads.values()
    assert f"{min(flagged)} ({names[min(flagged)]})" in data
