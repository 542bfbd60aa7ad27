"""``seips subject-access CASE_REF FOLDER`` as a county admin runs it (issue 16)."""

import getpass
import stat

from sqlalchemy import select

from seips_core.db import get_engine, read_session
from seips_core.models import Pupil, SubjectAccessRequest

CHAIR = "chair@demo.seips.example"
ADMIN = "admin@demo.seips.example"


def _a_pupil(url: str) -> str:
    with read_session(get_engine(url)) as session:
        return session.scalars(select(Pupil.case_ref).order_by(Pupil.id)).first()


def _exports(url: str) -> list[SubjectAccessRequest]:
    with read_session(get_engine(url)) as session:
        return list(session.scalars(select(SubjectAccessRequest)))


def test_writes_the_bundle_into_a_new_folder_owner_only_and_records_it(seips, sqlite_url, tmp_path):
    assert seips("sample").exit_code == 0
    case_ref = _a_pupil(sqlite_url)
    folder = tmp_path / "request"
    result = seips("subject-access", case_ref, str(folder))
    assert result.exit_code == 0, result.output
    names = {path.name for path in folder.iterdir()}
    assert {"README.txt", "subject-access.html", "pupil.csv", "auditentry.csv"} <= names
    assert {"decision.csv", "record_view.csv", "subject_access_request.csv"} <= names
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "pupil.csv").stat().st_mode) == 0o600
    assert case_ref in (folder / "pupil.csv").read_text(encoding="utf-8-sig")
    assert "Decisions and their reasons" in result.output
    [made] = _exports(sqlite_url)
    assert made.requested_by == f"cli:{getpass.getuser()}"
    assert made.requested_by in result.output

    as_admin = seips("subject-access", case_ref, str(tmp_path / "again"), "--as", ADMIN)
    assert as_admin.exit_code == 0, as_admin.output
    assert [each.requested_by for each in _exports(sqlite_url)][-1] == ADMIN


def test_refuses_a_used_folder_an_unknown_pupil_and_anyone_but_a_county_admin(
    seips, sqlite_url, tmp_path
):
    assert seips("sample").exit_code == 0
    case_ref = _a_pupil(sqlite_url)
    used = tmp_path / "used"
    used.mkdir()
    (used / "another-child.csv").write_text("kept")
    refused = {
        "not a new or empty folder": seips("subject-access", case_ref, str(used)),
        "no pupil has case reference 'NOPE-1'": seips(
            "subject-access", "NOPE-1", str(tmp_path / "a")
        ),
        "You are a chair of NW: only a county admin may export": seips(
            "subject-access", case_ref, str(tmp_path / "b"), "--as", CHAIR
        ),
        "nobody@example.org is not registered": seips(
            "subject-access", case_ref, str(tmp_path / "c"), "--as", "nobody@example.org"
        ),
    }
    for message, result in refused.items():
        assert result.exit_code == 1, result.output
        assert message in result.output
        assert "Traceback" not in result.output
    assert [path.name for path in used.iterdir()] == ["another-child.csv"]
    assert not any((tmp_path / name).exists() for name in "abc")
    assert _exports(sqlite_url) == []
