"""The minutes of today's NW panel, as Word (opened with python-docx) and as a page (issue 4)."""

from dataclasses import replace
from io import BytesIO

import pytest
from docx import Document
from meeting_day import AT, TODAY, undecided_items
from sqlalchemy import select

from seips_core.auth.roles import Role
from seips_core.db import read_session
from seips_core.errors import NotAllowed
from seips_core.minutes import minutes_docx, minutes_html
from seips_core.models import Pupil
from seips_core.queries.meetings import invitations
from seips_core.services.decisions import DecisionInput, amend_decision, record_decision
from seips_core.services.meetings import add_action, sign_off_minutes


def docx_text(engine, actor, meeting_id: int, *, full_names: bool) -> tuple[str, list[list[str]]]:
    """The document's paragraphs as one text, and each table's rows of cell texts."""
    with read_session(engine) as session:
        data = minutes_docx(session, actor, meeting_id, full_names=full_names)
    document = Document(BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def test_the_minutes_hold_attendance_decisions_warnings_and_actions(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    item = undecided_items(county, "fair_access")[0]
    record_decision(
        county, coordinator, item.id, DecisionInput("defer", "Waiting for the EP report."),
        expected_version=None,
    )  # fmt: skip
    add_action(county, coordinator, nw_meeting.id, item.id, "Send the EP report", "SENCO", TODAY)
    text, tables = docx_text(county, coordinator, nw_meeting.id, full_names=False)
    with read_session(county) as session:
        invited = invitations(session, coordinator, "NW", nw_meeting.id)
        case_ref = session.get(Pupil, item.pupil_id).case_ref
    attendance, actions, *_carried = tables
    assert attendance[0] == ["School", "Notified", "Attended"]
    assert [row[0] for row in attendance[1:]] == [row.school for row in invited]
    assert "Not notified (R13a)" in {row[1] for row in attendance[1:]}  # planted in the sample
    assert "Draft" in text.splitlines()
    assert case_ref in text
    assert "Decision: Defer\nRationale: Waiting for the EP report." in text
    assert "R13a: " in text  # the meeting's warning, and the unenforceable allocation's
    assert "Enforceable: no (R13a)" in text  # the sample's allocation at this meeting
    assert actions[0] == ["Action", "Owner", "Due", "Done", "Case"]
    assert ["Send the EP report", "SENCO", f"{TODAY:%d/%m/%Y}", "", case_ref] in actions
    assert "Quorum: " in text


def test_names_appear_only_when_asked_for_and_allowed(county, demo, nw_meeting):
    with read_session(county) as session:
        pupils = session.scalars(select(Pupil).where(Pupil.case_ref.like("SEIP-%"))).all()
    coordinator, viewer = demo(Role.COORDINATOR), demo(Role.VIEWER)
    named, _ = docx_text(county, coordinator, nw_meeting.id, full_names=True)
    plain, _ = docx_text(county, coordinator, nw_meeting.id, full_names=False)
    viewed, _ = docx_text(county, viewer, nw_meeting.id, full_names=True)
    full = {f"{p.first_name} {p.last_name}" for p in pupils}
    assert any(name in named for name in full)
    assert not any(name in plain or name in viewed for name in full)
    elsewhere = replace(coordinator, partnerships=frozenset({"HB"}))
    with pytest.raises(NotAllowed):
        docx_text(county, elsewhere, nw_meeting.id, full_names=False)


def test_signed_off_minutes_say_by_whom_and_show_an_amendment(county, demo, nw_meeting):
    coordinator, chair = demo(Role.COORDINATOR), demo(Role.CHAIR)
    item = undecided_items(county, "fair_access")[0]
    first = record_decision(
        county, coordinator, item.id, DecisionInput("defer", "Wait."), expected_version=None
    )
    sign_off_minutes(county, chair, nw_meeting.id, now=AT)
    amend_decision(
        county, chair, item.id, DecisionInput("decline", "Not for this panel."),
        expected_version=first.version,
    )  # fmt: skip
    text, _ = docx_text(county, coordinator, nw_meeting.id, full_names=False)
    assert f"Signed off by {chair.display_name} on {TODAY:%d/%m/%Y}" in text
    assert "Draft" not in text.splitlines()
    assert "Decision: Decline" in text
    assert "Amended after sign-off (was: Defer)" in text


def test_the_printable_page_has_the_same_content_escaped(county, demo, nw_meeting):
    coordinator = demo(Role.COORDINATOR)
    item = undecided_items(county, "fair_access")[0]
    record_decision(
        county, coordinator, item.id, DecisionInput("defer", "<b>EP</b> report & school view"),
        expected_version=None,
    )  # fmt: skip
    with read_session(county) as session:
        page = minutes_html(session, coordinator, nw_meeting.id, full_names=False)
    assert page.startswith("<!DOCTYPE html>")
    assert "Rationale: &lt;b&gt;EP&lt;/b&gt; report &amp; school view" in page
    assert '<th scope="col">Attended</th>' in page
    assert "Draft" in page
