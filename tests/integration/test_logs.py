"""No secrets in logs: query parameters are never shown in database errors."""

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from elearn.auth.models import User
from elearn.extensions import db
from tests.factories import make_user


def test_a_database_error_does_not_show_the_values_it_was_given(app, caplog):
    with app.app_context():
        make_user(email="grace@example.org")
        db.session.add(
            User(
                email="grace@example.org", display_name="Grace", password_hash="scrypt:secret-hash"
            )
        )
        with pytest.raises(IntegrityError) as caught:
            db.session.flush()
        db.session.rollback()
    message = str(caught.value)
    assert "secret-hash" not in message
    assert "hidden due to hide_parameters" in message
    # PostgreSQL's own DETAIL line still names the conflicting key's value (here the email):
    # that comes from the server, not from the parameters, and is a known gap.


def test_a_failed_reset_email_is_logged_without_the_link(app, client, caplog):
    with app.app_context():
        make_user(email="grace@example.org")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_TIMEOUT=0.5)  # nothing listens
    with caplog.at_level(logging.DEBUG):
        client.post("/forgot-password", data={"email": "grace@example.org"})
    assert "was not sent" in caplog.text
    assert "reset-password/" not in caplog.text
    assert "grace@example.org" not in caplog.text
