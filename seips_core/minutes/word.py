"""The minutes as a Word document (python-docx), for the partnership's records and email."""

from io import BytesIO

from docx import Document

from .content import Minutes


def render_docx(minutes: Minutes) -> bytes:
    """``minutes`` as a .docx file's bytes: headings, an attendance table and the quorum,
    items, actions."""
    document = Document()
    document.add_heading(minutes.title, level=0)
    document.add_paragraph(f"Partnership: {minutes.partnership}")
    document.add_paragraph(f"Date: {minutes.meeting_date}")
    document.add_paragraph(minutes.status).runs[0].bold = True
    document.add_heading("Attendance", level=1)
    _table(
        document,
        ("School", "Notified", "Attended"),
        [(a.school, a.notified, a.attended) for a in minutes.attendance],
    )
    document.add_paragraph(minutes.quorum)
    for warning in minutes.meeting_warnings:
        document.add_paragraph(warning)
    document.add_heading("Items", level=1)
    for item in minutes.items:
        document.add_heading(
            f"{item.position}. {item.case_ref} {item.pupil} ({item.purpose})", level=2
        )
        document.add_paragraph(f"Decision: {item.decision}")
        if item.rationale:
            document.add_paragraph(f"Rationale: {item.rationale}")
        if not item.enforceable:
            document.add_paragraph("Enforceable: no (R13a)")
        for line in (item.amended, *item.warnings):
            if line:
                document.add_paragraph(line, style="List Bullet")
    for table in minutes.action_tables():
        document.add_heading(table.heading, level=1)
        if table.rows:
            _table(document, table.columns, list(table.rows))
        else:
            document.add_paragraph(table.empty)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
