"""A store whose typed text is hostile: every text column of every table holds Markdown, HTML
and Streamlit directives that would fetch from ``evil.example`` or format the page if the
dashboard rendered stored text instead of showing it (issue 11).

The columns are found in the models' metadata, not listed by hand, so a text column added
later is covered too. Left as they are: columns limited to a fixed vocabulary (a CHECK
``… IN (…)``) and the few identifiers the dashboard needs to work (``KEPT``); the audit
trail is append-only, so hostile copies of its entries are appended (their before/after
values are JSON, with the text values made hostile inside it).
"""

import json

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    String,
    Table,
    case,
    cast,
    literal,
    select,
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
    """Write ``HOSTILE`` (with the row's id, so unique columns stay unique) into every
    free-text value of the store ``url`` (an empty one stays empty), and make the audit trail
    hostile. Plain SQL, not audited: this is the test's doing, not a user's. Returns the
    columns changed."""
    columns = hostile_columns()
    audit = AuditEntry.__table__
    engine = get_engine(url)
    with engine.begin() as connection:
        for table in {column.table for column in columns} - {audit}:
            text = literal(HOSTILE + " #") + cast(table.c.id, String)
            connection.execute(
                update(table).values({column.name: case((column.is_(None), None), else_=text)
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
            "actor": f"{HOSTILE} #{entry['id']}",
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
