"""Password hashing: argon2 hashes, never the password, and a minimum length that says so."""

import pytest
from argon2 import PasswordHasher

from seips_core.auth.passwords import (
    MIN_LENGTH,
    check_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from seips_core.errors import InvalidValue

PASSWORD = "correct horse battery"


def test_the_stored_hash_is_argon2id_and_not_the_password():
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_the_hash_verifies_the_password_and_nothing_else():
    stored = hash_password(PASSWORD)
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD.upper())
    assert not verify_password(stored, "")


def test_the_same_password_hashes_differently_each_time():
    assert hash_password(PASSWORD) != hash_password(PASSWORD)


def test_a_damaged_hash_matches_nothing():
    assert not verify_password("not a hash", PASSWORD)


@pytest.mark.parametrize("length", [0, 1, MIN_LENGTH - 1])
def test_a_short_password_is_refused_naming_the_field_and_the_minimum(length):
    with pytest.raises(InvalidValue, match=f"Password: use at least 12 characters \\({length} "):
        hash_password("x" * length)


def test_twelve_characters_are_enough():
    check_password("x" * MIN_LENGTH)


def test_a_hash_made_with_other_parameters_needs_rehashing():
    cheaper = PasswordHasher(time_cost=1, memory_cost=8 * 1024).hash(PASSWORD)
    assert needs_rehash(cheaper)
    assert verify_password(cheaper, PASSWORD)
    assert not needs_rehash(hash_password(PASSWORD))
