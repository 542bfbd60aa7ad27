"""The errors a user may see: each names what was wrong and, where one applies, the rule."""


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


class StoreBusy(SeipsError):
    """Another change held the store for longer than a writer waits (a long import, a backup).

    Nothing of this change was saved; trying again in a moment works once the other is done.
    """


class WrongStore(SeipsError):
    """Demo and real data never mix: real data for a demo store, or demo data for a real one."""
