"""The sample county's day for the Fair Access tests, and plain-SQL counts to check figures by.

The counts here read the tables with hand-written SQL and count school days from the stored
term dates day by day, so that no figure is checked against the code under test.
"""

from datetime import date, timedelta

from sqlalchemy import Engine, text

#: As the page tests' store (tests/pages/conftest.py): seed 7 on Wednesday 4 March 2026. The
#: sample plants in NW a case not on roll weeks after its decision (R13), one accepted with no
#: category (R20), one near and one past R21's twenty school days.
TODAY = date(2026, 3, 4)
SEED = 7


def plain(engine: Engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def cases_referred(engine: Engine, code: str | None, on: date, year_group: int | None) -> int:
    """Fair Access cases referred by ``on`` in partnership ``code`` (None: all)."""
    sql = (
        "SELECT count(*) FROM fairaccesscase f JOIN partnership p ON p.id = f.partnership_id "
        "WHERE f.referred_date <= :on"
    )
    params: dict[str, object] = {"on": on}
    if code is not None:
        sql += " AND p.code = :code"
        params["code"] = code
    if year_group is not None:
        sql += " AND f.year_group = :year"
        params["year"] = year_group
    ((count,),) = plain(engine, sql, **params)
    return count


def as_date(value: date | str) -> date:
    """A date as either engine returns it to plain SQL (SQLite: ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def school_days_after(engine: Engine, start: date, upto: date) -> int:
    """Weekdays after ``start`` up to ``upto`` that fall inside a stored term (R21)."""
    terms = [
        (as_date(first), as_date(last))
        for first, last in plain(engine, "SELECT start_date, end_date FROM termdate")
    ]
    day, count = start + timedelta(days=1), 0
    while day <= upto:
        if day.weekday() < 5 and any(first <= day <= last for first, last in terms):
            count += 1
        day += timedelta(days=1)
    return count
