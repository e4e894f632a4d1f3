"""Fixtures for the scale-out test: two web instances (gunicorn) and two `elearn xapi worker`
processes on the tests' PostgreSQL database, and a scripted LRS they send to."""

import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack

import pytest

from tests.helpers import gunicorn
from tests.integration.xapi.lrs import ScriptedLRS

SECRET = "scale-out-test-secret"  # the same on every web instance, as production needs
BASE_URL = "http://127.0.0.1"  # what tests.helpers.gunicorn gives the web instances
SWEEP_SECONDS = "0.3"
RUN_ELEARN = "import sys; from elearn.console import main; sys.exit(main())"


@pytest.fixture
def scripted_lrs():
    server = ScriptedLRS().start()
    yield server
    server.stop()


@pytest.fixture
def scaled_out(app, database_url, published, scripted_lrs):
    """Two web instances and two workers; yields the two web addresses. The workers are
    stopped (SIGTERM) and their output checked before the test's tables are emptied."""
    env = {
        **os.environ,
        "ELEARN_DATABASE_URL": database_url,
        "ELEARN_BASE_URL": BASE_URL,
        "ELEARN_ENV": "testing",
        "ELEARN_LRS_ENDPOINT": scripted_lrs.endpoint,
        "ELEARN_LRS_USERNAME": scripted_lrs.username,
        "ELEARN_LRS_PASSWORD": scripted_lrs.password,
        "ELEARN_SESSION_SWEEP_SECONDS": SWEEP_SECONDS,
    }
    command = [sys.executable, "-c", RUN_ELEARN, "xapi", "worker", "--poll-interval", "0.2"]
    with ExitStack() as stack:
        urls = [stack.enter_context(gunicorn(database_url, SECRET_KEY=SECRET)) for _ in range(2)]
        logs = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(2)]
        workers = [
            subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT) for log in logs
        ]
        try:
            yield urls
        finally:
            for worker in workers:
                worker.terminate()
            for worker, log in zip(workers, logs, strict=True):
                worker.wait(timeout=15)
                log.seek(0)
                output = log.read().decode()
                assert "Traceback" not in output, output
