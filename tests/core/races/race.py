"""The race harness: N writers released together, each on its own connection (issue 11).

Each writer runs in a thread with an engine (and so a connection pool) of its own, as two
dashboard processes would, opened before the start so that connecting is not part of the
race; all wait at one ``threading.Barrier`` and call the service at the same moment. What
each got back is kept: the service's answer, a refusal the user would read (``SeipsError``),
or anything else (an ``IntegrityError``, a traceback), which no race may end in.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from seips_core.auth.roles import Actor
from seips_core.db import new_engine, read_session
from seips_core.errors import Conflict, SeipsError
from seips_core.models import AuditEntry

#: The day of the sample county's NW panel meeting (still open), where the races are run.
TODAY = date(2026, 11, 25)
#: Long enough for sixteen writers queueing on SQLite's busy timeout, short of a hung test.
JOIN_SECONDS = 120


@dataclass
class Race:
    """What the writers of one race got: by writer, its answer or its refusal."""

    writers: int
    answers: dict[int, object] = field(default_factory=dict)
    refusals: dict[int, SeipsError] = field(default_factory=dict)
    errors: dict[int, BaseException] = field(default_factory=dict)

    @property
    def saved(self) -> list[int]:
        return sorted(self.answers)

    @property
    def conflicts(self) -> list[int]:
        return sorted(i for i, refusal in self.refusals.items() if isinstance(refusal, Conflict))

    def summary(self, duplicates: int) -> str:
        """The figures quoted for the race: writers, saved, conflicts, other refusals, errors."""
        others = len(self.refusals) - len(self.conflicts)
        return (
            f"{self.writers} writers: {len(self.saved)} saved, {len(self.conflicts)} conflicts, "
            f"{others} other refusals, {len(self.errors)} errors, {duplicates} duplicates"
            + "".join(f"\n  writer {i}: {error!r}" for i, error in sorted(self.errors.items()))
        )


def race(engine: Engine, writers: int, call: Callable[[Engine, int], object]) -> Race:
    """Run ``call(engine_of_writer, writer)`` for each of ``writers`` writers at once."""
    url = engine.url.render_as_string(hide_password=False)
    engines = [new_engine(url) for _ in range(writers)]
    for each in engines:
        each.connect().close()  # the pool keeps it: the race starts connected
    barrier = threading.Barrier(writers)
    outcome = Race(writers)

    def writer(index: int) -> None:
        barrier.wait()
        try:
            outcome.answers[index] = call(engines[index], index)
        except SeipsError as refusal:
            outcome.refusals[index] = refusal
        except BaseException as error:  # kept, and reported by the test
            outcome.errors[index] = error

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    for each in engines:
        each.dispose()
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return outcome


def audit_of(engine: Engine, model: type[SQLModel], since: int) -> list[AuditEntry]:
    """The audit entries of ``model``'s table written after entry ``since``, oldest first."""
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.table_name == model.__tablename__, AuditEntry.id > since)
                .order_by(AuditEntry.id)
            )
        )


def last_audit_id(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0)))


def first_saver_wins(
    outcome: Race,
    people: list[Actor],
    rows: int,
    audited: list[AuditEntry],
    *,
    refusal: type[SeipsError] = Conflict,
) -> str:
    """One writer saved, each other was refused (``refusal``) naming them, the store holds one
    row of the thing (``rows``) and the audit trail only the winner's change. The figures."""
    summary = outcome.summary(duplicates=max(rows - 1, 0))
    print(f"\n{summary}")
    assert not outcome.errors, summary
    assert len(outcome.saved) == 1, summary
    (winner,) = (people[i] for i in outcome.saved)
    refused = sorted(i for i, r in outcome.refusals.items() if isinstance(r, refusal))
    assert refused == [i for i in range(outcome.writers) if i not in outcome.saved], summary
    for index in refused:
        message = str(outcome.refusals[index])
        assert winner.display_name in message, f"{summary}\n  writer {index}: {message}"
    assert rows == 1, summary
    assert audited and {entry.actor for entry in audited} == {winner.email}, summary
    return summary


def saved_in_turn(
    outcome: Race, people: list[Actor], audited: list[AuditEntry], *, all_differ: bool = True
) -> str:
    """Every writer saved, each change audited as its writer's, and none written over unseen:
    each change to a row starts from the row as the change before it left it. ``all_differ``
    False: writers may repeat the value before them, a save that changes nothing (unaudited).
    """
    summary = outcome.summary(duplicates=0)
    print(f"\n{summary}")
    assert not outcome.errors, summary
    assert outcome.saved == list(range(outcome.writers)), summary
    actors = {entry.actor for entry in audited}
    writers = {actor.email for actor in people}
    assert actors == writers if all_differ else actors and actors <= writers, summary
    last_after: dict[int, dict] = {}
    for entry in audited:
        if entry.action == "update" and entry.row_id in last_after:
            assert _values(entry.before) == last_after[entry.row_id], summary
        if entry.after is not None:
            last_after[entry.row_id] = _values(entry.after)
    return summary


def _values(dumped: str) -> dict:
    """An audit entry's row values but the version (the trail's "before" holds the new one)
    and secrets (said only as "(set)" or "(changed)")."""
    values = json.loads(dumped)
    values.pop("version", None)
    values.pop("password_hash", None)
    return values
