"""Content revisions: each publish is a new immutable revision of the whole course."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import utcnow
from elearn.extensions import Model


class RevisionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class ContentRevision(Model):
    __tablename__ = "content_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(16), default=RevisionStatus.PUBLISHED)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    # The validated course with its HTML rendered once, as JSON (elearn.content.schema.Course).
    data: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
