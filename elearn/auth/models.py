"""Accounts, cohorts and invites."""

from datetime import date, datetime
from enum import StrEnum
from typing import cast

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
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

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
    revoked_at: Mapped[datetime | None]

    cohort: Mapped[Cohort] = relationship(back_populates="invites")

    def status(self, now: datetime) -> "InviteStatus":
        if self.revoked_at is not None:
            return InviteStatus.REVOKED
        if self.expires_at <= now:
            return InviteStatus.EXPIRED
        if self.uses >= self.max_uses:
            return InviteStatus.USED_UP
        return InviteStatus.ACTIVE


class InviteStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    USED_UP = "used-up"
    REVOKED = "revoked"


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
    # A deactivated account cannot sign in; its sessions end when it is deactivated.
    deactivated_at: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    # Two-factor sign-in (TOTP): the secret is kept from set-up; it counts once confirmed.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    # The last time step a code was accepted for, so a code cannot be used twice.
    totp_last_step: Mapped[int | None]

    cohort: Mapped[Cohort | None] = relationship()

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to sign in an inactive user
        return self.deactivated_at is None and self.deleted_at is None

    def as_learner(self) -> Learner:
        """Who this user is in learning events: their opaque id, never their name or email, and
        the id of the session they are signed in with in this request (none otherwise)."""
        return Learner(
            self.id,
            self.opaque_id,
            self.course_registration,
            self.created_at,
            consented=bool(self.evaluation_consent),
            staff=self.role != Role.LEARNER,
            session=self.session_record_id or None,
        )

    # The key of the session this request belongs to (set at sign-in and by the loader), and
    # whether that session still waits for a two-factor code (read by security.role_required).
    session_key = ""
    needs_second_factor = False
    # The session's id in learning records (``UserSession.record_id``) and its last activity
    # before this request (its ``last_seen_at`` as this request found it).
    session_record_id = ""
    session_last_active = cast("datetime | None", None)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key}"


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    NOT_CONFIGURED = "not-configured"  # no mail server: an admin gives the learner a link
    NOT_SENT = "not-sent"  # an admin made the link to hand over; no email


class PasswordReset(Model):
    """A one-time password reset link. Only a hash of its token is stored."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # The admin who made the link, when it was not sent by email.
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    mail_status: Mapped[str] = mapped_column(String(16), default=MailStatus.QUEUED)
    mail_error: Mapped[str | None] = mapped_column(String(255))


class UserSession(Model):
    """A signed-in session: its id lives in the cookie, so ending the row ends every copy."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A hash of the id in the cookie, so a database leak gives no usable session.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # When this session passed the two-factor check (None: password only so far).
    second_factor_at: Mapped[datetime | None]
    address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    # The session's id in learning records (cmi5's session id): random, so it is neither the
    # cookie's key nor its hash, and says nothing about the learner.
    record_id: Mapped[str] = mapped_column(String(36), unique=True, index=True, default=new_uuid)
    # When the session's end went into learning records (``terminated``): set once, by a
    # conditional update, so however many processes see the end it is recorded once.
    terminated_at: Mapped[datetime | None] = mapped_column(index=True)


class RecoveryCode(Model):
    """A one-time code for when the authenticator app is lost. Only a hash is stored."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class ThrottleHit(Model):
    """One counted attempt (a failed sign-in, a wrong code, a reset request), in the database so
    every web process sees the same count."""

    __tablename__ = "throttle_hit"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
