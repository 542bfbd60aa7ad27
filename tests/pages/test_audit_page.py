"""The audit trail page: a chair's partnerships' changes (never another's), filtered by user and
date, a case's whole history, and the CSV of what is listed."""

import csv
import io
from datetime import date, timedelta

import pytest
from conftest import CHANGED_CASES, changed_case, demo_account
from page_helpers import AUDIT, downloads, open_page

from seips_core.auth.roles import Role

DATES_KEY = "audit_dates"  # pages/audit.py's date range

__all__ = ["downloads"]  # the fixture, used by name

COLUMNS = ["When", "Who", "Action", "Table", "Case", "What changed"]


def fields(app) -> dict:
    return {field.label: field for field in app.text_input}


def listed(app) -> list[dict]:
    return app.table[0].value.to_dict("records") if app.table else []


def premium_change(url: str, code: str) -> dict:
    """The row the page should list for the change ``CHANGED_CASES`` made in ``code``."""
    case_ref, now = changed_case(url, code)
    return {
        "Who": demo_account(CHANGED_CASES[code]).email,
        "Action": "Update",
        "Table": "pupil",
        "Case": case_ref,
        "What changed": f"pupil_premium: {not now} → {now}",
    }


def without_time(row: dict) -> dict:
    return {column: value for column, value in row.items() if column != "When"}


def test_a_chair_reads_their_partnerships_changes_and_not_anothers(app_as, county_url):
    app = open_page(app_as(Role.CHAIR), AUDIT)
    rows = listed(app)
    assert list(app.table[0].value.columns) == COLUMNS
    shown = [without_time(row) for row in rows]
    assert premium_change(county_url, "NW") in shown
    assert premium_change(county_url, "HB")["Case"] not in {row["Case"] for row in rows}
    assert f"**{len(rows):,}** change(s)" in app.markdown[0].value


def test_a_county_admin_reads_every_partnerships_changes(app, county_url):
    shown = [without_time(row) for row in listed(open_page(app, AUDIT))]
    assert premium_change(county_url, "NW") in shown
    assert premium_change(county_url, "HB") in shown


def test_the_user_filter_lists_only_that_users_changes(app, county_url):
    app = open_page(app, AUDIT)
    coordinator = demo_account(Role.COORDINATOR).email
    fields(app)["User (email address)"].input(coordinator.upper()).run()
    rows = listed(app)
    assert rows and {row["Who"] for row in rows} == {coordinator}
    assert premium_change(county_url, "HB") not in [without_time(row) for row in rows]


def test_dates_before_the_changes_list_none(app):
    app = open_page(app, AUDIT)
    long_ago = date.today() - timedelta(days=400)
    app.date_input(key=DATES_KEY).set_value((long_ago, long_ago + timedelta(days=7))).run()
    assert not app.table
    assert app.info[0].value == "No change matches these filters."


def test_a_case_reference_shows_that_cases_whole_history(app_as, county_url):
    app = open_page(app_as(Role.CHAIR), AUDIT)
    expected = premium_change(county_url, "NW")
    fields(app)["Case reference"].input(expected["Case"]).run()
    assert app.subheader[0].value == f"History of case {expected['Case']}"
    assert [without_time(row) for row in listed(app)] == [expected]
    assert fields(app)["User (email address)"].disabled and app.date_input(key=DATES_KEY).disabled


def test_another_partnerships_case_is_refused(app_as, county_url):
    app = open_page(app_as(Role.CHAIR), AUDIT)
    fields(app)["Case reference"].input(changed_case(county_url, "HB")[0]).run()
    (refusal,) = app.error
    assert refusal.value.startswith("Case reference: You are a chair of NW")
    assert not app.table


def test_an_unknown_case_is_said_so(app):
    app = open_page(app, AUDIT)
    fields(app)["Case reference"].input("NO-SUCH-CASE").run()
    assert app.info[0].value.startswith("No case NO-SUCH-CASE in the store")


@pytest.mark.parametrize("role", [Role.CHAIR, Role.COUNTY_ADMIN])
def test_the_csv_holds_the_listed_changes(app_as, downloads, role):
    app = open_page(app_as(role), AUDIT)
    (data,) = downloads.values()
    assert list(csv.DictReader(io.StringIO(data))) == listed(app)
    assert data.splitlines()[0] == ",".join(COLUMNS)
