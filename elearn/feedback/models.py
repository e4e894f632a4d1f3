"""Survey responses and their answers, and page feedback, keyed by stable content ids."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import Model


class ResponseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SKIPPED = "skipped"


class SurveyResponse(Model):
    """One learner's response to one survey: a draft while they answer, then submitted once.

    A skipped survey keeps a row with status "skipped" and no answers, so it is not offered
    again; the learner can still answer it later from the survey list.
    """

    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("user_id", "survey_id"),
        CheckConstraint("status IN ('draft', 'submitted', 'skipped')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    survey_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ResponseStatus.DRAFT)
    # The content revision the answers were submitted on (set at submission).
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("content_revision.id"))
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]

    answers: Mapped[list["SurveyAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyAnswer.id"
    )


class SurveyAnswer(Model):
    """One item's answer: a scale point id, option ids joined with commas, or free text."""

    __tablename__ = "survey_answer"
    __table_args__ = (UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class PageFeedback(Model):
    """ "Was this page helpful?": one row per learner per page, changed in place."""

    __tablename__ = "page_feedback"
    __table_args__ = (UniqueConstraint("user_id", "page_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    page_id: Mapped[str] = mapped_column(String(64), index=True)
    helpful: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # When ``helpful`` was last given (a comment alone does not change it): a changed answer
    # voids the learning record made then (its id is derived from this time).
    rated_at: Mapped[datetime | None]
