"""A cheap number that changes whenever the store does, for the pages' caches."""

from sqlalchemy import func, select
from sqlmodel import Session

from ..models import AuditEntry, User, UserPartnership

#: Accounts are not case data: a sign-in (which records its time and resets the wrong-password
#: count) must not throw away every page's cached figures. The Users page reads them uncached.
_NOT_CASE_DATA = (User.__tablename__, UserPartnership.__tablename__)


def change_marker(session: Session) -> int:
    """The newest audit entry's id about case data (0 for a store never written to).

    Every audited write adds an ``AuditEntry``, so a page whose cached figures are keyed on
    this number recomputes them after any change of case data and not before. The newest
    entries are read backwards along the primary key until one is not about accounts: a
    handful of rows at most, on both SQLite and PostgreSQL.
    """
    newest = select(func.max(AuditEntry.id)).where(AuditEntry.table_name.not_in(_NOT_CASE_DATA))
    return session.scalar(newest) or 0
