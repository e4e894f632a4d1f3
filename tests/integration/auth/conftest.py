"""Fixtures for account tests: a real local SMTP server, two-factor sign-in required for staff,
the app served by two gunicorn workers."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
from aiosmtpd.controller import Controller

from tests.smtp import Inbox, free_port


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
    port = free_port()
    log = tempfile.TemporaryFile()
    env = {
        **os.environ,
        "ELEARN_DATABASE_URL": database_url,
        "ELEARN_SECRET_KEY": "two-worker-test-secret",
        "ELEARN_BASE_URL": "http://127.0.0.1",
        "ELEARN_ENV": "production",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "elearn:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.seek(0)
                raise RuntimeError(log.read().decode()) from None
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()
