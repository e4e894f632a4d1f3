"""Accounts, cohorts and invites."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import new_uuid, utcnow
from elearn.events import Learner
from elearn.extensions import Model
from elearn.roles import Role

COMMUNITY_ROLES = {
    "health-professional": "Nurse or other health professional",
    "ppg-member": "GP Patient Participation Group member",
    "community-organiser": "Community organiser or volunteer",
    "care-staff": "Care staff",
    "other": "Other",
}


# An invite code's defaults: how many people may use it, and for how many days.
INVITE_MAX_USES = 50
INVITE_DAYS_VALID = 60


class Cohort(Model):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invites: Mapped[list["Invite"]] = relationship(back_populates="cohort")


class Invite(Model):
    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    max_uses: Mapped[int] = mapped_column(default=INVITE_MAX_USES)
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="invites")


class User(UserMixin, Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The opaque id other systems (the LRS) know the learner by; never the email or primary key.
    opaque_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.LEARNER)
    community_role: Mapped[str | None] = mapped_column(String(32))
    organisation: Mapped[str | None] = mapped_column(String(150))
    evaluation_consent: Mapped[bool] = mapped_column(default=False)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # xAPI context.registration: one UUID for this learner's enrolment on the course.
    course_registration: Mapped[str] = mapped_column(String(36), default=new_uuid)
    # Changing the password changes this, which signs out other sessions.
    session_token: Mapped[str] = mapped_column(String(36), default=new_uuid)
    # Set when the account was deleted: personal details are gone and it cannot sign in.
    deleted_at: Mapped[datetime | None]

    cohort: Mapped[Cohort | None] = relationship()

    def as_learner(self) -> Learner:
        """Who this user is in learning events: their opaque id, never their name or email."""
        return Learner(
            self.id,
            self.opaque_id,
            self.course_registration,
            self.created_at,
            consented=bool(self.evaluation_consent),
            staff=self.role != Role.LEARNER,
        )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"
