"""The PostgreSQL role docs/operations.md gives the dashboard: it owns nothing and may not
UPDATE, DELETE or TRUNCATE the audit trail, so it cannot take the trail's triggers away."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import make_url, text

from seips_core.db import get_engine


@contextmanager
def dashboard_role(owner_url: str) -> Iterator[str]:
    """Make the role with the guide's grants on the store at ``owner_url`` (its tables made
    already); the URL that signs in as it. The role goes again on exit."""
    role = f"seips_dashboard_{uuid.uuid4().hex[:8]}"
    database = make_url(owner_url).database
    owner = get_engine(owner_url)
    with owner.begin() as connection:
        for statement in (
            f"CREATE ROLE {role} LOGIN",
            f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON auditentry FROM {role}",
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
        ):
            connection.execute(text(statement))
    url = make_url(owner_url).set(username=role, password=None)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        get_engine(url.render_as_string(hide_password=False)).dispose()
        with owner.begin() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
