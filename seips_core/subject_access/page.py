"""The subject access bundle as one printable page: every row as a list of fields and values.

Self-contained (no request leaves the file), readable on A4: each row is a small two-column
table of field and value rather than one wide table per kind of record, so nothing is cut off
at the page's edge. Every stored value is HTML-escaped: it is shown as the text it is, never
as markup (a name holding ``<img src=…>`` prints those characters).
"""

from html import escape

from .collect import Found, TableRows, outcome_words, shown

_CSS = """
body { font-family: Arial, sans-serif; color: #111; max-width: 52em; margin: 2em auto;
       font-size: 11pt; line-height: 1.4; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 1.6em; border-bottom: 2px solid #111; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; }
th, td { border: 1px solid #555; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { width: 14em; font-weight: normal; color: #333; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
td { white-space: pre-wrap; overflow-wrap: anywhere; }
.about { color: #333; }
@media print { body { margin: 0; max-width: none; } table { break-inside: avoid; } }
"""


def render_page(case_ref: str, heading: list[tuple[str, str]], found: Found) -> str:
    """The page: who exported which pupil's record when (``heading``: label, value), then each
    table's rows, then the audit of them."""
    title = f"Subject access: everything held about pupil {case_ref}"
    facts = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in heading)
    parts = [f"<h1>{escape(title)}</h1>", f"<table>{facts}</table>"]
    parts += [_section(rows, found) for rows in found.tables]
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        "<body>\n" + "\n".join(parts) + "\n</body></html>"
    )


def _section(rows: TableRows, found: Found) -> str:
    count = f"{len(rows.rows)} record{'' if len(rows.rows) == 1 else 's'}"
    head = (
        f"<h2 id={rows.table}>{escape(rows.title)} ({count})</h2>"
        f"<p class=about>{escape(rows.about)}</p>"
    )
    if not rows.rows:
        return head + "<p>None held.</p>"
    return head + "".join(_record(rows, row, found) for row in rows.rows)


def _record(rows: TableRows, row: tuple[object, ...], found: Found) -> str:
    cells = "".join(
        f"<tr><th>{escape(column.replace('_', ' '))}</th>"
        f"<td>{escape(_value(rows.table, column, value, found))}"
        "</td></tr>"
        for column, value in zip(rows.columns, row, strict=True)
    )
    return f"<table><caption>{escape(rows.title)}, id {row[0]}</caption>{cells}</table>"


def _value(table: str, column: str, value: object, found: Found) -> str:
    """The stored value, with the name of the school, provider, partnership or meeting an id
    stands for, and a decision's outcome in words."""
    text = shown(value)
    if table == "decision" and column == "outcome" and isinstance(value, str):
        return f"{text} ({outcome_words(value)})"
    name = found.name_of(table, column, value)
    return f"{text} ({name})" if name else text
