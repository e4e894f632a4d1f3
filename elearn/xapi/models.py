"""The xAPI outbox: statements waiting for (or delivered to) the Learning Record Store."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import utcnow
from elearn.extensions import Model


class OutboxState(StrEnum):
    PENDING = "pending"  # waiting to be sent (possibly not before next_attempt_at)
    SENDING = "sending"  # claimed by a sender (claimed_by, claimed_at)
    SENT = "sent"  # stored at the LRS
    FAILED = "failed"  # refused by the LRS; last_error holds its reason; re-queued by an admin
    INVALID = "invalid"  # failed our own validation: kept aside, never sent


PENDING, SENDING, SENT, FAILED, INVALID = OutboxState
STATES = tuple(OutboxState)


class OutboxStatement(Model):
    """One statement, serialised once when it was recorded; those bytes are what is sent."""

    __tablename__ = "xapi_outbox"
    __table_args__ = (
        CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'failed', 'invalid')", name="state"
        ),
        Index("ix_xapi_outbox_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique and made by us: also lets several rows be inserted in one statement (a sentinel).
    statement_id: Mapped[str] = mapped_column(String(36), unique=True, insert_sentinel=True)
    # The statement's JSON, serialised once (ASCII-only, so its bytes are the same everywhere).
    statement_json: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]


class SenderStatus(Model):
    """Small facts about delivery, one row per key (e.g. the current configuration problem)."""

    __tablename__ = "xapi_sender_status"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
