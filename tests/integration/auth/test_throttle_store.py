"""The attempt store: the database by default, a real Redis when REDIS_URL is set. Both count the
same way, and every app instance on one store sees every other's attempts."""

import time
from datetime import timedelta

import pytest
import redis
from sqlalchemy import func, select

from elearn import create_app
from elearn.auth import throttle
from elearn.auth.models import ThrottleHit
from elearn.auth.throttle import REDIS_TIMEOUT, DatabaseAttempts, RedisAttempts, Throttled
from elearn.db import utcnow
from elearn.extensions import db
from tests.factories import FAST_PASSWORD_HASH
from tests.helpers import clear_tables, silent_server

LIMIT = "5 per 15 minutes"


def test_the_database_is_the_store_unless_redis_is_set(app):
    with app.app_context():
        assert isinstance(throttle.store(), DatabaseAttempts)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_a_limit_holds_for_its_window_and_no_longer(store_app):
    start = utcnow()
    ada, bob = "sign-in:account:ada@example.org", "sign-in:account:bob@example.org"
    with store_app.app_context():
        for second in range(5):
            throttle.count(ada, now=start + timedelta(seconds=second))
        throttle.check(bob, LIMIT, now=start + timedelta(seconds=10))
        with pytest.raises(Throttled) as refused:
            throttle.check(ada, LIMIT, now=start + timedelta(seconds=10))
        # Until the oldest counted try is 15 minutes old: 15 min - 10 s, and a second to be sure.
        assert refused.value.retry_after == 15 * 60 - 10 + 1
        throttle.check(ada, LIMIT, now=start + timedelta(minutes=16))


def test_attempts_older_than_a_day_are_forgotten(store_app):
    now, key = utcnow(), "reset:address:192.0.2.1"
    with store_app.app_context():
        throttle.count(key, now=now - timedelta(days=2))
        throttle.count(key, now=now)
        throttle.forget_old()  # as `elearn audit purge` does; Redis trims as it counts
        assert len(throttle.store().newest(key, now - timedelta(days=3), 10)) == 1


def test_two_app_instances_share_the_counts_in_redis(redis_apps, redis_store):
    first, second = redis_apps
    key = "sign-in:account:grace@example.org"
    with first.app_context():
        assert isinstance(throttle.store(), RedisAttempts)
        for _ in range(4):
            throttle.count(key)
    with second.app_context():
        throttle.check(key, LIMIT)  # four of five used
        throttle.count(key)
        with pytest.raises(Throttled):
            throttle.check(key, LIMIT)
    with first.app_context():
        with pytest.raises(Throttled):
            throttle.check(key, LIMIT)
        # Counted in Redis, not in the database.
        assert db.session.scalar(select(func.count()).select_from(ThrottleHit)) == 0
    client = redis.Redis.from_url(redis_store["REDIS_URL"])
    prefix = redis_store["REDIS_KEY_PREFIX"]
    names = [name.decode() for name in client.scan_iter(match=prefix + "*")]
    client.close()
    assert len(names) == 1
    assert "grace" not in names[0]  # keys are hashed: no email or address readable in Redis
    # Flask-Limiter's limits (registration, certificate checks) are shared through Redis too.
    assert {app.config["RATELIMIT_STORAGE_URI"] for app in redis_apps} == {redis_store["REDIS_URL"]}


def test_a_redis_that_does_not_answer_fails_the_sign_in_within_seconds(database_url):
    listener, held = silent_server()
    hung = create_app(
        {
            "TESTING": True,
            "ENV": "testing",
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
            "WTF_CSRF_ENABLED": False,
            "REDIS_URL": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
        }
    )
    started = time.monotonic()
    try:
        with pytest.raises(redis.TimeoutError):  # the 500 page, outside TESTING
            hung.test_client().post(
                "/sign-in", data={"email": "grace@example.org", "password": "a wrong guess"}
            )
    finally:
        listener.close()
        for connection in held:
            connection.close()
        clear_tables(hung)
    # Never a hung worker: one wait for the store, and the request gives up.
    assert time.monotonic() - started < REDIS_TIMEOUT + 3
