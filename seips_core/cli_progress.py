"""Progress bars for ``seips``'s long commands (import, export, sample, backup, restore).

An operator at a terminal sees a bar per step of the work (reading files, checking rows,
writing each table…), each with its count and time, on stderr. A cron job or a script, whose
stderr is a log file or a pipe, gets none: a log should hold what happened, not bars redrawn
ten times a second. ``--quiet`` (``Quiet``) turns the bars off on a terminal too, and cuts the
summary on stdout to its one first line. Errors are unchanged: a few plain lines on stderr
and exit code 1.

A command takes ``quiet: Quiet = False`` and runs its work inside ``with
progress_shown(quiet) as progress:``, passing ``progress`` to the ``seips_core`` operation.
Rich's progress module is imported only when bars are drawn, so ``seips --help`` and
scripted runs never load it.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from .progress import Progress, silent

if TYPE_CHECKING:
    from rich.progress import Progress as Bars
    from rich.progress import TaskID

Quiet = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="No progress bars, and only the summary's first line (for scripts and cron). "
        "Bars are drawn only when stderr is a terminal anyway.",
    ),
]


def on_terminal() -> bool:
    """Is stderr, where the bars go, a terminal someone is watching?"""
    return sys.stderr.isatty()


@contextmanager
def progress_shown(quiet: bool) -> Iterator[Progress]:
    """Bars on stderr for the reports made inside the block, if it is a terminal and not
    ``quiet``; else ``silent``. The bars stay on screen when the block ends, or fails."""
    if quiet or not on_terminal():
        yield silent
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bars

    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn())
    console = Console(stderr=True)
    with Bars(*columns, TimeElapsedColumn(), console=console) as bars:
        yield _BarPerStep(bars)


class _BarPerStep:
    """A ``Progress`` that starts a new bar at each new step and moves it as reports come."""

    def __init__(self, bars: "Bars") -> None:
        self._bars = bars
        self._step: str | None = None
        self._task: TaskID | None = None

    def __call__(self, step: str, done: int, total: int | None) -> None:
        if self._task is None or step != self._step:
            self._step = step
            self._task = self._bars.add_task(step, total=total)
        self._bars.update(self._task, completed=done, total=total)


def say_counts(headline: str, counts: dict[str, int], quiet: bool) -> None:
    """The summary on stdout: ``headline``, then a line per table with its count unless
    ``quiet``."""
    typer.echo(f"{headline}." if quiet else f"{headline}:")
    if not quiet:
        for name, count in counts.items():
            typer.echo(f"  {name:<28}{count:>9,}")
