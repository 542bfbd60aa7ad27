"""How far a long piece of work has gone (import, export, sample, backup, restore), told to
whoever shows it.

The library only reports; it never draws, so it stays free of Streamlit and of any terminal
library. A long operation takes a ``progress`` argument and calls it at each step: ``seips``
passes progress bars when it runs on a terminal (``cli_progress``); the dashboard, the tests
and a script pass nothing and the default, ``silent``, drops every report.

Reports come per file, table, batch or area, never per row, so reporting costs nothing
measurable even for a 200,000-row import.
"""

from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import Protocol, TypeVar

Item = TypeVar("Item")


class Progress(Protocol):
    """Receives the reports of one operation, step after step, in the order they happen."""

    def __call__(self, step: str, done: int, total: int | None) -> None:
        """``done`` of ``total`` units of ``step`` are finished (``total`` None: not known).

        A step is a phase of the work in a few plain words ("reading files", "writing
        pupils"); it begins with its first report and ends when the next step's first report
        comes (or the operation returns). ``done`` grows within a step; a step that has to
        be done again (the import's rows made afresh under the lock) starts again from 0.
        """


def silent(step: str, done: int, total: int | None) -> None:
    """Reports to no one: the default of every operation that takes a ``Progress``."""


class _SizedIterable(Sized, Iterable[Item], Protocol[Item]):
    """A collection with a length (a list, a dict, a range)."""


def counted(
    progress: Progress,
    step: str,
    items: _SizedIterable[Item],
    size: Callable[[Item], int] | None = None,
) -> Iterator[Item]:
    """Each of ``items`` in turn, reporting ``step`` as 0 done at the start and each item's
    work as done once it finishes (when the loop asks for the next item).

    An item counts one, or ``size(item)`` units (a file's rows, a batch's rows), so that the
    total is in the units an operator thinks in.
    """
    total = len(items) if size is None else sum(size(item) for item in items)
    done = 0
    progress(step, done, total)
    for item in items:
        yield item
        done += 1 if size is None else size(item)
        progress(step, done, total)


@contextmanager
def one_step(progress: Progress, step: str) -> Iterator[None]:
    """A step that is one piece of work (saving a workbook, refreshing statistics): reported
    as 0 of 1 before it and 1 of 1 once it is done."""
    progress(step, 0, 1)
    yield
    progress(step, 1, 1)
