"""Rows made in plain Python, with their ids handed out up front.

Giving every row its id as it is made lets a story link rows (a decision to its agenda item,
a placement to its provider) without asking the database, so a whole area is built in memory
and written in bulk.
"""

from collections import defaultdict
from itertools import count

from sqlmodel import SQLModel

Row = dict[str, object]


class Rows:
    """The rows waiting to be written, per table, and the next id of every table."""

    def __init__(self) -> None:
        self._ids: defaultdict[str, count] = defaultdict(lambda: count(1))
        self.tables: defaultdict[str, list[Row]] = defaultdict(list)

    def add(self, model: type[SQLModel], **values: object) -> int:
        """Queue one row of ``model``; returns its id."""
        return self.add_row(model, **values)["id"]

    def add_row(self, model: type[SQLModel], **values: object) -> Row:
        """Queue one row of ``model``; returns the row itself, for a story to finish later."""
        table = model.__tablename__
        row = {"id": next(self._ids[table]), **values}
        self.tables[table].append(row)
        return row

    def find(self, model: type[SQLModel], row_id: int) -> Row:
        """A queued row by id (for the few deliberate cases that adjust a made row)."""
        return next(r for r in self.tables[model.__tablename__] if r["id"] == row_id)

    def drain(self) -> dict[str, list[Row]]:
        """Hand over the queued rows and start an empty queue; ids keep counting."""
        tables, self.tables = dict(self.tables), defaultdict(list)
        return tables
