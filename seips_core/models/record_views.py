"""Who looked at a child's named record: one row per person, pupil, page and kind of view.

The audit trail records changes; reading is recorded here, because UK GDPR lets a parent ask
who accessed their child's data (the subject access bundle lists these rows) and a partnership
must be able to show it. Only ids and short labels are kept (no name, no values read), so
anonymising a pupil (retention) leaves nothing here to remove. The pages write these rows in
batches (``dashboard.read_log``) through ``seips_core.services.record_views``.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from .choices import VIEW_KINDS, one_of


class RecordView(SQLModel, table=True):
    """One view of a pupil's named record: ``actor`` (as in ``AuditEntry.actor``) saw the
    pupil's name on ``page`` at ``at`` (UTC), with names shown on screen or in a download."""

    __tablename__ = "record_view"
    __table_args__ = (one_of("kind", VIEW_KINDS, "ck_record_view_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str = Field(max_length=120)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    #: The page's title, as the menu names it ("Fair Access cases").
    page: str = Field(max_length=60)
    kind: str = Field(max_length=12)
