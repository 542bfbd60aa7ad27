"""The minutes as a printable HTML page (the browser prints it to PDF), every value escaped."""

from html import escape

from .content import Minutes

_STYLE = """
body { font-family: Arial, sans-serif; color: #111; max-width: 48em; margin: 2em auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #444; padding: 0.3em 0.5em; text-align: left; }
.status { font-weight: bold; }
.warning { color: #8a1c00; }
@media print { body { margin: 0; } }
"""


def render_html(minutes: Minutes) -> str:
    """A standalone page with the same content as the Word document."""
    parts = [
        f"<h1>{escape(minutes.title)}</h1>",
        f"<p>Partnership: {escape(minutes.partnership)}</p>",
        f"<p>Date: {escape(minutes.meeting_date)}</p>",
        f'<p class="status">{escape(minutes.status)}</p>',
        "<h2>Attendance</h2>",
        _table(
            ("School", "Notified", "Attended"),
            [(a.school, a.notified, a.attended) for a in minutes.attendance],
        ),
        f"<p>{escape(minutes.quorum)}</p>",
        *(f'<p class="warning">{escape(w)}</p>' for w in minutes.meeting_warnings),
        "<h2>Items</h2>",
    ]
    for item in minutes.items:
        parts.append(
            f"<h3>{item.position}. {escape(item.case_ref)} {escape(item.pupil)} "
            f"({escape(item.purpose)})</h3>"
        )
        parts.append(f"<p>Decision: {escape(item.decision)}</p>")
        if item.rationale:
            parts.append(f"<p>Rationale: {escape(item.rationale)}</p>")
        if not item.enforceable:
            parts.append('<p class="warning">Enforceable: no (R13a)</p>')
        notes = [line for line in (item.amended, *item.warnings) if line]
        if notes:
            parts.append(
                "<ul>" + "".join(f'<li class="warning">{escape(n)}</li>' for n in notes) + "</ul>"
            )
    for table in minutes.action_tables():
        parts.append(f"<h2>{escape(table.heading)}</h2>")
        parts.append(
            _table(table.columns, list(table.rows))
            if table.rows
            else f"<p>{escape(table.empty)}</p>"
        )
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(minutes.title)}</title><style>{_STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>"
    )


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
