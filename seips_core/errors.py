"""The errors a user may see: each names what was wrong and, where one applies, the rule."""

from collections.abc import Iterable
from dataclasses import dataclass


class SeipsError(Exception):
    """Base of every user-facing error of the store and services."""


class Conflict(SeipsError):
    """Someone else saved the same row since it was read: reload, then change it again."""


class NotAllowed(SeipsError):
    """The acting user's role does not allow this change."""


class RuleViolation(SeipsError):
    """A change that a rule of docs/rules.md refuses; the message starts with the rule id."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule


class InvalidValue(SeipsError):
    """A value a service refuses (an email, a password, a setting): the message names the field."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of a form, in the words shown beside that field.

    ``field`` is the field's label on screen ("Hours a week"), None for a problem with the
    submission as a whole; ``rule`` the rule id of docs/rules.md that refuses it, said at the
    end ("Hours a week: 30 is more than the 25 R8 allows (R8)").
    """

    field: str | None
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        said = f"{self.field}: {self.message}" if self.field else capital(self.message)
        return f"{said} ({self.rule})" if self.rule else said


class Problems(InvalidValue):
    """Every problem of one submission, found together, so that a form can say them all at
    once (issue 15) rather than one per try. Nothing of the submission was saved.

    An ``InvalidValue``: code that catches one refused value catches a list of them.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(_sentence(str(problem)) for problem in self.problems))


def refuse_any(problems: Iterable[Problem]) -> None:
    """Raise ``Problems`` if there are any: the one way a service refuses what was entered."""
    found = tuple(problems)
    if found:
        raise Problems(found)


def problems_of(error: SeipsError) -> tuple[Problem, ...]:
    """What ``error`` says, as problems a form can place: its own list for ``Problems``; for
    a single refusal, the field it names before the first colon ("Start date: …"), which a
    form matches against its labels (a sentence that names none stays with the form)."""
    if isinstance(error, Problems):
        return error.problems
    rule = error.rule if isinstance(error, RuleViolation) else None
    text = str(error).removeprefix(f"{rule}: ") if rule else str(error)
    field, colon, rest = text.partition(": ")
    if colon and rest and len(field) <= 60 and "." not in field:
        return (Problem(field, rest.rstrip("."), rule),)
    return (Problem(None, text.rstrip("."), rule),)


def capital(text: str) -> str:
    """``text`` with its first letter a capital: a sentence said on its own."""
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


class StoreBusy(SeipsError):
    """Another change held the store for longer than a writer waits (a long import, a backup).

    Nothing of this change was saved; trying again in a moment works once the other is done.
    """


class WrongStore(SeipsError):
    """Demo and real data never mix: real data for a demo store, or demo data for a real one."""
