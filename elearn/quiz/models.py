"""Quiz attempts and their answers."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import Model


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in-progress"
    SUBMITTED = "submitted"


class QuizAttempt(Model):
    __tablename__ = "quiz_attempt"
    __table_args__ = (UniqueConstraint("user_id", "module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[int]
    # The content revision the attempt was taken on, so results can be read against it later.
    revision_id: Mapped[int] = mapped_column(ForeignKey("content_revision.id"))
    # The questions drawn for this attempt, in order, and each question's option order.
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    option_order: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=AttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    score: Mapped[int | None]
    max_score: Mapped[int]
    pass_mark: Mapped[int]
    passed: Mapped[bool | None]

    answers: Mapped[list["QuizAnswer"]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="QuizAnswer.id"
    )


class QuizAnswer(Model):
    __tablename__ = "quiz_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(64))
    option_ids: Mapped[list[str]] = mapped_column(JSON)
    correct: Mapped[bool | None]
    answered_at: Mapped[datetime]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
