"""Times as the county reads them: the UK's clock (GMT or BST), whatever the server's zone.

The store keeps UTC; whatever is shown or typed as a day or an hour means UK time.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

COUNTY_TIME = ZoneInfo("Europe/London")


def clock_time(moment: datetime) -> str:
    """ "14:05": the UK clock at ``moment``; a naive moment is the store's UTC (SQLite hands
    datetimes back without their zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COUNTY_TIME).strftime("%H:%M")


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` on the UK clock, as an aware datetime."""
    return datetime.combine(day, time(), COUNTY_TIME)
