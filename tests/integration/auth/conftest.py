"""Fixtures for account tests: a real local SMTP server."""

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
