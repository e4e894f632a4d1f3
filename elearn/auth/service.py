"""Accounts: registration by invite, sign-in checks, password changes, invites.

Services take plain values, change rows and flush (the edge commits), and raise ServiceError with
the field the message belongs to, so views can put it back on the form.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult

from elearn.auth.models import (
    COMMUNITY_ROLES,
    INVITE_DAYS_VALID,
    INVITE_MAX_USES,
    Cohort,
    Invite,
    User,
)
from elearn.auth.passwords import hash_password, password_problem, verify_password
from elearn.db import new_uuid, utcnow
from elearn.extensions import db
from elearn.roles import ROLES, Role


class ServiceError(Exception):
    """A business-rule failure with a plain-English message for one form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Registration:
    invite_code: str
    email: str
    display_name: str
    password: str
    community_role: str
    organisation: str | None
    evaluation_consent: bool


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_code(code: str) -> str:
    return code.strip().upper().replace(" ", "")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def load_user(user_key: str) -> User | None:
    """Flask-Login loader: the key is 'id:session_token', so a password change ends sessions."""
    user_id, _, token = user_key.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or user.deleted_at is not None:
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None. Takes the same time whether or not they exist."""
    user = find_user_by_email(email)
    if user is None or user.deleted_at is not None:
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


_DUMMY_HASH = hash_password(secrets.token_hex(16))


def register_learner(data: Registration, now: datetime | None = None) -> User:
    """Create a learner from an invite; on any error the edge rolls back everything."""
    now = now or utcnow()
    code = normalise_code(data.invite_code)
    invite = db.session.scalar(select(Invite).where(Invite.code == code))
    if invite is None:
        raise ServiceError(
            "invite_code", "Enter a valid invite code. Check it with the person who sent it"
        )
    if invite.expires_at <= now:
        raise ServiceError("invite_code", "This invite code has expired. Ask for a new one")
    if invite.uses >= invite.max_uses:
        raise ServiceError("invite_code", "This invite code has been used up. Ask for a new one")
    if find_user_by_email(data.email) is not None:
        raise ServiceError(
            "email", "An account with this email address already exists. Sign in instead"
        )
    problem = password_problem(data.password)
    if problem:
        raise ServiceError("password", problem)
    if data.community_role not in COMMUNITY_ROLES:
        raise ServiceError("community_role", "Select the role that best describes you")
    # Count the use atomically, so two people cannot take the last place at once.
    taken = cast(
        CursorResult[Any],
        db.session.execute(
            update(Invite)
            .where(Invite.id == invite.id, Invite.uses < Invite.max_uses)
            .values(uses=Invite.uses + 1)
        ),
    ).rowcount
    if taken != 1:
        raise ServiceError("invite_code", "This invite code has been used up. Ask for a new one")
    user = User(
        email=normalise_email(data.email),
        display_name=data.display_name.strip(),
        password_hash=hash_password(data.password),
        role=Role.LEARNER,
        community_role=data.community_role,
        organisation=(data.organisation or "").strip() or None,
        evaluation_consent=data.evaluation_consent,
        cohort_id=invite.cohort_id,
    )
    db.session.add(user)
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; other sessions are signed out."""
    if not verify_password(user.password_hash, current):
        raise ServiceError("current_password", "Your current password is not right")
    problem = password_problem(new)
    if problem:
        raise ServiceError("new_password", problem)
    user.password_hash = hash_password(new)
    user.session_token = new_uuid()
    db.session.flush()


def set_evaluation_consent(user: User, consent: bool) -> None:
    """Record the learner's choice about the pilot evaluation."""
    user.evaluation_consent = consent
    db.session.flush()


DELETED_NAME = "Deleted account"


def erase_account(user: User, now: datetime | None = None) -> None:
    """Delete a learner's personal details and unlink them from their learning records: a new
    random actor id replaces the one the Learning Record Store knows, so statements sent
    before can no longer be tied to this account. The account cannot sign in again and its
    email address is free to register again. Cohort, role and consent stay, so the pilot's
    figures stay right."""
    user.email = f"deleted-{new_uuid()}"  # not an email address: no sign-in can match it
    user.display_name = DELETED_NAME
    user.password_hash = hash_password(secrets.token_hex(32))
    user.organisation = None
    user.opaque_id = new_uuid()
    user.course_registration = new_uuid()
    user.session_token = new_uuid()
    user.deleted_at = now or utcnow()
    db.session.flush()


def create_user(email: str, password: str, role: str, display_name: str | None = None) -> User:
    """Create a staff or learner account directly (CLI and demo data)."""
    if role not in ROLES:
        raise ServiceError("role", f"Role must be one of: {', '.join(ROLES)}")
    if find_user_by_email(email) is not None:
        raise ServiceError("email", f"An account with the email {email} already exists")
    if "@" not in email:
        raise ServiceError(
            "email", "Enter an email address in the correct format, like name@example.com"
        )
    problem = password_problem(password)
    if problem:
        raise ServiceError("password", problem)
    user = User(
        email=normalise_email(email),
        display_name=display_name or email.split("@")[0],
        password_hash=hash_password(password),
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    return user


def new_invite_code() -> str:
    """A code people can read out: HDG- and 8 letters and digits with no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "HDG-" + "".join(secrets.choice(alphabet) for _ in range(8))


def create_cohort_with_invite(
    name: str,
    max_uses: int = INVITE_MAX_USES,
    days_valid: int = INVITE_DAYS_VALID,
    now: datetime | None = None,
) -> Invite:
    """Create a cohort and its first invite code in one transaction."""
    name = name.strip()
    if not name:
        raise ServiceError("name", "Enter a name for the cohort")
    if db.session.scalar(select(func.count()).select_from(Cohort).where(Cohort.name == name)):
        raise ServiceError("name", "A cohort with this name already exists")
    cohort = Cohort(name=name)
    invite = Invite(
        code=new_invite_code(),
        cohort=cohort,
        max_uses=max_uses,
        expires_at=(now or utcnow()) + timedelta(days=days_valid),
    )
    db.session.add_all([cohort, invite])
    db.session.flush()
    return invite


def list_invites() -> list[Invite]:
    return list(
        db.session.scalars(select(Invite).join(Invite.cohort).order_by(Invite.created_at.desc()))
    )
