"""Fixtures for account tests: a real local SMTP server, two-factor sign-in required for staff,
the app served by two gunicorn workers, a real local Redis."""

import os
import uuid

import pytest
import redis
from aiosmtpd.controller import Controller

from elearn import create_app
from elearn.extensions import db
from tests.factories import FAST_PASSWORD_HASH
from tests.helpers import free_port, gunicorn
from tests.smtp import Inbox

REDIS_URL = os.environ.get("ELEARN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def smtp_inbox(app):
    """A real SMTP server on localhost, with the app's MAIL_* settings pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_TIMEOUT=5.0)
    yield inbox
    controller.stop()


@pytest.fixture
def two_factor_app(app):
    """The app with the production default: reviewers and admins need a second step."""
    app.config["TWO_FACTOR_ROLES"] = ["reviewer", "admin"]
    return app


@pytest.fixture
def two_workers(app, database_url):
    """The app served by gunicorn with two worker processes, on the tests' database."""
    with gunicorn(database_url, workers=2, SECRET_KEY="two-worker-test-secret") as url:
        yield url


@pytest.fixture
def redis_store():
    """The URL of a real Redis server and a key prefix of this test's own, removed afterwards.
    Skipped when no server answers, unless ELEARN_REQUIRE_REDIS=1 (set by .ci/run)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"no Redis server answers at {REDIS_URL} ({error}); set ELEARN_TEST_REDIS_URL"
        if os.environ.get("ELEARN_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required but {reason}")
        pytest.skip(reason)
    prefix = f"elearn-test-{uuid.uuid4().hex}:"
    yield {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix}
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


@pytest.fixture
def redis_apps(database_url, redis_store):
    """Two app instances (as two web processes would have) on one Redis and the tests' database."""
    apps = [
        create_app(
            {
                "TESTING": True,
                "ENV": "testing",
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
                **redis_store,
            }
        )
        for _ in range(2)
    ]
    yield apps
    for each in apps:
        with each.app_context():
            db.engine.dispose()  # close their pooled connections before the apps are dropped


@pytest.fixture(params=["database", "redis"])
def store_app(request, app):
    """The test app counting attempts in each store in turn."""
    if request.param == "redis":
        return request.getfixturevalue("redis_apps")[0]
    return app


@pytest.fixture
def two_workers_on_redis(app, database_url, redis_store):
    """The app served by two gunicorn workers that count attempts in Redis (and Flask-Limiter's
    limits: certificate checks, at most three an hour here)."""
    settings = {name: str(value) for name, value in redis_store.items()}
    settings["CERTIFICATE_CHECK_LIMIT"] = "3 per hour"
    with gunicorn(database_url, workers=2, SECRET_KEY="two-worker-test-secret", **settings) as url:
        yield url
