"""The audit log: who did what, when and from where. Rows are added, never changed.

Most entries are added to the session of the action they describe, so they are committed with it
(or not at all). A failure (a wrong password, a lock-out) rolls its request back, so those are
written at once on a connection of their own with ``record_now``.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from flask import has_request_context, request
from sqlalchemy import Integer, String, delete, event, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from elearn.db import utcnow
from elearn.extensions import Model, db

COMMAND_LINE = "command line"


class AuditAction(StrEnum):
    SIGNED_IN = "signed-in"
    SIGN_IN_FAILED = "sign-in-failed"
    SIGN_IN_REFUSED = "sign-in-refused"  # right password, deactivated account
    LOCKED_OUT = "locked-out"
    SIGNED_OUT = "signed-out"
    SESSION_ENDED = "session-ended"
    SESSIONS_ENDED = "sessions-ended"
    PASSWORD_CHANGED = "password-changed"
    TWO_FACTOR_ON = "two-factor-on"
    TWO_FACTOR_RESET = "two-factor-reset"
    SECOND_FACTOR_FAILED = "second-factor-failed"
    RECOVERY_CODE_USED = "recovery-code-used"
    RESET_REQUESTED = "reset-requested"
    RESET_LINK_ISSUED = "reset-link-issued"
    RESET_MAIL_FAILED = "reset-mail-failed"
    PASSWORD_RESET = "password-reset"
    CONSENT_CHANGED = "consent-changed"
    REGISTERED = "registered"
    ACCOUNT_CREATED = "account-created"
    ROLE_CHANGED = "role-changed"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    DELETED = "deleted"
    INVITE_CREATED = "invite-created"
    INVITE_REVOKED = "invite-revoked"
    EXPORTED = "exported"
    PUBLISHED = "published"
    DRAFT_STARTED = "draft-started"
    DRAFT_SAVED = "draft-saved"
    DRAFT_UPLOADED = "draft-uploaded"
    DRAFT_DISCARDED = "draft-discarded"
    ROLLED_BACK = "rolled-back"


class AuditEntry(Model):
    """One thing someone did. Ids, not foreign keys: the entry outlives a deleted account."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(45), default="")


def _address() -> str:
    if has_request_context():
        return (request.remote_addr or "")[:45]
    return COMMAND_LINE


def _values(action: AuditAction, actor_id: int | None, subject_id: int | None, detail: str) -> dict:
    return {
        "at": utcnow(),
        "action": str(action),
        "actor_id": actor_id,
        "subject_id": subject_id,
        "detail": detail[:255],
        "address": _address(),
    }


def record(
    action: AuditAction,
    actor_id: int | None,
    subject_id: int | None = None,
    detail: str = "",
) -> None:
    """Add an entry to this action's transaction. Never put a password, token or email in
    ``detail``."""
    db.session.add(AuditEntry(**_values(action, actor_id, subject_id, detail)))


def record_now(
    action: AuditAction,
    actor_id: int | None,
    subject_id: int | None = None,
    detail: str = "",
) -> None:
    """Write an entry at once, on its own connection, whatever happens to this request."""
    with db.engine.begin() as connection:
        connection.execute(insert(AuditEntry).values(_values(action, actor_id, subject_id, detail)))


def purge(days: int, now: datetime | None = None) -> int:
    """Delete entries older than the retention period (the one way entries leave the log)."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    with db.engine.begin() as connection:
        return connection.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, flush_context: object, instances: object) -> None:
    for entry in list(session.dirty) + list(session.deleted):
        if isinstance(entry, AuditEntry):
            raise PermissionError("audit entries cannot be changed or deleted")


def entries(action: str = "", person_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    """The newest entries, by action and by the person who acted or was acted on."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == action)
    if person_id is not None:
        query = query.where(
            (AuditEntry.actor_id == person_id) | (AuditEntry.subject_id == person_id)
        )
    return list(db.session.scalars(query))
