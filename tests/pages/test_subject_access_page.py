"""The subject access page: a county admin sees the counts for a case reference, prepares the
files (the export recorded) and downloads them; no other role may open it (issue 16)."""

import io
import zipfile

import pytest
from conftest import changed_case
from page_helpers import SUBJECT_ACCESS, downloads, open_page
from sqlalchemy import text

from seips_core.auth.roles import Role
from seips_core.db import get_engine

__all__ = ["downloads"]  # the fixture, used by name

ZIP = "Download the files (zip)"
PRINTABLE = "Download the printable page"
PREPARE = "Prepare the files"
PREPARED_KEY = "_subject_access_prepared"  # pages/subject_access.py's


def labels(app) -> list[str]:
    return [button.label for button in app.button]


def exports(url: str) -> list[tuple[str, int]]:
    with get_engine(url).connect() as connection:
        query = "SELECT requested_by, pupil_id FROM subject_access_request ORDER BY id"
        return [tuple(row) for row in connection.execute(text(query))]


def test_a_county_admin_sees_the_counts_then_prepares_and_downloads_the_files(
    app_as, own_store, downloads
):
    case_ref, _ = changed_case(own_store, "NW")
    app = open_page(app_as(Role.COUNTY_ADMIN), SUBJECT_ACCESS)
    assert app.title[0].value == "Subject access"
    app.text_input[0].input(case_ref).run()
    counts = app.table[0].value.to_dict("records")
    assert {"Records": "The pupil", "Rows": 1} in counts
    assert "Changes to these records" in {row["Records"] for row in counts}
    assert not downloads and exports(own_store) == []  # nothing leaves before the click

    [prepare] = [button for button in app.button if button.label == PREPARE]
    prepare.click().run()
    assert not app.exception
    [(who, _pupil)] = exports(own_store)
    assert who == "admin@demo.seips.example"
    assert "the export is recorded" in app.success[0].value
    with zipfile.ZipFile(io.BytesIO(downloads[ZIP])) as archive:
        names = set(archive.namelist())
        assert case_ref in archive.read("pupil.csv").decode("utf-8-sig")
    assert {"README.txt", "subject-access.html", "auditentry.csv", "record_view.csv"} <= names
    assert case_ref in downloads[PRINTABLE].decode()

    app.run()  # the prepared files stay offered; no second export is recorded
    assert len(exports(own_store)) == 1 and PREPARE not in labels(app)

    other, _ = changed_case(own_store, "HB")
    app.text_input[0].input(other).run()  # another pupil: the first one's files are let go
    assert PREPARE in labels(app) and PREPARED_KEY not in app.session_state


def test_an_unknown_case_reference_is_refused_in_plain_words(app):
    app = open_page(app, SUBJECT_ACCESS)
    app.text_input[0].input("NOPE-1").run()
    assert app.error[0].value == "Case reference: no pupil has case reference 'NOPE-1'."
    assert PREPARE not in labels(app)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR, Role.CHAIR])
def test_no_other_role_may_open_the_page(app_as, role):
    app = app_as(role)
    app.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(SUBJECT_ACCESS)
