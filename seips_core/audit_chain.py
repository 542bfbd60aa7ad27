"""The audit trail's hash chain: how an entry is hashed, and how the whole trail is checked.

Each entry stores ``prev_hash``, the ``entry_hash`` of the entry before it (``GENESIS`` for
the first), and its own ``entry_hash``: SHA-256 of ``prev_hash`` followed by a canonical
serialisation of its fields. The database triggers refuse UPDATE and DELETE on the trail; the
chain is what shows a change made anyway (by whoever can drop a trigger): an edited entry no
longer matches its own hash, and a deleted one leaves the entry after it pointing at a hash
that is no longer there. Removing the newest entries leaves a shorter chain that still links up,
so ``seips audit verify`` also prints the newest hash, for an operator to note and compare.

Redaction (issue 16, retention): the retention schedule must remove an anonymised pupil's name,
date of birth and free text from the trail too, yet an entry's hash covers its values. So the
schedule rewrites the personal values of ``before`` and ``after`` (the only columns the
database lets change) and, in the same transaction, appends a *redaction entry*
(``table_name`` ``auditentry``) whose ``after`` maps each redacted entry's id to the SHA-256 of
its redacted content (``content_digest``). A redacted entry no longer matches its own hash; it
is accepted when the newest redaction entry naming it holds the digest of its content as it now
stands. Its ``entry_hash`` stays, so the entry after it still links to it; the redaction entry is
chained like any other, so a forged or edited one breaks the chain; and a redacted entry changed
again afterwards matches neither its hash nor its digest.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter

from sqlalchemy import select
from sqlmodel import Session

from .models import AuditEntry

#: The ``prev_hash`` of the first entry: there is no entry before it.
GENESIS = "0" * 64
#: The fields an entry's hash covers (its id is not among them: ids are the database's).
HASHED_FIELDS = ("at", "actor", "action", "table_name", "row_id", "before", "after")
#: Entries read per query when verifying: a national store holds about a million.
VERIFY_BATCH = 10_000
#: The ``table_name`` of a redaction entry: it records a change to entries of the trail itself.
REDACTION = "auditentry"

# Made once: ``json.dumps`` with options builds an encoder per call, a third of the hashing time.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_AFTER_AT = itemgetter(*HASHED_FIELDS[1:])
_OPTIONAL = {"row_id": None, "before": None, "after": None}


@lru_cache(maxsize=1024)  # the entries of one write share their ``at``
def _utc(at: datetime) -> str:
    """One spelling of a moment, however the engine handed it back (SQLite drops the zone)."""
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.isoformat(timespec="microseconds")


def canonical(entry: Mapping) -> str:
    """The hashed text of an entry's fields: compact JSON, in ``HASHED_FIELDS`` order."""
    return _JSON.encode([_utc(entry["at"]), *_AFTER_AT(entry)])


def link_hash(prev_hash: str, entry: Mapping) -> str:
    """The ``entry_hash`` of ``entry`` when it follows the entry whose hash is ``prev_hash``."""
    return hashlib.sha256((prev_hash + canonical(entry)).encode()).hexdigest()


def content_digest(entry: Mapping) -> str:
    """The SHA-256 of an entry's hashed fields as they stand: what a redaction entry records."""
    return hashlib.sha256(canonical(entry).encode()).hexdigest()


def redaction_entry(digests: Mapping[int, str]) -> dict:
    """The ``after`` (and table) of the entry that records redacted entries' new digests."""
    redacted = {str(entry_id): digest for entry_id, digest in sorted(digests.items())}
    return {
        "table_name": REDACTION,
        "action": "update",
        "after": json.dumps({"redacted": redacted}, sort_keys=True),
    }


def chained(prev_hash: str, entries: Iterable[Mapping]) -> list[dict]:
    """``entries`` in order, each with its ``prev_hash`` and ``entry_hash``, after ``prev_hash``.

    An entry may leave out the fields that can be empty; they are stored and hashed as empty.
    """
    linked = []
    for entry in entries:
        complete = {**_OPTIONAL, **entry}
        entry_hash = link_hash(prev_hash, complete)
        linked.append({**complete, "prev_hash": prev_hash, "entry_hash": entry_hash})
        prev_hash = entry_hash
    return linked


@dataclass(frozen=True)
class Link:
    """How far a walk along the chain has got: the last entry checked (none yet: ``GENESIS``)."""

    entry_id: int | None
    entry_hash: str


@dataclass(frozen=True)
class Break:
    """The first entry at which the chain does not hold, and what is wrong there."""

    entry_id: int
    problem: str


@dataclass(frozen=True)
class TrailCheck:
    """A walk along the trail: the entries found intact, the last of them, the first break."""

    intact_entries: int
    newest: Link
    broken: Break | None


def _missing(entry_id: int, before: Link) -> str:
    """What a link that does not point at the entry before it means: entries taken out, or
    that entry rewritten together with its hash (when no id is missing between them)."""
    gone = "the entry it is chained to is no longer in the trail"
    if before.entry_id is None:
        return f"{gone}: the entries before it were deleted"
    gap = range(before.entry_id + 1, entry_id)
    if len(gap) == 1:
        return f"{gone}: entry {gap[0]} was deleted"
    if gap:
        return (
            f"{gone}: one or more entries with ids from {gap[0]} to {gap[-1]} were deleted "
            "(ids alone may skip on PostgreSQL when a write rolls back; a deleted entry also "
            "breaks the chain, as here)"
        )
    return (
        f"it is not chained to entry {before.entry_id}, the one before it: entry "
        f"{before.entry_id} was rewritten along with its hash"
    )


def _problem(entry: Mapping, before: Link, redacted: Mapping[int, str]) -> str | None:
    """What is wrong with ``entry`` when it follows ``before``, if anything: a redacted entry
    matches the digest its redaction entry recorded instead of its own hash."""
    if entry["prev_hash"] != before.entry_hash:
        return _missing(entry["id"], before)
    if link_hash(entry["prev_hash"], entry) == entry["entry_hash"]:
        return None
    digest = redacted.get(entry["id"])
    if digest is not None and content_digest(entry) == digest:
        return None
    if digest is not None:
        return "its content was changed after it was redacted: it no longer matches its digest"
    return "its content was changed after it was written: it no longer matches its hash"


def walk(
    entries: Iterable[Mapping], so_far: TrailCheck, redacted: Mapping[int, str] | None = None
) -> TrailCheck:
    """Carry the check ``so_far`` on through ``entries`` (the next ones in id order), accepting
    the entries ``redacted`` maps to the digest of their redacted content."""
    intact, last = so_far.intact_entries, so_far.newest
    for entry in entries:
        problem = _problem(entry, last, redacted or {})
        if problem:
            return TrailCheck(intact, last, Break(entry["id"], problem))
        intact, last = intact + 1, Link(entry["id"], entry["entry_hash"])
    return TrailCheck(intact, last, None)


def redactions(session: Session) -> dict[int, str]:
    """Each redacted entry's id and the digest of its content, from the newest redaction entry
    naming it (the schedule may redact an entry again). Whether those redaction entries are
    themselves intact is checked when the walk reaches them."""
    query = (
        select(AuditEntry.after).where(AuditEntry.table_name == REDACTION).order_by(AuditEntry.id)
    )
    digests: dict[int, str] = {}
    for after in session.scalars(query):
        redacted = json.loads(after or "{}").get("redacted", {})
        digests.update({int(entry_id): digest for entry_id, digest in redacted.items()})
    return digests


def verify_trail(session: Session, batch: int = VERIFY_BATCH) -> TrailCheck:
    """Walk the whole trail in id order, ``batch`` entries per query, to its end or first break."""
    redacted = redactions(session)
    columns = [AuditEntry.id, *(getattr(AuditEntry, f) for f in HASHED_FIELDS)]
    query = select(*columns, AuditEntry.prev_hash, AuditEntry.entry_hash).order_by(AuditEntry.id)
    check = TrailCheck(0, Link(None, GENESIS), None)
    while check.broken is None:
        after = check.newest.entry_id
        page = query if after is None else query.where(AuditEntry.id > after)
        entries = session.execute(page.limit(batch)).mappings().all()
        if not entries:
            break
        check = walk(entries, check, redacted)
    return check
