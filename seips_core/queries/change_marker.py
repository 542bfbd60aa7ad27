"""A cheap number that changes whenever the store does, for the pages' caches."""

from sqlalchemy import func, select
from sqlmodel import Session

from ..models import AuditEntry


def change_marker(session: Session) -> int:
    """The newest audit entry's id (0 for a store never written through a write session).

    Every audited write adds an ``AuditEntry``, so a page whose cached figures are keyed on
    this number recomputes them after any change and not before. ``MAX`` of the primary key
    is answered from the index on both SQLite and PostgreSQL.
    """
    return session.scalar(select(func.max(AuditEntry.id))) or 0
