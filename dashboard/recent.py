"""Answers a live tick reads from the store, held a moment for every session of the process.

Thirty screens on one meeting tick twice a second each: without this, each tick asks the store
the same three things (does the wall link or the browser's session still stand, what is the
meeting's change marker) sixty times a second for the same answers. ``Recent`` keeps each
answer for a short time, shared by every session, so a tick mostly reads a dictionary
(issue 13: an idle screen costs almost nothing).

Staleness is bounded twice over. A commit through this process's engine (a save, a revoked
link, a sign-out: they are made on the same server as the screens that must notice them)
forgets every held answer at once. A write from elsewhere (another server process, the command
line) is seen once its answer's ``seconds`` have passed. A read that was under way while a
commit landed is not kept: it may have read the store from before the commit.
"""

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy import Engine, event

V = TypeVar("V")

#: The engines whose commits already forget held answers (by identity: tests open many).
_listened: set[int] = set()
#: Every ``Recent`` made, so that one commit forgets them all.
_all: list["Recent"] = []
#: Held answers past which those past their seconds are dropped.
HELD_AT_MOST = 256


class Recent(Generic[V]):
    """Answers by key, each trusted for ``seconds`` after it was read, shared by every session.

    Races between sessions only cost an extra read: a dictionary's get and set are atomic.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._held: dict[Hashable, tuple[float, V]] = {}
        #: Moves on every commit: a read begun before it is not kept.
        self._generation = 0
        _all.append(self)

    def get(self, engine: Engine, key: Hashable, read: Callable[[], V]) -> V:
        """The answer held for ``key`` (store ``engine``'s) if read within ``seconds``; else
        ``read()`` now, kept unless a commit landed meanwhile. ``read`` raising keeps nothing.
        """
        _forget_on_commit(engine)
        now = time.monotonic()
        key = (id(engine), key)
        held = self._held.get(key)
        if held is not None and now - held[0] < self.seconds:
            return held[1]
        generation = self._generation
        value = read()
        if generation == self._generation:
            if len(self._held) >= HELD_AT_MOST:
                self._drop_stale(now)
            self._held[key] = (now, value)
        return value

    def _drop_stale(self, now: float) -> None:
        """Forget the answers past their seconds: keys that are never asked again (an old
        marker's) would otherwise pile up between two commits through this process."""
        for key, (read_at, _value) in list(self._held.items()):
            if now - read_at >= self.seconds:
                self._held.pop(key, None)

    def forget(self) -> None:
        """Drop every held answer: the next ``get`` of each key reads the store."""
        self._generation += 1
        self._held.clear()


def _forget_all(_connection: object) -> None:
    for recent in _all:
        recent.forget()


def _forget_on_commit(engine: Engine) -> None:
    """Once per engine: each commit through it (reads never commit) forgets every answer."""
    if id(engine) not in _listened:
        event.listen(engine, "commit", _forget_all)
        _listened.add(id(engine))
