"""A meeting's quorum: enough member schools present for the panel to decide.

Not one of the catalogue's rules (R1–R28): neither the co-ordinators' FAQ nor the advice to
City schools sets a quorum. Each partnership's terms of reference do, so it is a partnership
setting (``Partnership.quorum_schools``); where none is set, a **majority of the member
schools** (more than half), the usual rule for a body whose constitution says nothing.

Quorum is kept apart from R13a. R13a asks whether every member school was *told* of the
meeting (it decides whether a Fair Access allocation binds); quorum asks whether enough came
(it decides whether the panel could decide at all). A school told and absent counts for R13a
and against quorum. A decision saved without a quorum is saved, with a warning and a line in
the minutes: the chair judges, the dashboard records.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


def majority(members: int) -> int:
    """More than half of ``members``: 4 of 6, 4 of 7."""
    return members // 2 + 1


@dataclass(frozen=True)
class Quorum:
    """A meeting's quorum as its invitations stand."""

    #: Member schools of the partnership.
    members: int
    #: Member schools that must be present; never more than there are (a school that left
    #: would otherwise make the panel unable to decide), never fewer than one.
    needed: int
    #: True when ``needed`` is the default (a majority), not the partnership's own number.
    default: bool
    #: Member schools told of the meeting by its day (R13a): who is expected before it.
    told: int
    #: Member schools ticked present.
    present: int
    #: Has any attendance been ticked (present or absent)? Until then, the meeting has not
    #: started as far as the store knows, and only ``told`` says anything.
    recorded: bool

    @property
    def met(self) -> bool:
        """Enough member schools ticked present."""
        return self.present >= self.needed

    @property
    def reachable(self) -> bool:
        """Could it be met, were every school told to come?"""
        return self.told >= self.needed

    @property
    def rule(self) -> str:
        """ "4 of 7 member schools (a majority)", or "(the partnership's quorum)"."""
        whose = "a majority" if self.default else "the partnership's quorum"
        return f"{self.needed} of {self.members} member schools ({whose})"

    def summary(self) -> str:
        """One line for a page, the minutes or Home: present once attendance is ticked, else
        expected from the schools told of the meeting."""
        if self.recorded:
            verdict = "quorate" if self.met else "not quorate"
            return f"Quorum: {self.present} present, {self.rule} needed: {verdict}."
        expected = (
            "enough to be quorate if they come"
            if self.reachable
            else "too few to be quorate: notify more schools"
        )
        return (
            f"Quorum: {self.rule} needed; no attendance ticked yet; {self.told} told of the "
            f"meeting, {expected}."
        )

    def warning(self) -> str | None:
        """What to say beside a decision saved without a quorum (None when quorate or when
        no attendance is ticked yet)."""
        if not self.recorded or self.met:
            return None
        return (
            f"Quorum: only {self.present} member school(s) present, {self.needed} needed: "
            "saved, and the minutes say the panel was not quorate."
        )


def quorum(
    setting: int | None, meeting_date: date, schools: Iterable[tuple[date | None, bool | None]]
) -> Quorum:
    """The quorum of a meeting on ``meeting_date`` from the partnership's ``setting`` (None:
    a majority) and, per member school, (the day it was notified, whether it attended)."""
    schools = list(schools)
    members = len(schools)
    wanted = majority(members) if setting is None else setting
    return Quorum(
        members=members,
        needed=max(1, min(wanted, members)),
        default=setting is None,
        told=sum(1 for told, _came in schools if told is not None and told <= meeting_date),
        present=sum(1 for _told, came in schools if came is True),
        recorded=any(came is not None for _told, came in schools),
    )
