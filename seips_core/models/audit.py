"""The audit trail: one append-only row per inserted, updated or deleted row of case data."""

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
