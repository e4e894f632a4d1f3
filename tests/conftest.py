"""Shared fixtures: an app on a migrated database (SQLite, or ELEARN_DATABASE_URL)."""

import os

import pytest

from elearn import create_app
from elearn.config import ROOT
from elearn.content.loader import load_course
from elearn.content.store import publish
from elearn.extensions import db, limiter
from tests.factories import DEFAULT_PASSWORD, FAST_PASSWORD_HASH, make_user
from tests.helpers import clear_tables, upgrade_database


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("ELEARN_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    upgrade_database(url)
    return url


@pytest.fixture
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "ENV": "testing",
            # Staff sign in with a password alone here, so other features' tests stay short;
            # tests/integration/auth/test_two_factor.py turns the requirement back on.
            "TWO_FACTOR_ROLES": [],
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "XAPI_STRICT": True,
            "BASE_URL": "https://guides.example.org",
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        }
    )
    limiter.reset()
    yield app
    clear_tables(app)
    limiter.reset()


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    """A test client that keeps no request context between requests (pytest-flask's keeps
    the last one, so a second client's request would reuse its `g` and signed-in user)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app):
    """One account per role."""
    with app.app_context():
        made = {role: make_user(role=role) for role in ("learner", "reviewer", "admin")}
        return {role: user.email for role, user in made.items()}


class AuthActions:
    def __init__(self, client):
        self._client = client

    def sign_in(self, email: str, password: str = DEFAULT_PASSWORD):
        return self._client.post("/sign-in", data={"email": email, "password": password})

    def sign_out(self):
        return self._client.post("/sign-out")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("ELEARN_DATABASE_URL", "").startswith("postgresql"):
        return
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="ELEARN_DATABASE_URL is not PostgreSQL"))


@pytest.fixture(autouse=True)
def _push_request_context():
    """Override pytest-flask's: a context held open across requests shares `g` and the
    database session between them, which hides bugs a real server would show."""
    yield


@pytest.fixture(scope="session")
def shipped_course():
    """The course files in this repository, loaded and checked once per test run."""

    return load_course(ROOT)


@pytest.fixture
def published(app, shipped_course):
    """The shipped course published as the live revision."""

    with app.app_context():
        publish(shipped_course, note="test")
        db.session.commit()
    return shipped_course


@pytest.fixture
def learner_client(client, users):
    client.post("/sign-in", data={"email": users["learner"], "password": DEFAULT_PASSWORD})
    return client
