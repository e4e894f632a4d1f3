"""Sign-in limits hold across processes: two gunicorn workers share one count (the database)."""

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
import requests

from tests.factories import make_user
from tests.smtp import free_port


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


def _try(session: requests.Session, url: str, email: str, password: str) -> int:
    # A new connection each time, so requests spread over both workers.
    page = session.get(url + "/sign-in", headers={"Connection": "close"})
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    response = session.post(
        url + "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        headers={"Connection": "close"},
        allow_redirects=False,
    )
    return response.status_code


def test_the_per_account_limit_holds_across_two_workers(app, two_workers):
    with app.app_context():
        make_user(email="grace@example.org")
    statuses = []
    for _ in range(3):  # several browsers, as an attacker would use
        with requests.Session() as session:
            for _ in range(2):
                statuses.append(_try(session, two_workers, "grace@example.org", "wrong guess!"))
    # Five wrong tries are allowed in total, however the requests were spread; then a wait.
    assert statuses == [400] * 5 + [429]
    with requests.Session() as session:
        assert _try(session, two_workers, "grace@example.org", "wrong guess!") == 429
