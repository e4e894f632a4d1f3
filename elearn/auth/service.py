"""Accounts: registration by invite, sign-in checks, password changes, invites.

Services take plain values, change rows and flush (the edge commits), and raise ServiceError with
the field the message belongs to, so views can put it back on the form.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, cast

import pyotp
from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult

from elearn import audit, events
from elearn.audit import AuditAction
from elearn.auth.models import (
    COMMUNITY_ROLES,
    INVITE_DAYS_VALID,
    INVITE_MAX_USES,
    Cohort,
    Invite,
    MailStatus,
    PasswordReset,
    RecoveryCode,
    User,
    UserSession,
)
from elearn.auth.passwords import hash_password, password_problem, verify_password
from elearn.content import provider
from elearn.content.store import NoContent
from elearn.db import new_uuid, utcnow
from elearn.extensions import db
from elearn.learn.models import Certificate, ModuleProgress
from elearn.mail import Message, is_configured, send_after_commit
from elearn.roles import ROLES, STAFF, Role


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
    """Flask-Login loader: the key is 'user id:session key'. The user is signed in only while
    that session is open (not signed out, ended, idle too long or past its absolute limit)."""
    user_id, _, key = user_key.partition(":")
    if not user_id.isdigit() or not key:
        return None
    found = find_session(int(user_id), key)
    if found is None:
        return None
    record, user = found
    if not user.is_active:
        return None
    user.session_key = key
    user.session_record_id = record.record_id
    user.session_last_active = record.last_seen_at  # as it was before this request
    user.needs_second_factor = second_factor_due(user) and record.second_factor_at is None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None. Takes the same time whether or not they exist."""
    user = find_user_by_email(email)
    if user is None or user.deleted_at is not None:
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


_DUMMY_HASH = hash_password(secrets.token_hex(16))


def record_failed_sign_in(email: str) -> None:
    """Log a wrong email or password in the audit log (it outlives the failed request)."""
    user = find_user_by_email(email)
    audit.record_now(AuditAction.SIGN_IN_FAILED, None, user.id if user else None)


def record_lock_out(email: str) -> None:
    """Log a sign-in refused because of too many tries."""
    user = find_user_by_email(email)
    audit.record_now(AuditAction.LOCKED_OUT, None, user.id if user else None)


def record_refused_sign_in(user: User) -> None:
    """Log the right password for a deactivated account."""
    audit.record_now(AuditAction.SIGN_IN_REFUSED, None, user.id)


def register_learner(data: Registration, now: datetime | None = None) -> User:
    """Create a learner from an invite; on any error the edge rolls back everything."""
    now = now or utcnow()
    code = normalise_code(data.invite_code)
    invite = db.session.scalar(select(Invite).where(Invite.code == code))
    if invite is None:
        raise ServiceError(
            "invite_code", "Enter a valid invite code. Check it with the person who sent it"
        )
    if invite.revoked_at is not None:
        raise ServiceError("invite_code", "This invite code has been withdrawn. Ask for a new one")
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
            .where(
                Invite.id == invite.id, Invite.uses < Invite.max_uses, Invite.revoked_at.is_(None)
            )
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
    audit.record(AuditAction.REGISTERED, user.id, user.id)
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
    end_sessions(user.id, keep=user.session_key or None)
    audit.record(AuditAction.PASSWORD_CHANGED, user.id, user.id)
    db.session.flush()


def set_evaluation_consent(user: User, consent: bool) -> None:
    """Record the learner's choice about the pilot evaluation."""
    user.evaluation_consent = consent
    audit.record(AuditAction.CONSENT_CHANGED, user.id, user.id, "yes" if consent else "no")
    db.session.flush()


DELETED_NAME = "Deleted account"


def erase_account(
    user: User, now: datetime | None = None, *, deleted_by: int | None = None
) -> None:
    """Delete a learner's personal details and unlink them from their learning records: a new
    random actor id replaces the one the Learning Record Store knows, so statements sent
    before can no longer be tied to this account. The account cannot sign in again and its
    email address is free to register again. Cohort, role and consent stay, so the pilot's
    figures stay right. ``deleted_by``: the learner, an admin, or None (the retention purge)."""
    if deleted_by is None:
        how = "after the retention period"
    elif deleted_by == user.id:
        how = "at their own request"
    else:
        how = "by an admin"
    audit.record(AuditAction.DELETED, deleted_by, user.id, how)
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
    actor_id: int | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Invite:
    """Create a cohort (with optional start and end dates) and its first invite code."""
    name = name.strip()
    if not name:
        raise ServiceError("name", "Enter a name for the cohort")
    if starts_on and ends_on and ends_on < starts_on:
        raise ServiceError("ends_on", "End date must be the same as or after the start date")
    if db.session.scalar(select(func.count()).select_from(Cohort).where(Cohort.name == name)):
        raise ServiceError("name", "A cohort with this name already exists")
    cohort = Cohort(name=name, starts_on=starts_on, ends_on=ends_on)
    invite = Invite(
        code=new_invite_code(),
        cohort=cohort,
        max_uses=max_uses,
        expires_at=(now or utcnow()) + timedelta(days=days_valid),
    )
    db.session.add_all([cohort, invite])
    db.session.flush()
    audit.record(AuditAction.INVITE_CREATED, actor_id, None, f"{name}: {invite.code}")
    return invite


def list_invites() -> list[Invite]:
    return list(
        db.session.scalars(select(Invite).join(Invite.cohort).order_by(Invite.created_at.desc()))
    )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# Sessions ---------------------------------------------------------------------------------------

# How often a session's "last seen" time is written (not on every request).
_SEEN_EVERY = timedelta(minutes=1)


def start_session(
    user: User, address: str | None, user_agent: str | None, now: datetime | None = None
) -> str:
    """Open a session for a user who has just proved who they are; returns the key for the
    cookie (only its hash is stored)."""
    now = now or utcnow()
    key = secrets.token_urlsafe(32)
    record = UserSession(
        key_hash=_digest(key),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        address=(address or "")[:45] or None,
        user_agent=(user_agent or "")[:200] or None,
        record_id=new_uuid(),
    )
    db.session.add(record)
    user.last_sign_in_at = now
    user.session_key = key
    user.session_record_id = record.record_id
    user.session_last_active = now
    user.needs_second_factor = second_factor_due(user)
    audit.record(AuditAction.SIGNED_IN, user.id, user.id)
    db.session.flush()
    return key


def _idle_limit(role: str) -> timedelta:
    config = current_app.config
    minutes = (
        config["SESSION_IDLE_MINUTES_STAFF"]
        if role in STAFF
        else config["SESSION_IDLE_MINUTES_LEARNER"]
    )
    return timedelta(minutes=int(minutes))


def session_is_open(record: UserSession, role: str, now: datetime) -> bool:
    absolute = timedelta(hours=int(current_app.config["SESSION_ABSOLUTE_HOURS"]))
    return (
        record.ended_at is None
        and now - record.last_seen_at < _idle_limit(role)
        and now - record.created_at < absolute
    )


def find_session(
    user_id: int, key: str, now: datetime | None = None
) -> tuple[UserSession, User] | None:
    """The open session with this key and its user (one query), marked as seen; None once it
    has ended or timed out."""
    now = now or utcnow()
    row = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.key_hash == _digest(key), UserSession.user_id == user_id)
    ).first()
    if row is None:
        return None
    record, user = row._tuple()
    if not session_is_open(record, user.role, now):
        return None
    if now - record.last_seen_at >= _SEEN_EVERY:
        # On a connection of its own: reading a page stays a read (nothing for the edge to
        # commit, so a streamed download is never cut off), and the time counts even when the
        # request itself fails.
        with db.engine.begin() as connection:
            connection.execute(
                update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now)
            )
    return record, user


def end_session(user: User, session_id: int | None = None) -> bool:
    """End one of this user's sessions (by default the current one). False if there was none."""
    query = select(UserSession).where(UserSession.user_id == user.id)
    if session_id is None:
        query = query.where(UserSession.key_hash == _digest(user.session_key))
    else:
        query = query.where(UserSession.id == session_id)
    record = db.session.scalar(query.where(UserSession.ended_at.is_(None)))
    if record is None:
        return False
    now = utcnow()
    record.ended_at = now
    if is_current_session(user, record):
        # This request (the sign-out) is not learning: the last activity is the one before it.
        last_active = user.session_last_active or record.last_seen_at
        _record_end(user, record, now, last_active, events.SessionEndReason.SIGNED_OUT)
    else:
        _record_end(user, record, now, record.last_seen_at, events.SessionEndReason.ENDED)
    audit.record(
        AuditAction.SIGNED_OUT if session_id is None else AuditAction.SESSION_ENDED,
        user.id,
        user.id,
    )
    db.session.flush()
    return True


def end_sessions(user_id: int, keep: str | None = None) -> int:
    """End all of a user's open sessions, except the one with key ``keep``."""
    query = select(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    )
    if keep:
        query = query.where(UserSession.key_hash != _digest(keep))
    records = list(db.session.scalars(query.order_by(UserSession.id)))
    user = db.session.get(User, user_id)
    now = utcnow()
    for record in records:
        record.ended_at = now
        if user is not None:
            _record_end(user, record, now, record.last_seen_at, events.SessionEndReason.ENDED)
    db.session.flush()
    return len(records)


def _record_end(
    user: User,
    record: UserSession,
    at: datetime,
    last_active: datetime,
    reason: events.SessionEndReason,
) -> bool:
    """Record in learning records that a learner's session ended, once: the conditional update
    of ``terminated_at`` lets exactly one transaction (of however many web processes and
    workers see the end) record it. Its duration runs from sign-in to ``last_active``. Staff
    sessions and deleted accounts are marked but not recorded. False if it was recorded
    already."""
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(UserSession)
            .where(UserSession.id == record.id, UserSession.terminated_at.is_(None))
            .values(terminated_at=at)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        return False
    if user.role != Role.LEARNER or user.deleted_at is not None:
        return True
    try:
        course = provider.course()
    except NoContent:
        return True
    seconds = max((min(last_active, at) - record.created_at).total_seconds(), 0.0)
    learner = replace(user.as_learner(), session=record.record_id)
    events.record(events.SessionEnded(learner, course, at, seconds=seconds, reason=reason))
    return True


def _timed_out_at(record: UserSession, role: str) -> datetime:
    """When a session stops being open if nothing more happens: its idle or absolute limit."""
    absolute = timedelta(hours=int(current_app.config["SESSION_ABSOLUTE_HOURS"]))
    return min(record.last_seen_at + _idle_limit(role), record.created_at + absolute)


def sweep_sessions(now: datetime | None = None) -> int:
    """End the sessions that have timed out and record the end of every ended session whose end
    is not recorded yet (each once, however many workers sweep). Returns how many were
    recorded now."""
    now = now or utcnow()
    rows = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.terminated_at.is_(None))
        .order_by(UserSession.id)
    ).all()
    recorded = 0
    for row in rows:
        record, user = row._tuple()
        if record.ended_at is not None:
            at, reason = record.ended_at, events.SessionEndReason.ENDED
        elif not session_is_open(record, user.role, now):
            at, reason = _timed_out_at(record, user.role), events.SessionEndReason.TIMED_OUT
        else:
            continue
        if _record_end(user, record, at, record.last_seen_at, reason):
            recorded += 1
            if record.ended_at is None:
                record.ended_at = at
    db.session.flush()
    return recorded


def open_sessions(user: User, now: datetime | None = None) -> list[UserSession]:
    """This user's sessions that are still open, newest first."""
    now = now or utcnow()
    records = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())
    )
    return [record for record in records if session_is_open(record, user.role, now)]


def is_current_session(user: User, record: UserSession) -> bool:
    return bool(user.session_key) and record.key_hash == _digest(user.session_key)


# Password reset ---------------------------------------------------------------------------------

RESET_UNUSABLE = "This link has expired or has already been used"


def _new_reset(
    user: User, now: datetime, issued_by: User | None = None
) -> tuple[PasswordReset, str]:
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(
        user_id=user.id,
        token_hash=_digest(token),
        created_at=now,
        expires_at=now + timedelta(minutes=int(current_app.config["PASSWORD_RESET_MINUTES"])),
        issued_by_id=issued_by.id if issued_by else None,
        mail_status=MailStatus.NOT_SENT if issued_by else MailStatus.QUEUED,
    )
    db.session.add(reset)
    db.session.flush()
    return reset, token


def _mail_result(reset_id: int, user_id: int) -> Callable[[str | None], None]:
    """After the commit, note on the reset whether its email went, so admins can see failures."""

    def noted(error: str | None) -> None:
        status = MailStatus.SENT if error is None else MailStatus.FAILED
        with db.engine.begin() as connection:
            connection.execute(
                update(PasswordReset)
                .where(PasswordReset.id == reset_id)
                .values(mail_status=status, mail_error=error)
            )
        if error is not None:
            audit.record_now(AuditAction.RESET_MAIL_FAILED, None, user_id, error)

    return noted


def request_password_reset(
    email: str, link_for: Callable[[str], str], now: datetime | None = None
) -> None:
    """Email a one-time reset link if an active account has this address. Says nothing either
    way, so the page cannot be used to find out who has an account."""
    now = now or utcnow()
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    reset, token = _new_reset(user, now)
    audit.record(AuditAction.RESET_REQUESTED, None, user.id)
    if not is_configured():
        reset.mail_status = MailStatus.NOT_CONFIGURED
        db.session.flush()
        return
    minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
    service_name = current_app.config["SERVICE_NAME"]
    send_after_commit(
        db.session(),
        Message(
            to=user.email,
            subject=f"Reset your {service_name} password",
            body=(
                f"Hello {user.display_name},\n\n"
                f"Someone asked to reset the password for your {service_name} account.\n"
                f"To choose a new password, open this link within {minutes} minutes:\n\n"
                f"{link_for(token)}\n\n"
                "The link works once. If you did not ask for this, you can ignore this email:"
                " your password has not changed.\n"
            ),
            on_result=_mail_result(reset.id, user.id),
        ),
    )


def issue_reset_link(admin: User, user_id: int, now: datetime | None = None) -> str:
    """An admin makes a one-time reset link to give to a learner (when email is not set up or
    did not arrive). Returns the token; only its hash is kept."""
    user = _account(user_id)
    _, token = _new_reset(user, now or utcnow(), issued_by=admin)
    audit.record(AuditAction.RESET_LINK_ISSUED, admin.id, user.id)
    return token


def usable_reset(token: str, now: datetime | None = None) -> PasswordReset | None:
    """The reset this token belongs to, if it is not expired, used or made up."""
    now = now or utcnow()
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == _digest(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    user = db.session.get(User, reset.user_id)
    if user is None or not user.is_active:
        return None
    return reset


def reset_password(token: str, new: str, now: datetime | None = None) -> User:
    """Set a new password with a reset token; the token is used up and every session ends."""
    now = now or utcnow()
    reset = usable_reset(token, now)
    if reset is None:
        raise ServiceError("new_password", RESET_UNUSABLE)
    problem = password_problem(new)
    if problem:
        raise ServiceError("new_password", problem)
    # Use the token atomically, so the same link cannot set two passwords at once.
    taken = cast(
        CursorResult[Any],
        db.session.execute(
            update(PasswordReset)
            .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        ),
    ).rowcount
    if taken != 1:
        raise ServiceError("new_password", RESET_UNUSABLE)
    user = db.session.get_one(User, reset.user_id)
    user.password_hash = hash_password(new)
    user.session_token = new_uuid()
    end_sessions(user.id)
    # Any other links still out for this account stop working too.
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    audit.record(AuditAction.PASSWORD_RESET, user.id, user.id)
    db.session.flush()
    return user


def latest_reset(user_id: int) -> PasswordReset | None:
    return db.session.scalar(
        select(PasswordReset)
        .where(PasswordReset.user_id == user_id)
        .order_by(PasswordReset.created_at.desc(), PasswordReset.id.desc())
        .limit(1)
    )


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise ServiceError("user", "There is no such account")
    return user


# Accounts admin ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSummary:
    user: User
    cohort_name: str | None
    modules_done: int
    certificate: bool


def list_accounts(search: str = "", role: str = "", limit: int = 200) -> list[AccountSummary]:
    """Accounts for the admin list, newest first: search by name or email, filter by role."""
    done = (
        select(ModuleProgress.user_id, func.count().label("done"))
        .where(ModuleProgress.completed_at.is_not(None))
        .group_by(ModuleProgress.user_id)
        .subquery()
    )
    query = (
        select(User, Cohort.name, func.coalesce(done.c.done, 0), Certificate.id)
        .outerjoin(Cohort, User.cohort_id == Cohort.id)
        .outerjoin(done, done.c.user_id == User.id)
        .outerjoin(Certificate, Certificate.user_id == User.id)
        .order_by(User.created_at.desc(), User.id.desc())
        .limit(limit)
    )
    search = search.strip().lower()
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            func.lower(User.email).like(pattern, escape="\\")
            | func.lower(User.display_name).like(pattern, escape="\\")
        )
    if role:
        query = query.where(User.role == role)
    return [
        AccountSummary(user, cohort, int(modules), certificate is not None)
        for user, cohort, modules, certificate in db.session.execute(query)
    ]


def get_account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _is_last_admin(user: User) -> bool:
    if user.role != Role.ADMIN or not user.is_active:
        return False
    admins = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.deactivated_at.is_(None))
    )
    return admins == 1


def change_role(admin: User, user_id: int, role: str) -> User:
    """Give an account another role. Refuses unknown roles and removing the last admin."""
    if role not in ROLES:
        raise ServiceError("role", "Select a role from the list")
    user = _account(user_id)
    if user.role == role:
        return user
    if role != Role.ADMIN and _is_last_admin(user):
        raise ServiceError("role", "This is the only admin. Make someone else an admin first")
    previous = user.role
    user.role = role
    # A new role means new pages: the person signs in again to get them.
    end_sessions(user.id, keep=admin.session_key if user.id == admin.id else None)
    audit.record(AuditAction.ROLE_CHANGED, admin.id, user.id, f"{previous} to {role}")
    db.session.flush()
    return user


def deactivate(admin: User, user_id: int, now: datetime | None = None) -> User:
    """Turn an account off: it cannot sign in and its sessions end. Nothing is deleted."""
    user = _account(user_id)
    if user.id == admin.id:
        raise ServiceError("user", "You cannot turn off your own account")
    if _is_last_admin(user):
        raise ServiceError("user", "This is the only admin. Make someone else an admin first")
    if user.deactivated_at is None:
        user.deactivated_at = now or utcnow()
        user.session_token = new_uuid()
        end_sessions(user.id)
        audit.record(AuditAction.DEACTIVATED, admin.id, user.id)
        db.session.flush()
    return user


def reactivate(admin: User, user_id: int) -> User:
    """Turn an account back on; the person signs in with their existing password."""
    user = _account(user_id)
    if user.deactivated_at is not None:
        user.deactivated_at = None
        audit.record(AuditAction.REACTIVATED, admin.id, user.id)
        db.session.flush()
    return user


def end_all_sessions(admin: User, user_id: int) -> int:
    """Sign an account out everywhere."""
    user = _account(user_id)
    ended = end_sessions(user.id, keep=admin.session_key if user.id == admin.id else None)
    audit.record(AuditAction.SESSIONS_ENDED, admin.id, user.id, f"{ended} sessions")
    db.session.flush()
    return ended


def create_invite(
    admin: User, cohort_id: int, max_uses: int, days_valid: int, now: datetime | None = None
) -> Invite:
    """Another invite code for an existing cohort."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise ServiceError("cohort", "Select a cohort")
    invite = Invite(
        code=new_invite_code(),
        cohort=cohort,
        max_uses=max_uses,
        expires_at=(now or utcnow()) + timedelta(days=days_valid),
    )
    db.session.add(invite)
    db.session.flush()
    audit.record(AuditAction.INVITE_CREATED, admin.id, None, f"{cohort.name}: {invite.code}")
    return invite


def revoke_invite(admin: User, invite_id: int, now: datetime | None = None) -> Invite:
    """Stop an invite code working; accounts made with it are not affected."""
    invite = db.session.get(Invite, invite_id)
    if invite is None:
        raise ServiceError("invite", "There is no such invite code")
    if invite.revoked_at is None:
        invite.revoked_at = now or utcnow()
        audit.record(AuditAction.INVITE_REVOKED, admin.id, None, invite.code)
        db.session.flush()
    return invite


def list_cohorts() -> list[Cohort]:
    return list(db.session.scalars(select(Cohort).order_by(Cohort.name)))


def emails_for(user_ids: set[int]) -> dict[int, str]:
    """Email addresses by account id (for admins reading the audit log)."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids)))
    return {user_id: email for user_id, email in rows}


# Two-factor sign-in ------------------------------------------------------------------------------

RECOVERY_CODES = 10


def second_factor_due(user: User) -> bool:
    """Whether this account signs in with a code as well as a password."""
    return user.two_factor_enabled or user.role in current_app.config["TWO_FACTOR_ROLES"]


def _current_session(user: User) -> UserSession | None:
    if not user.session_key:
        return None
    return db.session.scalar(
        select(UserSession).where(UserSession.key_hash == _digest(user.session_key))
    )


def _passed_second_factor(user: User, now: datetime) -> None:
    record = _current_session(user)
    if record is not None:
        record.second_factor_at = now
    user.needs_second_factor = False


def start_two_factor_setup(user: User) -> str:
    """The secret for the authenticator app: kept until set-up is confirmed with a code."""
    if user.two_factor_enabled:
        raise ServiceError("code", "Two-factor sign-in is already on")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The otpauth:// address the QR code holds."""
    return pyotp.TOTP(user.totp_secret or "").provisioning_uri(
        name=user.email, issuer_name=current_app.config["SERVICE_NAME"]
    )


def _accept_totp(user: User, code: str, now: datetime) -> bool:
    """A current code (one step either side for clock drift), never one already used."""
    if not user.totp_secret or not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step <= (user.totp_last_step or -1):
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def _normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    return codes


def turn_on_two_factor_for_demo(user: User, now: datetime | None = None) -> str:
    """Development only: two-factor sign-in on with a new secret, returned for printing so the
    demo stays usable (add it to an authenticator app, or make codes with pyotp)."""
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = now or utcnow()
    audit.record(AuditAction.TWO_FACTOR_ON, None, user.id, "demo account")
    db.session.flush()
    return user.totp_secret


def confirm_two_factor(user: User, code: str, now: datetime | None = None) -> list[str]:
    """Turn two-factor sign-in on once the app shows the right code; returns the recovery codes
    (shown once, stored hashed)."""
    now = now or utcnow()
    if user.two_factor_enabled:
        raise ServiceError("code", "Two-factor sign-in is already on")
    if not _accept_totp(user, code.strip(), now):
        raise ServiceError("code", "Enter the 6-digit code your authenticator app shows now")
    user.totp_enabled_at = now
    codes = _new_recovery_codes(user)
    _passed_second_factor(user, now)
    audit.record(AuditAction.TWO_FACTOR_ON, user.id, user.id)
    db.session.flush()
    return codes


def check_second_factor(user: User, code: str, now: datetime | None = None) -> bool:
    """Finish signing in with a code from the app or an unused recovery code."""
    now = now or utcnow()
    code = code.strip()
    if _accept_totp(user, code, now):
        _passed_second_factor(user, now)
        db.session.flush()
        return True
    recovery = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(_normalise_code(code)),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is not None:
        recovery.used_at = now
        _passed_second_factor(user, now)
        audit.record(AuditAction.RECOVERY_CODE_USED, user.id, user.id)
        db.session.flush()
        return True
    audit.record_now(AuditAction.SECOND_FACTOR_FAILED, user.id, user.id)
    return False


def reset_two_factor(admin: User, user_id: int) -> User:
    """For someone who lost their phone and recovery codes: two-factor sign-in is turned off
    and they are signed out; staff set it up again at their next sign-in."""
    user = _account(user_id)
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    end_sessions(user.id, keep=admin.session_key if user.id == admin.id else None)
    audit.record(AuditAction.TWO_FACTOR_RESET, admin.id, user.id)
    db.session.flush()
    return user


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )
