"""``seips retention``: the county's IT team lists what the retention schedule says is due, by
kind and case reference (never a name), and anonymises it with ``--apply`` (issue 16)."""

from datetime import date

from sqlalchemy import select

from seips_core.db import get_engine, read_session
from seips_core.models import Pupil
from seips_core.retention import KINDS, falling_due

#: A day by which some of the sample county's pupils (11 to 18 now) are 25, not all.
ON = "2035-06-01"


def test_retention_lists_what_is_due_without_names_then_applies_it(seips, sqlite_url):
    assert seips("sample").exit_code == 0
    engine = get_engine(sqlite_url)
    with read_session(engine) as session:
        due = falling_due(session, date.fromisoformat(ON))
        names = session.execute(
            select(Pupil.first_name, Pupil.last_name).where(
                Pupil.id.in_({records.pupil_id for records in due})
            )
        ).all()
    assert due

    listed = seips("retention", "--on", ON)
    assert listed.exit_code == 0, listed.output
    pupils = len({records.pupil_id for records in due})
    assert f"{pupils} pupil(s) due" in listed.output
    assert "Run again with --apply" in listed.output
    assert KINDS[0].label in listed.output
    for records in due:
        assert f"{records.case_ref}" in listed.output
        assert f"due {records.due.isoformat()}" in listed.output
    assert not [name for name in names if f"{name[0]} {name[1]}" in listed.output]

    applied = seips("retention", "--on", ON, "--apply")
    assert applied.exit_code == 0, applied.output
    assert f"Anonymised {pupils} pupil(s)" in applied.output
    verified = seips("audit", "verify")
    assert verified.exit_code == 0 and "Audit trail intact" in verified.output
    again = seips("retention", "--on", ON)
    assert "0 pupil(s) due, 0 record(s)." in again.output
    assert "Run again" not in again.output


def test_an_unset_period_is_said_on_stderr_and_its_default_applies(seips, sqlite_url):
    assert seips("init").exit_code == 0
    listed = seips("retention")
    assert listed.exit_code == 0
    for kind in KINDS:
        assert f"Retention: set {kind.setting}" in listed.output
    assert "0 pupil(s) due" in listed.output
