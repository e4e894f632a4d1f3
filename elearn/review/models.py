"""The log of review exports: who downloaded what, when, for which group."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import Model


class ExportKind(StrEnum):
    QUIZ_ITEMS = "quiz-items"
    SURVEY_RESPONSES = "survey-responses"
    PAGE_FEEDBACK = "page-feedback"


class ExportRecord(Model):
    """One export asked for by a reviewer or admin; ``refused`` when the group was too small."""

    __tablename__ = "review_export"
    __table_args__ = (
        CheckConstraint("kind IN ('quiz-items', 'survey-responses', 'page-feedback')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept when the account goes: the log says an export happened even then.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    # The filter as chosen (a cohort id, 0 for "no cohort"; a community role or "not-given").
    cohort_id: Mapped[int | None]
    community_role: Mapped[str | None] = mapped_column(String(32))
    refused: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(index=True)


class CommentAction(Model):
    """A page comment the team acted on, and the published content revision that acted on it,
    so the Advisory Group sees the loop close. One per comment; marked by an admin."""

    __tablename__ = "review_comment_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_feedback_id: Mapped[int] = mapped_column(
        ForeignKey("page_feedback.id", ondelete="CASCADE"), unique=True
    )
    revision_id: Mapped[int] = mapped_column(ForeignKey("content_revision.id"), index=True)
    # Kept when the admin's account goes, like the export log.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime]
