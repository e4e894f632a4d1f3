"""Email through SMTP (``MAIL_*`` settings), sent only after the transaction commits.

A service calls ``send_after_commit``: the message waits on the database session and is sent
when that session commits (and dropped if it rolls back), so nobody is emailed about a change
that was not saved. Sending has a timeout; a failure is logged (without the message body, which
may hold a link) and reported to the message's ``on_result``.
"""

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_PENDING = "elearn.mail"

# What became of one message: None when it was sent, otherwise why not.
ResultHandler = Callable[[str | None], None]


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    on_result: ResultHandler | None = None


def is_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_after_commit(session: Session, message: Message) -> None:
    """Send this message once ``session`` commits; forget it if it rolls back."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    session.info.setdefault(_PENDING, []).append((app, message))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    for app, message in pending:
        with app.app_context():
            _deliver(message)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction: object) -> None:
    session.info.pop(_PENDING, None)


def _deliver(message: Message) -> None:
    error = send(message)
    if error:
        log.warning("Email %r was not sent: %s", message.subject, error)
    if message.on_result is not None:
        message.on_result(error)


def send(message: Message) -> str | None:
    """Send one message now. Returns None, or why it could not be sent (never raises)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return "No mail server is set up (ELEARN_MAIL_SERVER)"
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    timeout = float(config["MAIL_TIMEOUT"])
    try:
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        with smtp_class(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=timeout) as smtp:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as error:
        return f"{type(error).__name__}: {error}"[:255]
    return None
