"""Fixtures for account tests: a real local SMTP server, two-factor sign-in required for staff,
the app served by two gunicorn workers."""

import pytest
from aiosmtpd.controller import Controller

from tests.helpers import free_port, gunicorn
from tests.smtp import Inbox


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
