"""The audit trail: one append-only row per inserted, updated or deleted row of case data.

Database triggers refuse UPDATE and DELETE on it (and TRUNCATE on PostgreSQL), and each entry
is chained to the one before by a hash (``seips_core.audit_chain``), so a change made anyway
shows when the trail is verified.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from .choices import AUDIT_ACTIONS, one_of


class AuditEntry(SQLModel, table=True):
    """Who changed what and when, with the values before and after (JSON text)."""

    __table_args__ = (one_of("action", AUDIT_ACTIONS, "ck_audit_action"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=120, index=True)
    action: str = Field(max_length=8)
    table_name: str = Field(max_length=40, index=True)
    row_id: int | None = Field(default=None, index=True)
    before: str | None = None
    after: str | None = None
    # Unique: two entries chained to the same one would be a fork, two writers racing.
    prev_hash: str = Field(max_length=64, index=True, unique=True)
    entry_hash: str = Field(max_length=64)


class ChangeMarker(SQLModel, table=True):
    """The newest audit entry that changed what one partnership's pages show (``scope`` is the
    partnership's id), or the county-wide facts every partnership reads (``scope`` 0: providers,
    placements, settings, term dates...). Bumped in the same transaction as the write
    (``seips_core.change_scopes``), so a page's cache keyed on its partnership's marker and the
    county's stays warm while other partnerships change (issue 13)."""

    __tablename__ = "change_marker"

    scope: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    audit_id: int


class AuditRedaction(SQLModel, table=True):
    """Present only inside the retention schedule's own transaction (``services.retention``):
    while it holds a row, the trail's triggers let ``before`` and ``after`` be rewritten to
    redact an anonymised pupil; every other change to the trail stays refused. Empty otherwise."""

    __tablename__ = "audit_redaction"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
