"""The shared shape of every stored row."""

from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


class Versioned(SQLModel):
    """A mutable row with a version number for optimistic locking.

    SQLAlchemy adds ``AND version = :old`` to every UPDATE and DELETE and bumps the number, so
    a co-ordinator saving over a row someone else changed since it was read gets a
    ``StaleDataError`` (turned into ``seips_core.errors.Conflict`` by ``db.write_session``)
    instead of silently overwriting it.
    """

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}
