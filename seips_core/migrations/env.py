"""Alembic environment: migrates the store that ``seips_core.db`` opens."""

from alembic import context
from sqlmodel import SQLModel

import seips_core.models  # noqa: F401  (registers every table on the metadata)
from seips_core.db import get_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = get_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
