"""The audit trail is append-only: no service changes or deletes an entry, and no session can."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from service_store import every_row
from sqlalchemy import delete, select, update

import seips_core.auth
import seips_core.services
from seips_core.audit import APPEND_ONLY, BY_HAND
from seips_core.db import read_session, write_session
from seips_core.errors import NotAllowed
from seips_core.models import AuditEntry

#: update(AuditEntry), delete(AuditEntry), session.delete(entry), or an entry's field assigned.
REWRITES = re.compile(
    r"(update|delete)\(\s*AuditEntry|\.delete\(\s*\w*entr|\bentr\w*\.\w+\s*=(?!=)|"
    r"(UPDATE|DELETE FROM)\s+auditentry",
    re.IGNORECASE,
)


def sources() -> list[Path]:
    folders = [Path(seips_core.services.__file__).parent, Path(seips_core.auth.__file__).parent]
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


def test_the_pattern_catches_a_rewrite():
    assert REWRITES.search("session.execute(update(AuditEntry).values(actor='x'))")
    assert REWRITES.search("session.delete(entry)")
    assert not REWRITES.search("session.execute(insert(AuditEntry), rows)")


def test_no_service_updates_or_deletes_an_audit_entry():
    found = [
        f"{path.name}: {line.strip()}"
        for path in sources()
        for line in path.read_text().splitlines()
        if REWRITES.search(line)
    ]
    assert sources() and found == []


@pytest.fixture
def trail(store) -> list[int]:
    with read_session(store) as session:
        return list(session.scalars(select(AuditEntry.id)))


def change_an_entry(session) -> None:
    session.scalars(select(AuditEntry)).first().actor = "someone else"


def delete_an_entry(session) -> None:
    session.delete(session.scalars(select(AuditEntry)).first())


@pytest.mark.parametrize(
    "rewrite",
    [
        change_an_entry,
        delete_an_entry,
        lambda session: session.execute(update(AuditEntry).values(actor="someone else")),
        lambda session: session.execute(delete(AuditEntry)),
    ],
    ids=["change one", "delete one", "update statement", "delete statement"],
)
def test_a_write_session_refuses_to_change_or_delete_the_trail(store, trail, rewrite):
    assert trail, "the store's setup should have left audit entries"
    before = every_row(store)
    with (
        pytest.raises(NotAllowed, match=re.escape(APPEND_ONLY)),
        write_session("someone", store) as session,
    ):
        rewrite(session)
        session.flush()
    assert every_row(store) == before


def test_an_entry_added_by_hand_is_refused(store, trail):
    """It would skip ``append_entries`` and so the hash chain."""
    before = every_row(store)
    with (
        pytest.raises(NotAllowed, match=re.escape(BY_HAND)),
        write_session("someone", store) as session,
    ):
        forged = {"prev_hash": "0" * 64, "entry_hash": "0" * 64}
        session.add(
            AuditEntry(
                at=datetime.now(UTC), actor="x", action="insert", table_name="pupil", **forged
            )
        )
    assert every_row(store) == before
