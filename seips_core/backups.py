"""Copies of a SQLite store (``seips backup``) and putting one back (``seips restore``).

A copy is made with SQLite's online backup API, whole even while the store is in use, and is
one self-contained file (rollback journal, not WAL), so that reading it later leaves nothing
beside it.

Restoring: everything that could go wrong is checked before the store is touched, and refused
in plain words (``RestoreRefused``):

1. the copy is a sound SQLite file (``PRAGMA integrity_check`` says ``ok``);
2. it is a SEIPS store of a schema this code knows: its ``alembic_version`` holds one of this
   code's revisions. A revision it does not know was made by a newer SEIPS, whose schema this
   one cannot run: install that version first. An older one is restored, then upgraded;
3. restoring loses no change: the store's newest audit entry is also in the copy (every write
   of case data is audited, so a store whose newest entry the copy lacks holds changes made
   since the copy, or is another store altogether). A store is "newer than the copy" exactly
   then, whatever the clocks say; ``force`` restores anyway.

Then the store is copied as it is to ``kept`` (the online backup API: whole even in WAL
mode), and the copy is written into the store's own file with the same API, under the store's
write lock, so its WAL and any connection left open see the restored store whole, never a
half-written file. A dashboard still running would carry on with the restored store and a
change it saves between the check and the restore would be lost: stop it first.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from .db import BUSY_TIMEOUT_MS
from .errors import SeipsError
from .migrate import alembic_config, upgrade
from .progress import Progress, one_step, silent
from .sqlite_copy import copy_database

#: The integrity check's first findings shown when a copy is damaged.
SHOWN_FINDINGS = 3
#: The fields that identify an audit entry in any version of the schema.
_ENTRY = "id, at, actor, action, table_name, row_id"


class RestoreRefused(SeipsError):
    """Nothing was restored: the copy is damaged, not a SEIPS store, from a newer SEIPS, or
    the store holds changes the copy lacks (without ``force``)."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: where the replaced store is kept (None if there was none), and the
    schema revision the copy had if the restore upgraded it."""

    kept: Path | None
    upgraded_from: str | None


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the SQLite file at ``path`` (never created if missing)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
        yield connection


def check_copy(copy: Path) -> str:
    """The schema revision of the sound SEIPS store at ``copy``; ``RestoreRefused`` if it is
    none."""
    if not copy.is_file():
        raise RestoreRefused(f"{copy}: no such file.")
    try:
        with _reading(copy) as connection:
            findings = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if findings != ["ok"]:
                raise RestoreRefused(_damaged(copy, "; ".join(findings[:SHOWN_FINDINGS])))
            revision = _revision(connection)
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(_damaged(copy, str(error))) from error
    if revision is None:
        raise RestoreRefused(
            f"{copy} is a SQLite file but not a SEIPS store (it has no schema revision): "
            "restore a copy made by `seips backup`."
        )
    if revision not in _known_revisions():
        raise RestoreRefused(
            f"{copy} was made by a newer version of SEIPS (its schema revision {revision} is "
            "unknown to this one): install that version or a later one, then restore it."
        )
    return revision


def _damaged(copy: Path, finding: str) -> str:
    return (
        f"{copy} is damaged or not a SQLite store ({finding}): nothing was restored. "
        "Restore an earlier copy."
    )


def _revision(connection: sqlite3.Connection) -> str | None:
    """The Alembic revision a store records, or None if it records none."""
    if not _has_table(connection, "alembic_version"):
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    found = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return connection.execute(found, (name,)).fetchone() is not None


def _known_revisions() -> set[str]:
    return {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }


def head_revision() -> str:
    """The newest schema revision this code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def changes_lost(store: Path, copy: Path) -> str | None:
    """What restoring ``copy`` over ``store`` would lose, in plain words, or None if nothing:
    the store has no audit entry, or its newest is in the copy too."""
    newest = _newest_entry(store)
    if newest is None:
        return None
    with _reading(copy) as connection:
        if _holds(connection, newest):
            return None
        copy_newest = _newest_entry_of(connection)
    when = f"at {str(newest[1])[:19]} UTC by {newest[2]}"
    if copy_newest is not None:
        with _reading(store) as connection:
            if _holds(connection, copy_newest):
                since = connection.execute(
                    "SELECT count(*) FROM auditentry WHERE id > ?", (copy_newest[0],)
                ).fetchone()[0]
                return (
                    f"the store holds {since:,} audited change(s) made since the copy, the "
                    f"newest {when}: restoring would lose them"
                )
    return (
        f"the copy is not an earlier state of the store: the store's newest change, {when}, "
        "is not in the copy, so restoring would lose it"
    )


def _newest_entry(store: Path) -> tuple | None:
    """The store's newest audit entry (``_ENTRY``), or None: no file, no trail, or empty."""
    if not store.is_file():
        return None
    try:
        with _reading(store) as connection:
            return _newest_entry_of(connection)
    except sqlite3.DatabaseError:
        return None  # a damaged store holds nothing a restore could lose that is readable


def _newest_entry_of(connection: sqlite3.Connection) -> tuple | None:
    if not _has_table(connection, "auditentry"):
        return None
    return connection.execute(
        f"SELECT {_ENTRY} FROM auditentry ORDER BY id DESC LIMIT 1"
    ).fetchone()


def _holds(connection: sqlite3.Connection, entry: tuple) -> bool:
    if not _has_table(connection, "auditentry"):
        return False
    same = " AND ".join(f"{name} IS ?" for name in _ENTRY.split(", "))
    return (
        connection.execute(f"SELECT 1 FROM auditentry WHERE {same}", entry).fetchone() is not None
    )


def restore(
    copy: Path, store: Path, kept: Path, *, force: bool = False, progress: Progress = silent
) -> Restored:
    """Put ``copy`` back as the SQLite store at ``store``, keeping the store it replaces at
    ``kept``; the schema brought to this code's newest. ``RestoreRefused``, and no change,
    if the copy is unfit or (without ``force``) the store holds changes the copy lacks.
    ``progress`` hears of the pages of the store kept, then of each step after it."""
    revision = check_copy(copy)
    if store.exists() and store.resolve() == copy.resolve():
        raise RestoreRefused(f"{copy} is the store itself: name a copy made by `seips backup`.")
    lost = None if force else changes_lost(store, copy)
    if lost:
        raise RestoreRefused(
            f"Nothing was restored: {lost}. Add --force to restore anyway (the store as it "
            f"is now is then kept at {kept})."
        )
    kept_at = None
    if store.is_file():
        copy_store(store, kept, progress)
        kept_at = kept
    timeout = BUSY_TIMEOUT_MS / 1000
    with (
        one_step(progress, "writing the copy into the store"),
        _reading(copy) as source,
        closing(sqlite3.connect(store, timeout=timeout)) as target,
    ):
        source.backup(target)
    if revision == head_revision():
        return Restored(kept_at, None)
    with one_step(progress, "upgrading the schema"):
        upgrade(f"sqlite:///{store.resolve()}")
    return Restored(kept_at, revision)


def copy_store(store: Path, destination: Path, progress: Progress = silent) -> None:
    """Copy the SQLite store at ``store`` to ``destination`` (its folder made if need be),
    whole even while it is in use (``sqlite_copy``: the store as the copy began, ``progress``
    told of the pages), as one self-contained file."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    copy_database(store, destination, progress)
    with closing(sqlite3.connect(destination)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")
