"""Password reset: a one-time, expiring link by email (a real SMTP server), or from an admin."""

import logging
import re
import time
from datetime import timedelta

from sqlalchemy import select

from elearn.audit import AuditAction, AuditEntry
from elearn.auth import service
from elearn.auth.models import MailStatus, PasswordReset, User
from elearn.db import utcnow
from elearn.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import silent_server

NEW_PASSWORD = "violet harbour engine"


def _link_in(message) -> str:
    body = message.get_content()
    match = re.search(r"https://guides\.example\.org(/reset-password/\S+)", body)
    assert match, body
    return match.group(1)


def _says_the_link_is_unusable_and_offers_a_new_one(html: str) -> None:
    assert "This link has expired or has already been used" in html
    assert '<a href="/forgot-password">Ask for a new reset link</a>' in html


def _reset(client, path, password=NEW_PASSWORD):
    return client.post(path, data={"new_password": password, "confirm_password": password})


def test_learner_resets_a_forgotten_password_by_email(app, client, auth, smtp_inbox):
    with app.app_context():
        make_user(email="grace@example.org", display_name="Grace")
    signed_in_elsewhere = app.test_client()
    signed_in_elsewhere.post(
        "/sign-in", data={"email": "grace@example.org", "password": DEFAULT_PASSWORD}
    )

    response = client.post("/forgot-password", data={"email": "Grace@Example.org "})
    assert response.status_code == 302
    assert "Check your email" in client.get(response.headers["Location"]).get_data(as_text=True)

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "grace@example.org"
    assert "Reset your Health Data Guides password" == message["Subject"]
    path = _link_in(message)

    page = client.get(path)
    assert page.status_code == 200
    assert "Choose a new password" in page.get_data(as_text=True)
    response = _reset(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"

    # The old password no longer works, the new one does, and other sessions have ended.
    assert auth.sign_in("grace@example.org").status_code == 400
    assert auth.sign_in("grace@example.org", NEW_PASSWORD).status_code == 302
    assert signed_in_elsewhere.get("/account").status_code == 302

    # The link is single-use.
    again = client.get(path)
    assert again.status_code == 400
    assert "This link has expired or has already been used" in again.get_data(as_text=True)
    assert "Ask for a new reset link" in again.get_data(as_text=True)
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset.mail_status == MailStatus.SENT
        assert reset.used_at is not None
        assert len(reset.token_hash) == 64 and reset.token_hash not in path
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {AuditAction.RESET_REQUESTED, AuditAction.PASSWORD_RESET} <= actions


def test_the_same_answer_whether_or_not_the_email_has_an_account(app, client, smtp_inbox):
    with app.app_context():
        make_user(email="grace@example.org")
    answers = []
    for email in ("grace@example.org", "nobody@example.org"):
        response = client.post("/forgot-password", data={"email": email})
        answers.append((response.status_code, response.headers["Location"]))
    assert answers[0] == answers[1]
    assert [m["To"] for m in smtp_inbox.messages] == ["grace@example.org"]


def test_an_expired_link_gets_a_clear_page(app, client, smtp_inbox):
    with app.app_context():
        make_user(email="grace@example.org")
    client.post("/forgot-password", data={"email": "grace@example.org"})
    path = _link_in(smtp_inbox.messages[0])
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        reset.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = _reset(client, path)
    assert response.status_code == 400
    _says_the_link_is_unusable_and_offers_a_new_one(response.get_data(as_text=True))


def test_an_altered_link_is_refused(app, client, smtp_inbox):
    with app.app_context():
        make_user(email="grace@example.org")
    client.post("/forgot-password", data={"email": "grace@example.org"})
    path = _link_in(smtp_inbox.messages[0])
    response = _reset(client, path[:-1] + ("A" if path[-1] != "A" else "B"))
    assert response.status_code == 400
    _says_the_link_is_unusable_and_offers_a_new_one(response.get_data(as_text=True))
    assert _reset(client, path, "short").status_code == 400  # the real one still works...
    assert _reset(client, path).status_code == 302  # ...once


def test_a_weak_new_password_is_refused_with_the_error_summary(app, client, smtp_inbox):
    with app.app_context():
        make_user(email="grace@example.org")
    client.post("/forgot-password", data={"email": "grace@example.org"})
    path = _link_in(smtp_inbox.messages[0])
    response = _reset(client, path, "short")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Password must be 12 characters or more" in html


def test_no_mail_is_sent_when_the_request_rolls_back(app, smtp_inbox):
    """Mail waits for the commit: a rolled-back reset sends nothing."""
    with app.app_context():
        make_user(email="grace@example.org")
    with app.test_request_context():
        service.request_password_reset("grace@example.org", lambda token: f"/x/{token}")
        assert smtp_inbox.messages == []
        db.session.rollback()
        db.session.commit()
    assert smtp_inbox.messages == []


def test_a_slow_mail_server_does_not_hold_the_page_and_the_failure_is_recorded(app, client, users):
    with app.app_context():
        grace_id = make_user(email="grace@example.org").id
    listener, held = silent_server()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=listener.getsockname()[1], MAIL_TIMEOUT=0.5
    )
    try:
        started = time.monotonic()
        response = client.post("/forgot-password", data={"email": "grace@example.org"})
        assert time.monotonic() - started < 3
    finally:
        listener.close()
        for connection in held:
            connection.close()
    assert response.status_code == 302
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset.mail_status == MailStatus.FAILED
        assert "timed out" in reset.mail_error
        failed = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == AuditAction.RESET_MAIL_FAILED)
        )
        assert failed is not None and failed.subject_id == reset.user_id
    # The admin sees on the learner's account page that the email was not sent, and why.
    admin = app.test_client()
    admin.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    page = admin.get(f"/admin/accounts/{grace_id}").get_data(as_text=True)
    assert "Email not sent" in page and "timed out" in page


def test_with_no_mail_server_the_request_is_kept_for_an_admin(app, client):
    with app.app_context():
        make_user(email="grace@example.org")
    assert client.post("/forgot-password", data={"email": "grace@example.org"}).status_code == 302
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset.mail_status == MailStatus.NOT_CONFIGURED


def test_reset_requests_are_limited(app, client):
    app.config["RESET_REQUEST_LIMIT"] = "2 per hour"
    for _ in range(2):
        assert client.post("/forgot-password", data={"email": "a@example.org"}).status_code == 302
    assert client.post("/forgot-password", data={"email": "a@example.org"}).status_code == 429


def test_forgot_password_form_errors(client):
    response = client.post("/forgot-password", data={"email": "not an email"})
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_no_email_password_hash_or_token_in_any_log_line(app, client, auth, smtp_inbox, caplog):
    caplog.set_level(logging.DEBUG)  # every logger of ours and Flask's
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every SQL statement too
    with app.app_context():
        old_hash = make_user(email="grace@example.org").password_hash
    auth.sign_in("grace@example.org", "a wrong guess")
    client.post("/forgot-password", data={"email": "grace@example.org"})
    path = _link_in(smtp_inbox.messages[0])
    assert _reset(client, path).status_code == 302
    assert auth.sign_in("grace@example.org", NEW_PASSWORD).status_code == 302
    with app.app_context():
        new_hash = db.session.scalar(select(User.password_hash))
    # The test's own SMTP server (aiosmtpd, "mail.log") logs what it receives; the app does not.
    lines = [r.getMessage() for r in caplog.records if not r.name.startswith("mail.")]
    assert any("SELECT" in line for line in lines)  # the statements were logged...
    logged = "\n".join(lines)
    assert "hidden due to hide_parameters" in logged  # ...without their parameters
    token = path.rsplit("/", 1)[1]
    for secret in ("grace@example.org", old_hash, new_hash, token, NEW_PASSWORD, "a wrong guess"):
        assert secret not in logged
