"""Fixtures for the learning-records tests: the xapi feature wired onto the test app, and LRSs."""

import logging

import pytest

from elearn.extensions import db
from elearn.xapi import models  # noqa: F401  (the outbox tables join the metadata)
from elearn.xapi.cli import init_app as init_xapi_cli
from elearn.xapi.views import bp as xapi_admin_bp
from tests.integration.xapi.lrs import RALPH_PASSWORD, RALPH_USER, RalphLRS, ScriptedLRS

FAST_RETRIES = {
    "LRS_TIMEOUT": 5.0,  # a slow machine is not a hanging LRS (hang tests set their own)
    "LRS_BACKOFF_BASE": 0.01,
    "LRS_BACKOFF_MAX": 0.05,
    "LRS_CLAIM_TIMEOUT": 300,
}


@pytest.fixture
def xapi_app(app):
    """The test app with the xapi CLI group and admin page, as the lead will wire them."""
    app.config.update(FAST_RETRIES)
    # migrations/env.py runs logging.config.fileConfig, which disables loggers made before it.
    logging.getLogger("elearn.xapi").disabled = False
    if "xapi" not in app.cli.commands:
        init_xapi_cli(app)
    if "xapi_admin" not in app.blueprints:
        app.register_blueprint(xapi_admin_bp, url_prefix="/admin/learning-records")
    return app


@pytest.fixture
def lrs(xapi_app):
    """A scripted LRS on loopback, configured as the app's LRS."""
    server = ScriptedLRS().start()
    xapi_app.config.update(
        LRS_ENDPOINT=server.endpoint, LRS_USERNAME=server.username, LRS_PASSWORD=server.password
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    """A real LRS (Ralph) for the whole session."""
    server = RalphLRS(tmp_path_factory.mktemp("ralph")).start()
    yield server
    server.stop()


@pytest.fixture
def ralph_app(xapi_app, ralph):
    xapi_app.config.update(
        LRS_ENDPOINT=ralph.endpoint,
        LRS_USERNAME=RALPH_USER,
        LRS_PASSWORD=RALPH_PASSWORD,
        # Ralph checks the password with bcrypt (cost 12) on a first or wrong sign-in: on a busy
        # machine that takes longer than FAST_RETRIES' 0.5 s, which is meant for hanging LRSs.
        LRS_TIMEOUT=10.0,
    )
    return xapi_app


@pytest.fixture
def session(xapi_app):
    """The database session inside an app context."""
    with xapi_app.app_context():
        yield db.session
