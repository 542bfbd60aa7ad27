"""What the service tests share: the acting command line, the target user, a store snapshot."""

from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from seips_core.auth.roles import SYSTEM_ACTOR, Role

ADMIN_CLI = SYSTEM_ACTOR("cli:test")
#: A user the account services act on: a viewer of NW.
TARGET = "target.viewer@shire.example"


def email_of(role: Role) -> str:
    """The email of the store's user with ``role``."""
    return f"{role.value}@shire.example"


def every_row(engine: Engine) -> dict[str, list[tuple]]:
    """The whole store, audit trail included: equal before and after means nothing changed."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(r)
                for r in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }
