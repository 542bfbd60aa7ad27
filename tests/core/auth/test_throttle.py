"""The waits wrong passwords earn, on plain datetimes: free tries, doubling, caps, forgetting,
and the owner's known address spared what strangers elsewhere cause."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from seips_core.auth.throttle import ZERO, Delay, Tally, ThrottlePolicy, too_many, wait_words

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SECOND, MINUTE = timedelta(seconds=1), timedelta(minutes=1)
POLICY = ThrottlePolicy()
NONE = Tally()


def failed(times: int, at: datetime = NOON) -> Tally:
    """A tally of ``times`` wrong passwords, the last at ``at``."""
    tally = NONE
    for _ in range(times):
        tally = POLICY.counted(tally, at)
    return tally


def pair_wait(times: int, now: datetime = NOON) -> timedelta:
    """The wait after ``times`` wrong passwords for one email from one address, and no more."""
    return POLICY.wait(failed(times), NONE, NONE, known=False, now=now)


def test_three_mistakes_cost_nothing_then_the_wait_doubles_to_a_quarter_of_an_hour():
    waits = [pair_wait(times) for times in range(1, 15)]
    assert waits[:3] == [ZERO] * 3
    assert waits[3:8] == [2 * SECOND, 4 * SECOND, 8 * SECOND, 16 * SECOND, 32 * SECOND]
    assert waits[-1] == 15 * MINUTE
    assert all(earlier <= later for earlier, later in pairwise(waits))


def test_the_wait_runs_from_the_last_wrong_password():
    assert pair_wait(5, NOON + 3 * SECOND) == SECOND
    assert pair_wait(5, NOON + 4 * SECOND) == ZERO


def test_a_count_is_forgotten_after_an_hour_without_a_wrong_password():
    assert POLICY.remembered(failed(20), NOON + 59 * MINUTE) == 20
    assert POLICY.remembered(failed(20), NOON + 60 * MINUTE) == 0
    assert POLICY.counted(failed(20), NOON + 60 * MINUTE) == Tally(1, NOON + 60 * MINUTE)


def test_a_huge_count_stays_at_the_cap():
    assert Delay(free=0, first=SECOND, longest=MINUTE).after(10_000) == MINUTE


def test_an_office_address_gets_ten_mistakes_free_over_all_its_emails():
    address = failed(10)
    assert POLICY.wait(NONE, address, NONE, known=False, now=NOON) == ZERO
    assert POLICY.wait(NONE, failed(11), NONE, known=False, now=NOON) == 2 * SECOND


def test_guessing_one_email_from_many_addresses_waits_at_most_a_minute():
    waits = [POLICY.wait(NONE, NONE, failed(n), known=False, now=NOON) for n in (10, 11, 40)]
    assert waits == [ZERO, SECOND, MINUTE]


def test_the_owners_known_address_is_spared_the_address_and_email_waits_but_not_her_own():
    strangers = (NONE, failed(50), failed(50))
    assert POLICY.wait(*strangers, known=False, now=NOON) == 15 * MINUTE
    assert POLICY.wait(*strangers, known=True, now=NOON) == ZERO
    assert POLICY.wait(failed(5), NONE, NONE, known=True, now=NOON) == 4 * SECOND


def test_an_address_is_known_for_90_days_after_a_sign_in_from_it():
    assert POLICY.is_known(NOON - timedelta(days=89), NOON)
    assert not POLICY.is_known(NOON - timedelta(days=90), NOON)
    assert not POLICY.is_known(None, NOON)


@pytest.mark.parametrize(
    ("wait", "words"),
    [
        (SECOND, "1 second"),
        (timedelta(seconds=1.2), "2 seconds"),
        (89 * SECOND, "89 seconds"),
        (90 * SECOND, "2 minutes"),
        (15 * MINUTE, "15 minutes"),
    ],
)
def test_a_wait_is_said_rounded_up_in_seconds_or_minutes(wait, words):
    assert wait_words(wait) == words
    assert too_many(wait) == f"Too many wrong passwords: wait {words}, then try again."
