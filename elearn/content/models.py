"""Content revisions: each publish is a new immutable revision of the whole course.

A draft is a revision that is not live yet. It keeps what the editor sent (``source``, shaped like
the files) as well as the course built from it when it last validated (``data``), so a draft with
problems can still be saved and previewed as it last stood, but not published.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import utcnow
from elearn.extensions import Model


class RevisionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    DISCARDED = "discarded"


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
    # Drafts: the edited documents (JSON shaped like the files, see content.source), the live
    # revision the draft began from, a counter bumped by every save (two saves of one version
    # cannot both win), and the problems that stop it being published (a JSON list of lines).
    source: Mapped[str | None] = mapped_column(Text)
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("content_revision.id"))
    version: Mapped[int] = mapped_column(default=1)
    problems: Mapped[str] = mapped_column(Text, default="[]")
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
