"""Counting attempts (failed sign-ins, wrong codes, reset requests) in one store that every web
process shares: the database by default, Redis when ``REDIS_URL`` is set.

A limit counted in each process's memory would be multiplied by the number of workers. Only
recent attempts count: a lock-out lasts until the oldest counted attempt is older than the window,
never longer, so an attacker is slowed and the real user is not locked out for long.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, cast

import redis
from flask import Flask, current_app
from sqlalchemy import delete, insert, select

from elearn.auth.models import ThrottleHit
from elearn.db import utcnow
from elearn.extensions import db

# Attempts are kept this long (longer than any limit's window), then forgotten.
KEEP_ATTEMPTS = timedelta(days=1)
# A Redis that does not answer fails the request in this many seconds, never hangs it.
REDIS_TIMEOUT = 2.0

_EXTENSION = "elearn_attempt_store"


@dataclass(frozen=True)
class Throttled(Exception):
    """Too many attempts: try again after this many seconds."""

    retry_after: int


_LIMIT = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d*)\s*(second|minute|hour|day)s?\s*$")
_UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_limit(limit: str) -> tuple[int, timedelta]:
    """'5 per 15 minutes' → (5, 15 minutes): the settings' format, as Flask-Limiter reads it."""
    match = _LIMIT.match(limit.lower())
    if match is None:
        raise ValueError(f"cannot read the limit {limit!r}; write it like '5 per 15 minutes'")
    amount, count, unit = match.groups()
    return int(amount), timedelta(seconds=int(count or 1) * _UNIT_SECONDS[unit])


class AttemptStore(Protocol):
    def newest(self, key: str, since: datetime, amount: int) -> list[datetime]:
        """Up to ``amount`` of the newest attempts on ``key`` after ``since``."""
        ...

    def add(self, keys: tuple[str, ...], at: datetime) -> None:
        """Count one attempt at ``at`` against each key."""
        ...

    def forget(self, before: datetime) -> int:
        """Remove attempts made before ``before``; how many went."""
        ...


class DatabaseAttempts:
    """Attempts as rows, on a connection of their own: a failed sign-in rolls its request back,
    and the attempt must still count."""

    def newest(self, key: str, since: datetime, amount: int) -> list[datetime]:
        with db.engine.connect() as connection:
            return list(
                connection.scalars(
                    select(ThrottleHit.at)
                    .where(ThrottleHit.key == key, ThrottleHit.at > since)
                    .order_by(ThrottleHit.at.desc())
                    .limit(amount)
                )
            )

    def add(self, keys: tuple[str, ...], at: datetime) -> None:
        with db.engine.begin() as connection:
            connection.execute(insert(ThrottleHit), [{"key": key, "at": at} for key in keys])

    def forget(self, before: datetime) -> int:
        with db.engine.begin() as connection:
            return connection.execute(delete(ThrottleHit).where(ThrottleHit.at < before)).rowcount


class RedisAttempts:
    """Attempts as a sorted set per key (score: the time), outside any database transaction.
    Keys are hashed, so no email or address is readable in Redis; each set expires a day after
    its last attempt."""

    def __init__(self, client: redis.Redis, prefix: str):
        self.client = client
        self.prefix = prefix

    def name(self, key: str) -> str:
        return self.prefix + "attempts:" + hashlib.sha256(key.encode()).hexdigest()

    def newest(self, key: str, since: datetime, amount: int) -> list[datetime]:
        after = f"({since.timestamp()}"  # "(": strictly after, as the database counts
        found = cast(
            list[tuple[bytes, float]],  # with scores: (member, time)
            self.client.zrevrangebyscore(
                self.name(key), "+inf", after, start=0, num=amount, withscores=True
            ),
        )
        return [datetime.fromtimestamp(score, UTC) for _, score in found]

    def add(self, keys: tuple[str, ...], at: datetime) -> None:
        with self.client.pipeline(transaction=True) as pipe:
            for key in keys:
                name = self.name(key)
                # A random member: two attempts in the same instant are two attempts.
                pipe.zadd(name, {f"{at.timestamp()}:{secrets.token_hex(8)}": at.timestamp()})
                pipe.zremrangebyscore(name, "-inf", f"({(at - KEEP_ATTEMPTS).timestamp()}")
                pipe.expire(name, KEEP_ATTEMPTS)
            pipe.execute()

    def forget(self, before: datetime) -> int:
        return 0  # each set expires by itself, a day after its last attempt


def init_app(app: Flask) -> None:
    """Choose the store: Redis when REDIS_URL is set (connected on first use), else the database."""
    url = app.config.get("REDIS_URL")
    store: AttemptStore = DatabaseAttempts()
    if url:
        client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        store = RedisAttempts(client, app.config["REDIS_KEY_PREFIX"])
    app.extensions[_EXTENSION] = store


def store() -> AttemptStore:
    return current_app.extensions[_EXTENSION]


def check(key: str, limit: str, now: datetime | None = None) -> None:
    """Raise Throttled if ``key`` has used up ``limit`` (like "5 per 15 minutes")."""
    now = now or utcnow()
    amount, window = parse_limit(limit)
    times = store().newest(key, now - window, amount)
    if len(times) >= amount:
        oldest = min(times)
        raise Throttled(max(1, int((oldest + window - now).total_seconds()) + 1))


def count(*keys: str, now: datetime | None = None) -> None:
    """Count one attempt against each key, whatever happens to this request."""
    store().add(keys, now or utcnow())


def forget_old(older_than: timedelta = KEEP_ATTEMPTS) -> int:
    """Remove attempts older than any limit looks at."""
    return store().forget(utcnow() - older_than)
