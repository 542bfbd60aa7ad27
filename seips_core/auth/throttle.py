"""How long a sign-in must wait after wrong passwords: pure functions of counts and times.

Wrong passwords are counted three ways, each with its own growing wait:

- per email *and* address (``pair``): one place guessing one account. A few mistakes are free,
  then the wait doubles up to a quarter of an hour, so a guesser there gets a handful of tries
  an hour. Only this count can slow the owner, and only at the guesser's own address.
- per address (``address``), whatever the email: one place trying many accounts (or unknown
  emails). More are free, as an office shares one address.
- per email (``account``), from every address: many places guessing one account. Its wait
  stays short (at most a minute), because the owner's own address would otherwise be shut
  out by strangers elsewhere; it slows a spread-out guesser without locking anyone out.

An address the account has signed in from lately (``known_for``) is spared the ``address`` and
``account`` waits: strangers cannot slow the owner where she usually works, and her own
mistakes there still count in ``pair``. Nothing here says whether an email is registered: the
store keeps the same counts for an unknown email as for a known one.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

ZERO = timedelta(0)


@dataclass(frozen=True)
class Tally:
    """Wrong passwords counted for one email, one address or one pair, and the last one's time."""

    failures: int = 0
    last_failure: datetime | None = None


@dataclass(frozen=True)
class Delay:
    """``free`` wrong passwords cost nothing; then each waits ``first``, doubling to ``longest``."""

    free: int
    first: timedelta
    longest: timedelta

    def after(self, failures: int) -> timedelta:
        """The wait before the next try once ``failures`` wrong passwords are remembered."""
        if failures <= self.free:
            return ZERO
        # The exponent is capped so that a long run of failures cannot overflow the timedelta.
        doublings = min(failures - self.free - 1, 32)
        return min(self.longest, self.first * 2**doublings)


@dataclass(frozen=True)
class ThrottlePolicy:
    """The three delays, how long a count is remembered and an address stays known."""

    pair: Delay = Delay(free=3, first=timedelta(seconds=2), longest=timedelta(minutes=15))
    address: Delay = Delay(free=10, first=timedelta(seconds=2), longest=timedelta(minutes=15))
    account: Delay = Delay(free=10, first=timedelta(seconds=1), longest=timedelta(minutes=1))
    #: A count with no wrong password for this long starts again at nought.
    forget: timedelta = timedelta(hours=1)
    #: An address the account signed in from within this spell is the owner's own.
    known_for: timedelta = timedelta(days=90)

    def remembered(self, tally: Tally, now: datetime) -> int:
        """The failures still counted at ``now``: none once ``forget`` has passed."""
        if tally.last_failure is None or now - tally.last_failure >= self.forget:
            return 0
        return tally.failures

    def counted(self, tally: Tally, now: datetime) -> Tally:
        """``tally`` after one more wrong password at ``now``."""
        return Tally(self.remembered(tally, now) + 1, now)

    def is_known(self, last_sign_in: datetime | None, now: datetime) -> bool:
        """Did the account sign in from this address recently enough to call it the owner's?"""
        return last_sign_in is not None and now - last_sign_in < self.known_for

    def wait(
        self, pair: Tally, address: Tally, account: Tally, *, known: bool, now: datetime
    ) -> timedelta:
        """How long from ``now`` until the next try may be checked (``ZERO``: at once).

        The longest of the waits that apply; a ``known`` address is spared the address's and
        the account's (see the module's docstring).
        """
        scopes = [(self.pair, pair)]
        if not known:
            scopes += [(self.address, address), (self.account, account)]
        waits = [
            tally.last_failure + delay.after(self.remembered(tally, now)) - now
            for delay, tally in scopes
            if tally.last_failure is not None
        ]
        return max([ZERO, *waits])


def wait_words(wait: timedelta) -> str:
    """ "8 seconds", "3 minutes": the wait rounded up, in the unit a person would say."""
    seconds = ceil(wait.total_seconds())
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = ceil(seconds / 60)
    return f"{minutes} minutes"


def too_many(wait: timedelta) -> str:
    """The refusal of a try made before the wait is over (the password is not even checked)."""
    return f"Too many wrong passwords: wait {wait_words(wait)}, then try again."
