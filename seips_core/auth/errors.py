"""The refusal of signing in, worded for the person at the keyboard."""

from ..errors import SeipsError


class SignInRefused(SeipsError):
    """Signing in failed; the message never says whether the email is registered."""


class SessionEnded(SignInRefused):
    """A signed-in session is over: the account was removed or its sessions ended by an admin."""
