"""Tokens a browser carries (a session cookie, a wall link): random, signed, stored as hashes.

A token is ``RANDOM.SIGNATURE``: 32 random bytes (``secrets.token_urlsafe``) and their
HMAC-SHA256 under the store's signing key, for one purpose ("session", "wall"), so that a
cookie is never taken for a wall link. A value whose signature does not match is refused
before the store is asked (``hmac.compare_digest``): a made-up or altered token costs a hash,
not a lookup. One that matches is looked up by the SHA-256 of its random part; the store
never holds the token itself.

The key is ``SEIPS_COOKIE_SECRET`` when it is set (at least 32 characters); otherwise one made
at first use and kept in the store's ``signing_key`` table. The store rather than a file beside
it: a PostgreSQL store has no "beside", and every server process of one store must sign alike.
Not a ``Setting``: settings are exported and changed by county admins, and their writes are
audited with their values. Neither the key nor the stored hashes make a valid token: the lookup
needs the random part, which only the browser holds. Changing the key ends every token.
"""

import hmac
import os
from base64 import urlsafe_b64encode
from hashlib import sha256
from secrets import token_urlsafe
from threading import Lock

from sqlalchemy import URL, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from ..db import write_session
from ..models import SigningKey

SECRET_ENV = "SEIPS_COOKIE_SECRET"
MIN_SECRET = 32
#: The ``signing_key`` row of the key made by the store.
PURPOSE = "browser tokens"
_SEPARATOR = "."

_keys: dict[URL, bytes] = {}
_lock = Lock()


def _env_key() -> bytes | None:
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        return None
    if len(secret) < MIN_SECRET:
        raise ValueError(
            f"{SECRET_ENV} must be at least {MIN_SECRET} characters long (it signs sign-in "
            "cookies and wall links); leave it unset and the store makes its own key."
        )
    return secret.encode()


def _stored_key(engine: Engine) -> bytes:
    """The store's own key, made by the first process that needs one (a second process making
    one at the same time keeps the first's). Written by a plain statement: never audited."""
    table = SigningKey.__table__
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    with write_session(PURPOSE, engine) as session:
        session.execute(
            dialect.insert(table)
            .values(purpose=PURPOSE, key=token_urlsafe(48))
            .on_conflict_do_nothing(index_elements=["purpose"])
        )
        return session.scalars(select(table.c.key).where(table.c.purpose == PURPOSE)).one().encode()


def signing_key(engine: Engine) -> bytes:
    """The key tokens of ``engine``'s store are signed with (read from the store once per
    process)."""
    if (key := _env_key()) is not None:
        return key
    with _lock:
        if engine.url not in _keys:
            _keys[engine.url] = _stored_key(engine)
        return _keys[engine.url]


def _signature(key: bytes, purpose: str, token: str) -> str:
    digest = hmac.new(key, f"{purpose}:{token}".encode(), sha256).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def hashed(token: str) -> str:
    """What the store keeps of a token: its SHA-256, hex."""
    return sha256(token.encode()).hexdigest()


def new_token(engine: Engine, purpose: str) -> tuple[str, str]:
    """A new signed token for ``purpose``, and the hash to store."""
    token = token_urlsafe(32)
    return f"{token}{_SEPARATOR}{_signature(signing_key(engine), purpose, token)}", hashed(token)


def checked_hash(engine: Engine, purpose: str, presented: str) -> str | None:
    """The hash to look ``presented`` up by, if it is a token of ``purpose`` signed with this
    store's key; None for anything else (forged, altered, cut short, another purpose's)."""
    token, _, signature = presented.partition(_SEPARATOR)
    if not token or not signature:
        return None
    expected = _signature(signing_key(engine), purpose, token)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return None
    return hashed(token)
