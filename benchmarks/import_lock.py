"""How long a large import holds the store's write lock, and how long a meeting waits for it.

Run ``python -m benchmarks.import_lock [--pupils N] [--url URL]``. It writes a synthetic
import (a few partnerships, a few hundred schools and N pupils, 200,000 by default) as CSV
files, imports it into a new SQLite store and prints the import's total time, the time spent
inside its write transaction (on SQLite, the time the write lock is held: no other change can
be saved meanwhile) and, for small audited writes made every 0.2 s by another thread during
the import (as a meeting's attendance ticks are), how many there were and the longest wait;
then the importing thread's CPU time in each step the import reports to its progress.
With ``--url`` (or ``SEIPS_DATABASE_URL``) naming a PostgreSQL server, it does the same in a
database it creates there and drops afterwards. It asserts nothing about time.
"""

import argparse
import csv
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy import Engine, event, select

from seips_core.db import get_engine, write_session
from seips_core.migrate import upgrade
from seips_core.models import Partnership
from seips_core.transfer import import_path

PUPILS = 200_000
PUPILS_PER_SCHOOL = 500
SCHOOLS_PER_PARTNERSHIP = 40
TICK_SECONDS = 0.2
#: The partnership whose name the ticking thread rewrites (not part of the import).
TICKED = "TICK"


def write_import(folder: Path, pupils: int, *, prefix: str = "BM") -> Path:
    """A folder of CSV files holding ``pupils`` pupils, their schools and partnerships.

    Keys start with ``prefix`` (URNs from 700,000), so that it does not clash with the
    worked example in ``sample_data``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    schools = max(1, -(-pupils // PUPILS_PER_SCHOOL))
    partnerships = max(1, -(-schools // SCHOOLS_PER_PARTNERSHIP))
    _write(
        folder / "partnerships.csv",
        ["code", "name"],
        ([f"{prefix}{p}", f"Benchmark partnership {p}"] for p in range(partnerships)),
    )
    _write(
        folder / "schools.csv",
        ["urn", "name", "partnership_code", "number_on_roll", "local_authority"],
        (
            [700_000 + s, f"School {s}", f"{prefix}{s // SCHOOLS_PER_PARTNERSHIP}", 900, "Shire"]
            for s in range(schools)
        ),
    )
    _write(
        folder / "pupils.csv",
        ["case_ref", "first_name", "last_name", "date_of_birth", "year_group", "school_urn",
         "home_la", "sen_support", "pupil_premium"],
        (
            [f"{prefix}-{n:07d}", f"First{n}", f"Last{n}", f"{2008 + n % 6}-0{1 + n % 9}-1{n % 9}",
             7 + n % 7, 700_000 + n // PUPILS_PER_SCHOOL, "Shire County",
             "yes" if n % 7 == 0 else "no", "yes" if n % 3 == 0 else "no"]
            for n in range(pupils)
        ),
    )  # fmt: skip
    return folder


def _write(path: Path, header: list[str], rows: Iterator[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@dataclass
class LockClock:
    """Times the write transactions one thread makes (from its BEGIN to its COMMIT)."""

    thread: int = field(default_factory=threading.get_ident)
    started: tuple[float, float] | None = None
    #: Per transaction: seconds on the clock, and the importing thread's CPU seconds (which a
    #: busy machine does not inflate).
    held: list[tuple[float, float]] = field(default_factory=list)

    def watch(self, engine: Engine) -> None:
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, connection) -> None:
        mine = threading.get_ident() == self.thread
        if mine and connection.get_execution_options().get("seips_write"):
            self.started = (time.perf_counter(), time.thread_time())

    def _end(self, _connection) -> None:
        if self.started is not None and threading.get_ident() == self.thread:
            wall, cpu = self.started
            self.held.append((time.perf_counter() - wall, time.thread_time() - cpu))
            self.started = None


@dataclass
class StepClock:
    """A ``Progress`` that times each step of the import in the importing thread's CPU seconds,
    from its first report to the next step's."""

    steps: dict[str, float] = field(default_factory=dict)
    current: tuple[str, float] | None = None

    def __call__(self, step: str, done: int, total: int | None) -> None:
        if self.current is None or self.current[0] != step:
            self.finish()
            self.current = (step, time.thread_time())

    def finish(self) -> None:
        if self.current is not None:
            step, began = self.current
            self.steps[step] = self.steps.get(step, 0.0) + time.thread_time() - began
            self.current = None


@dataclass
class Ticker:
    """Another user's small audited writes while the import runs, each timed."""

    engine: Engine
    waits: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(TICK_SECONDS):
            began = time.perf_counter()
            try:
                with write_session("benchmark tick", self.engine) as session:
                    ticked = session.scalars(
                        select(Partnership).where(Partnership.code == TICKED)
                    ).one()
                    ticked.name = f"Ticked at {began:.3f}"
            except Exception as error:
                self.failures.append(f"{type(error).__name__}: {error}")
            self.waits.append(time.perf_counter() - began)


def measure(url: str, folder: Path) -> None:
    """Import ``folder`` into the new store at ``url`` with ticks alongside; print figures."""
    upgrade(url)
    engine = get_engine(url)
    with write_session("benchmark", engine) as session:
        session.add(Partnership(code=TICKED, name="Ticked"))
    clock = LockClock()  # this thread's: the import's, not the ticks'
    clock.watch(engine)
    ticker = Ticker(engine)
    thread = threading.Thread(target=ticker.run)
    thread.start()
    steps = StepClock()
    began, began_cpu = time.perf_counter(), time.thread_time()
    try:
        counts = import_path(folder, engine, actor="benchmark", progress=steps)
    finally:
        ticker.stop.set()
        thread.join()
    steps.finish()
    total, total_cpu = time.perf_counter() - began, time.thread_time() - began_cpu
    held, held_cpu = max(clock.held, default=(0.0, 0.0))
    rows = sum(counts.values())
    print(f"{engine.dialect.name}: imported {rows:,} rows ({counts['pupils']:,} pupils)")
    print(f"  total time                          {total:8.1f} s   (CPU {total_cpu:.1f} s)")
    print(f"  write transaction (lock held)       {held:8.1f} s   (CPU {held_cpu:.1f} s)")
    print(f"  ticks during the import             {len(ticker.waits):8d}")
    print(f"  longest tick (wait included)        {max(ticker.waits, default=0):8.2f} s")
    print(f"  ticks refused                       {len(ticker.failures):8d}")
    for failure in ticker.failures[:3]:
        print(f"    {failure}")
    print("  CPU per step (from its first report to the next step's)")
    for step, cpu in steps.steps.items():
        print(f"    {step:<34}{cpu:8.1f} s")


@contextmanager
def _postgres_database(server_url: str) -> Iterator[str]:
    """A new database on the server of ``server_url``, dropped afterwards."""
    name = f"seips_bench_{uuid.uuid4().hex[:12]}"
    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = plain.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=PUPILS)
    parser.add_argument("--url", default=os.environ.get("SEIPS_DATABASE_URL", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = write_import(Path(temporary) / "import", args.pupils)
        measure(f"sqlite:///{Path(temporary) / 'seips.db'}", folder)
        if args.url.startswith("postgres"):
            with _postgres_database(args.url) as url:
                measure(url, folder)


if __name__ == "__main__":
    main()
