"""The refusal of signing in, worded for the person at the keyboard."""

from ..errors import SeipsError


class SignInRefused(SeipsError):
    """Signing in failed; the message never says whether the email is registered."""
