"""Which rows a figure counts: the partnership filter (R1, R2) and what is current on a date.

Shared by the page queries so that "Tier 4 today" or "placement running" means the same on
every page, and the same as in the flag catalogue.
"""

from datetime import date

from sqlalchemy import ColumnElement, and_, case, or_, select, true

from ..models import Partnership, Placement, Referral, School, TierChange


def _partnership_id(code: str):
    return select(Partnership.id).where(Partnership.code == code).scalar_subquery()


def in_partnership(partnership_id: ColumnElement[int], code: str | None) -> ColumnElement[bool]:
    """Rows of partnership ``code`` (R1); every row when ``code`` is None (the whole county)."""
    return true() if code is None else partnership_id == _partnership_id(code)


def school_in_partnership(school_id: ColumnElement[int], code: str | None) -> ColumnElement[bool]:
    """Rows whose school belongs to partnership ``code``.

    R2: the school decides the responsible partnership (the school on roll, or the excluding
    school), never the pupil's address.
    """
    if code is None:
        return true()
    return school_id.in_(select(School.id).where(School.partnership_id == _partnership_id(code)))


def tier_period_on(on: date) -> ColumnElement[bool]:
    """R6: the tier period covering ``on`` (it starts on ``from_date``, ends before ``to_date``).

    ``from_date <= on`` holds for nearly every period ever recorded, yet SQLite, given the
    index on ``from_date``, walks it row by row: 20x slower than reading the table on a
    national store. Inside a CASE the test is the same but no index can serve it, so both
    SQLite and PostgreSQL read the table and filter.
    """
    started = case((TierChange.from_date <= on, 1), else_=0) == 1
    return and_(started, or_(TierChange.to_date.is_(None), TierChange.to_date > on))


def referral_open_on(on: date) -> ColumnElement[bool]:
    """A referral received by ``on`` and not closed by then."""
    return and_(
        Referral.received_date <= on,
        or_(Referral.closed_date.is_(None), Referral.closed_date > on),
    )


def placement_current_on(on: date) -> ColumnElement[bool]:
    """The catalogue's "current placement": started by ``on``, not ended before it."""
    return and_(
        Placement.start_date <= on, or_(Placement.end_date.is_(None), Placement.end_date >= on)
    )
