"""Copies a live SQLite database with SQLite's online backup API, telling ``progress`` of the
pages copied (``seips backup``, and a restore copying a backup back).

The copy goes in steps of ``PAGES_PER_STEP`` pages so that progress can be told between them.
SQLite starts a stepped backup again from the first page whenever another connection writes
to the source between two steps, so on a busy store it could run for ever; here the source
connection holds one read transaction across every step instead: the copy is the store as it
was when the copy began, and, the store being in WAL mode, writers carry on meanwhile.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from .progress import Progress, silent

#: 16 MiB of 4 KiB pages a step: a county's store is copied in a step or two, a national one
#: in about a hundred.
PAGES_PER_STEP = 4096
COPYING = "copying pages"


def copy_database(source: Path | str, destination: Path | str, progress: Progress = silent) -> None:
    """Copy the SQLite database at ``source`` to ``destination`` (made or replaced), as one
    consistent snapshot; ``sqlite3.Error`` if either cannot be used."""

    def copied(_status: int, remaining: int, total: int) -> None:
        progress(COPYING, total - remaining, total)

    with (
        closing(sqlite3.connect(source, isolation_level=None)) as reader,
        closing(sqlite3.connect(destination)) as copy,
    ):
        reader.execute("BEGIN")
        (pages,) = reader.execute("PRAGMA page_count").fetchone()  # the snapshot begins here
        progress(COPYING, 0, pages)
        reader.backup(copy, pages=PAGES_PER_STEP, progress=copied, sleep=0)
        reader.execute("ROLLBACK")
