"""Learner progress, keyed by stable content ids so it survives content revisions."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import Model


class PageProgress(Model):
    __tablename__ = "page_progress"
    __table_args__ = (UniqueConstraint("user_id", "page_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[str] = mapped_column(String(64))
    page_id: Mapped[str] = mapped_column(String(64))
    first_viewed_at: Mapped[datetime]
    last_viewed_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    # Time on task: from each view to the learner's next action (capped per visit), summed.
    seconds_on_task: Mapped[float] = mapped_column(default=0.0, server_default="0")
    timed_until: Mapped[datetime | None]  # the visit's time is counted up to here


class ModuleProgress(Model):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class Certificate(Model):
    """Issued once, when a learner completes the whole course.

    ``verification_code`` is random, printed on the certificate and checked at
    ``/certificates/<code>``; it is never sent to the Learning Record Store (``serial`` was, so
    it is no longer shown anywhere).
    """

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime]
