"""A store whose typed text is hostile: every text column of every table holds Markdown, HTML
and Streamlit directives that would fetch from ``evil.example`` or format the page if the
dashboard rendered stored text instead of showing it (issue 11).

The columns are found in the models' metadata, not listed by hand, so a text column added
later is covered too. Left as they are: columns limited to a fixed vocabulary (a CHECK
``… IN (…)``) and the few identifiers the dashboard needs to work (``KEPT``); the audit
trail is append-only, so hostile copies of its entries are appended (their before/after
values are JSON, with the text values made hostile inside it).

Each value is the row's id, then ``HOSTILE`` (``hostile_value``), cut to its column's
length: PostgreSQL refuses a longer value in a ``varchar(n)`` (SQLite does not check, but
gets the same values, so both engines show the same text). The id comes first so that a
unique column stays unique once cut; a short column (a name of 80 characters, a term's of 40)
holds only part of the payload, the long ones (notes, rationales, most names) all of it.
"""

import json
import re
from collections.abc import Callable

from sqlalchemy import (
    CheckConstraint,
    Column,
    ColumnElement,
    Connection,
    String,
    Table,
    case,
    cast,
    func,
    literal,
    select,
    union,
    update,
)
from sqlmodel import Session, SQLModel

import seips_core.models  # noqa: F401  (registers every table in the metadata)
from seips_core.audit import append_entries
from seips_core.db import get_engine
from seips_core.models import AuditEntry

#: The host every hostile string points at: no request may ever go there.
EVIL_HOST = "evil.example"
#: An image (fetched by every viewer if rendered), a link, bold, raw HTML, a Streamlit colour
#: directive and LaTeX.
PAYLOADS = (
    f"![x](http://{EVIL_HOST}/i.png)",
    f"[link](http://{EVIL_HOST})",
    "**bold**",
    f"<img src=http://{EVIL_HOST}/x>",
    ":red[red]",
    "$x^2$",
)
HOSTILE = " ".join(PAYLOADS)
#: Identifiers left alone, with why: the dashboard signs in, scopes and links by them.
KEPT = {
    "dashboard_user.email": "the sign-in name (the demo accounts sign in with it)",
    "dashboard_user.password_hash": "a secret, never shown",
    "partnership.code": "the R1 scope key of every account and page address",
    "pupil.case_ref": "the case reference of addresses and the audit filter",
    "placement.sessions": "a parsed weekly pattern (MonAM TuePM)",
    "setting.key": "a setting's name",
    "setting.value": "a parsed setting (numbers, the demo marker)",
    "auditentry.table_name": "written by the app, never typed; scopes the audit trail",
    "auditentry.prev_hash": "the hash chain, written by the store",
    "auditentry.entry_hash": "the hash chain, written by the store",
    "auditentry.before": "JSON: its text values are made hostile inside it",
    "auditentry.after": "JSON: its text values are made hostile inside it",
}


def _vocabulary(table: Table) -> set[str]:
    """The columns of ``table`` a CHECK limits to a fixed list of values."""
    return {
        constraint.sqltext.text.split(" IN (")[0].strip()
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint) and " IN (" in str(constraint.sqltext)
    }


def hostile_columns() -> list[Column]:
    """Every free-text column of the store: each String column of each table, but for the
    fixed vocabularies and ``KEPT``."""
    return [
        column
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(getattr(column.type, "impl", column.type), String)
        and column.name not in _vocabulary(table)
        and f"{table.name}.{column.name}" not in KEPT
    ]


def _length(column: Column) -> int | None:
    """The most characters ``column`` holds (``None``: no limit)."""
    return getattr(column.type, "length", None)


def hostile_value(row_id: int, length: int | None) -> str:
    """The hostile text of row ``row_id`` in a column of ``length`` characters at most."""
    return f"#{row_id} {HOSTILE}"[:length]


def _hostile_sql(column: Column) -> ColumnElement:
    """``hostile_value`` of each row of ``column``'s table, in SQL both engines run."""
    text = literal("#") + cast(column.table.c.id, String) + literal(f" {HOSTILE}")
    length = _length(column)
    return text if length is None else func.substr(text, 1, length)


def _hostile_json(text: str | None, when: str) -> str | None:
    """An audit value (a JSON object) with each text value made hostile; ``when`` keeps
    before and after apart, so that an update still shows as a change."""
    if not text:
        return text
    values = json.loads(text)
    return json.dumps(
        {
            key: f"{HOSTILE} ({when})" if isinstance(value, str) else value
            for key, value in values.items()
        }
    )


def make_hostile(url: str) -> list[str]:
    """Write ``hostile_value`` (the row's id, so unique columns stay unique, then ``HOSTILE``,
    cut to the column's length) into every free-text value of the store ``url`` (an empty one
    stays empty), and make the audit trail hostile. Plain SQL, not audited: this is the test's
    doing, not a user's. Returns the columns changed."""
    columns = hostile_columns()
    audit = AuditEntry.__table__
    engine = get_engine(url)
    with engine.begin() as connection:
        for table in {column.table for column in columns} - {audit}:
            connection.execute(
                update(table).values({
                    column.name: case((column.is_(None), None), else_=_hostile_sql(column))
                    for column in columns if column.table is table})
            )  # fmt: skip
        _hostile_trail(connection)
    return [f"{column.table.name}.{column.name}" for column in columns]


def _hostile_trail(connection: Connection) -> None:
    """The audit trail is append-only (triggers refuse UPDATE), so a hostile copy of each of
    its entries is appended, by a hostile actor, through ``append_entries``: the hash chain
    stays whole and the newest entries, the first the Audit trail page shows, are hostile."""
    audit = AuditEntry.__table__
    entries = connection.execute(select(audit).order_by(audit.c.id)).mappings().all()
    copies = [
        {
            "at": entry["at"],
            "actor": hostile_value(entry["id"], _length(audit.c.actor)),
            "action": entry["action"],
            "table_name": entry["table_name"],
            "row_id": entry["row_id"],
            "before": _hostile_json(entry["before"], "before"),
            "after": _hostile_json(entry["after"], "after"),
        }
        for entry in entries
    ]
    with Session(bind=connection) as session:
        append_entries(session, copies)


def shows_a_value_whole(url: str) -> Callable[[str], bool]:
    """``shows(text)``: whether ``text`` holds one of the hostile values of the store ``url``
    whole, as stored: all of ``HOSTILE`` after its row's id, or, for a short column, all that
    the column holds of it. The audit trail's first entries, by their real actors, do not
    count."""
    with get_engine(url).connect() as connection:
        query = union(*(select(column).where(column.is_not(None)) for column in hostile_columns()))
        values = {value for value in connection.scalars(query) if _is_hostile(value)}
    lengths = {len(value) for value in values}
    return lambda text: any(
        text[found.start() : found.start() + length] in values
        for found in re.finditer(r"#\d+ ", text)
        for length in lengths
    )


def _is_hostile(value: str) -> bool:
    """Whether ``value`` is a ``hostile_value``."""
    head, _, payload = value.partition(" ")
    return head[:1] == "#" and head[1:].isdigit() and HOSTILE.startswith(payload)
