"""Local passwords: argon2id hashes (argon2-cffi), never the password itself.

A hash made with older cost parameters is still accepted and replaced on the next successful
sign-in (``needs_rehash``), so raising the parameters needs no migration.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import InvalidValue

#: NCSC and NIST advise length over composition rules: a short phrase of several words.
MIN_LENGTH = 12

_HASHER = PasswordHasher()


def check_password(password: str) -> None:
    """Refuse a password shorter than ``MIN_LENGTH`` characters, saying why."""
    if len(password) < MIN_LENGTH:
        raise InvalidValue(
            f"Password: use at least {MIN_LENGTH} characters ({len(password)} given); "
            "a few unrelated words make a strong one."
        )


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The argon2 hash of an acceptable ``password`` (a fresh random salt unless given)."""
    check_password(password)
    return _HASHER.hash(password, salt=salt)


def verify_password(password_hash: str, password: str) -> bool:
    """Does ``password`` match ``password_hash``? A damaged hash matches nothing."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Was the hash made with other parameters than today's?"""
    return _HASHER.check_needs_rehash(password_hash)
