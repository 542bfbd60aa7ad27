"""Wrong passwords slow the guesser, not the owner: waits kept in the store per email and
address, the same for an unknown email as for a known one, on each engine.

The accounts' hashes (and the decoy an unknown email is checked against) are made with cheap
argon2 parameters here: these tests make many tries, and what they check is the counting, not
the hashing's cost.
"""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from seips_core import db
from seips_core.auth import accounts, passwords
from seips_core.auth.accounts import NOT_RECOGNISED, add_user, authenticate, remove_user
from seips_core.auth.demo import DEMO_ACCOUNTS
from seips_core.auth.errors import SignInRefused
from seips_core.auth.roles import SYSTEM_ACTOR, Role
from seips_core.db import write_session
from seips_core.models import User

pytestmark = pytest.mark.postgres

ADMIN = SYSTEM_ACTOR("cli:test")
CHAIR = next(a for a in DEMO_ACCOUNTS if a.role is Role.CHAIR)
VIEWER = next(a for a in DEMO_ACCOUNTS if a.role is Role.VIEWER)
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
#: Longer than any wait, shorter than the hour after which a count is forgotten.
PAST_ANY_WAIT = timedelta(minutes=20)
GUESSER, OWNER = "203.0.113.7", "198.51.100.20"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hashes(store, monkeypatch) -> None:
    """The demo accounts' hashes, the decoy and new passwords with cheap parameters."""
    monkeypatch.setattr(passwords, "_HASHER", CHEAP)
    monkeypatch.setattr(accounts, "_decoy_hash", lambda: CHEAP.hash("nobody knows this one"))
    with write_session("test setup", store) as session:
        for account in DEMO_ACCOUNTS:
            user = session.scalars(select(User).where(User.email == account.email)).one()
            user.password_hash = CHEAP.hash(account.password)


def answer(engine, email: str, password: str, address: str, now: datetime) -> str:
    """What the sign-in says: the refusal's words, or "signed in"."""
    try:
        authenticate(engine, email, password, address=address, now=now)
    except SignInRefused as refused:
        return str(refused)
    return "signed in"


def guesses(engine, email: str, times: int, address: str = GUESSER) -> list[str]:
    """``times`` wrong passwords from ``address``, each once the last one's wait is over."""
    return [
        answer(engine, email, f"wrong guess {n}", address, START + n * PAST_ANY_WAIT)
        for n in range(times)
    ]


def seconds_said(message: str) -> int:
    """The wait a refusal announces, in seconds (0 when it announces none)."""
    found = re.search(r"[Ww]ait (\d+) (second|minute)", message)
    if found is None:
        return 0
    return int(found[1]) * (60 if found[2] == "minute" else 1)


def test_from_the_guessers_address_the_wait_grows_after_three_free_mistakes(store):
    said = guesses(store, CHAIR.email, 8)
    assert said[:3] == [NOT_RECOGNISED] * 3
    assert all(message.startswith(NOT_RECOGNISED) for message in said)
    assert [seconds_said(message) for message in said[3:]] == [2, 4, 8, 16, 32]


def test_a_try_inside_the_wait_is_refused_unchecked_even_with_the_right_password(store):
    guesses(store, CHAIR.email, 6)
    last = START + 5 * PAST_ANY_WAIT
    assert answer(store, CHAIR.email, CHAIR.password, GUESSER, last + timedelta(seconds=5)) == (
        "Too many wrong passwords: wait 3 seconds, then try again."
    )
    assert answer(store, CHAIR.email, CHAIR.password, GUESSER, last + timedelta(seconds=8)) == (
        "signed in"
    )


def test_the_owner_at_another_address_signs_in_at_once_after_ten_guesses(store):
    said = guesses(store, CHAIR.email, 10)
    last = START + 9 * PAST_ANY_WAIT
    assert said[-1] == f"{NOT_RECOGNISED} Wait 3 minutes before trying again."  # 128 s
    assert answer(store, CHAIR.email, CHAIR.password, GUESSER, last).startswith("Too many")
    assert answer(store, CHAIR.email, CHAIR.password, OWNER, last) == "signed in"


def test_guessers_at_many_addresses_do_not_slow_the_owner_where_she_signed_in_before(store):
    authenticate(store, CHAIR.email, CHAIR.password, address=OWNER, now=START)
    attack = START + timedelta(days=1)
    minute = timedelta(minutes=1)
    said = [
        answer(store, CHAIR.email, "a guess from a botnet", f"192.0.2.{n}", attack + n * minute)
        for n in range(40)
    ]
    assert [seconds_said(message) for message in said[10:17]] == [1, 2, 4, 8, 16, 32, 60]
    last = attack + 39 * minute
    assert answer(store, CHAIR.email, CHAIR.password, OWNER, last) == "signed in"
    # A new address waits the email's short wait: a minute at most, never a lock.
    assert answer(store, CHAIR.email, CHAIR.password, "192.0.2.200", last) == (
        "Too many wrong passwords: wait 60 seconds, then try again."
    )
    assert answer(store, CHAIR.email, CHAIR.password, "192.0.2.200", last + minute) == ("signed in")


def test_one_address_trying_many_emails_waits_after_ten(store):
    said = [
        answer(store, f"person{n}@shire.example", "a sprayed password", GUESSER, START)
        for n in range(11)
    ]
    assert said[:10] == [NOT_RECOGNISED] * 10
    assert seconds_said(said[10]) == 2
    assert answer(store, CHAIR.email, CHAIR.password, GUESSER, START).startswith("Too many")
    assert answer(store, CHAIR.email, CHAIR.password, OWNER, START) == "signed in"


def test_unknown_removed_and_sign_on_only_emails_earn_the_same_words_and_waits(store):
    remove_user(store, ADMIN, VIEWER.email)
    add_user(
        store, ADMIN, email="sso.only@shire.example", display_name="Sam Sign-On",
        role="viewer", partnerships=["NW"],
    )  # fmt: skip
    emails = [CHAIR.email, "nobody@shire.example", VIEWER.email, "sso.only@shire.example"]
    answers = {
        email: [
            answer(store, email, f"guess {n}", f"192.0.2.{i}", START + n * PAST_ANY_WAIT)
            for n in range(6)
        ]
        + [answer(store, email, "one more", f"192.0.2.{i}", START + 5 * PAST_ANY_WAIT)]
        for i, email in enumerate(emails)
    }
    assert answers[CHAIR.email][-1].startswith("Too many wrong passwords")
    assert all(said == answers[CHAIR.email] for said in answers.values())


def test_an_unknown_email_costs_the_same_hashing_as_a_wrong_password(store, monkeypatch):
    verified = []
    real = accounts.verify_password
    monkeypatch.setattr(
        accounts, "verify_password", lambda *args: verified.append(1) or real(*args)
    )
    for email, address in ((CHAIR.email, GUESSER), ("nobody@shire.example", OWNER)):
        verified.clear()
        for n in range(5):
            answer(store, email, f"guess {n}", address, START + n * PAST_ANY_WAIT)
        answer(store, email, "inside the wait", address, START + 4 * PAST_ANY_WAIT)
        assert len(verified) == 5, email


def test_the_counts_are_in_the_store_for_every_server_process(store):
    """A second engine on the same store (another ``streamlit`` process) sees the first's."""
    other_process = db._engine_for.__wrapped__(store.url.render_as_string(hide_password=False))
    try:
        guesses(other_process, CHAIR.email, 4)
    finally:
        other_process.dispose()
    last = START + 3 * PAST_ANY_WAIT
    assert answer(store, CHAIR.email, CHAIR.password, GUESSER, last).startswith("Too many")


def test_parallel_guesses_queue_on_the_counts_instead_of_each_being_checked(store):
    said: list[str] = []

    def guess(n: int) -> None:
        said.append(answer(store, CHAIR.email, f"parallel guess {n}", GUESSER, START))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = [message for message in said if message.startswith(NOT_RECOGNISED)]
    assert len(checked) == 4 and len(said) == 8  # three free, the fourth earns the wait


def test_a_new_password_from_the_admin_lets_the_owner_who_forgot_hers_in_at_once(store):
    authenticate(store, CHAIR.email, CHAIR.password, address=OWNER, now=START)
    guesses(store, CHAIR.email, 12, address=OWNER)
    last = START + 11 * PAST_ANY_WAIT
    assert answer(store, CHAIR.email, "another guess", OWNER, last).startswith("Too many")
    accounts.set_password(store, ADMIN, CHAIR.email, "a brand new password")
    assert answer(store, CHAIR.email, "a brand new password", OWNER, last) == "signed in"


def test_a_success_starts_the_pairs_count_again(store):
    guesses(store, CHAIR.email, 3)
    authenticate(
        store, CHAIR.email, CHAIR.password, address=GUESSER, now=START + timedelta(hours=1)
    )
    said = [
        answer(store, CHAIR.email, "wrong again", GUESSER, START + timedelta(hours=1, minutes=n))
        for n in range(1, 4)
    ]
    assert said == [NOT_RECOGNISED] * 3
