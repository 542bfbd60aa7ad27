"""The audit trail rewritten as only the table's owner could: for tests that a change made
anyway is caught (``verify_trail``, ``seips audit verify``, ``seips doctor``)."""

from sqlalchemy import Engine, text


def drop_the_triggers(engine: Engine) -> None:
    """What only the table's owner can do: take the append-only triggers away."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER auditentry_append_only ON auditentry"))
        else:
            connection.execute(text("DROP TRIGGER auditentry_append_only_update"))
            connection.execute(text("DROP TRIGGER auditentry_append_only_delete"))


def rewrite_an_entry(engine: Engine) -> int:
    """Drop the triggers, then change the actor of the trail's first entry with plain SQL;
    that entry's id."""
    drop_the_triggers(engine)
    with engine.begin() as connection:
        entry_id = connection.execute(text("SELECT min(id) FROM auditentry")).scalar_one()
        connection.execute(
            text("UPDATE auditentry SET actor = 'nobody' WHERE id = :id"), {"id": entry_id}
        )
    return entry_id
