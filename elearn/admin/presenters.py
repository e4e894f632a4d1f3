"""Display rows for admin tables."""

from datetime import date, datetime

from flask import current_app, url_for
from markupsafe import Markup

from elearn.audit import AuditAction, AuditEntry
from elearn.auth.models import Invite, InviteStatus, MailStatus, PasswordReset, User
from elearn.auth.presenters import format_time, role_label
from elearn.auth.service import AccountSummary

AUDIT_ACTION_LABELS: dict[str, str] = {
    AuditAction.SIGNED_IN: "Signed in",
    AuditAction.SIGN_IN_FAILED: "Sign-in failed",
    AuditAction.SIGN_IN_REFUSED: "Sign-in refused (account turned off)",
    AuditAction.LOCKED_OUT: "Locked out after too many tries",
    AuditAction.SIGNED_OUT: "Signed out",
    AuditAction.SESSION_ENDED: "Signed out another session",
    AuditAction.SESSIONS_ENDED: "All sessions ended by an admin",
    AuditAction.PASSWORD_CHANGED: "Password changed",
    AuditAction.TWO_FACTOR_ON: "Two-factor sign-in turned on",
    AuditAction.TWO_FACTOR_RESET: "Two-factor sign-in reset by an admin",
    AuditAction.SECOND_FACTOR_FAILED: "Wrong two-factor code",
    AuditAction.RECOVERY_CODE_USED: "Recovery code used",
    AuditAction.RESET_REQUESTED: "Password reset asked for",
    AuditAction.RESET_LINK_ISSUED: "Reset link made by an admin",
    AuditAction.RESET_MAIL_FAILED: "Reset email not sent",
    AuditAction.PASSWORD_RESET: "Password reset",
    AuditAction.CONSENT_CHANGED: "Evaluation consent changed",
    AuditAction.REGISTERED: "Registered",
    AuditAction.ACCOUNT_CREATED: "Account created",
    AuditAction.ROLE_CHANGED: "Account type changed",
    AuditAction.DEACTIVATED: "Account turned off",
    AuditAction.REACTIVATED: "Account turned back on",
    AuditAction.DELETED: "Account deleted",
    AuditAction.INVITE_CREATED: "Invite code created",
    AuditAction.INVITE_REVOKED: "Invite code withdrawn",
    AuditAction.EXPORTED: "Data exported",
    AuditAction.PUBLISHED: "Course published",
    AuditAction.DRAFT_STARTED: "Course draft started",
    AuditAction.DRAFT_SAVED: "Course draft saved",
    AuditAction.DRAFT_UPLOADED: "Course draft uploaded",
    AuditAction.DRAFT_DISCARDED: "Course draft discarded",
    AuditAction.ROLLED_BACK: "Course rolled back",
}

INVITE_STATUS_LABELS: dict[str, str] = {
    InviteStatus.ACTIVE: "Works",
    InviteStatus.EXPIRED: "Expired",
    InviteStatus.USED_UP: "Used up",
    InviteStatus.REVOKED: "Withdrawn",
}

MAIL_STATUS_LABELS: dict[str, str] = {
    MailStatus.QUEUED: "Email waiting to be sent",
    MailStatus.SENT: "Email sent",
    MailStatus.FAILED: "Email not sent",
    MailStatus.NOT_CONFIGURED: "Not emailed: email is not set up. Make a reset link below",
    MailStatus.NOT_SENT: "Link made by an admin",
}


def format_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


def cohort_dates(starts_on: date | None, ends_on: date | None) -> str:
    if starts_on and ends_on:
        return f"{format_date(starts_on)} to {format_date(ends_on)}"
    if starts_on:
        return f"From {format_date(starts_on)}"
    if ends_on:
        return f"Until {format_date(ends_on)}"
    return ""


def invite_link(code: str) -> str:
    """The register page with the code filled in."""
    return current_app.config["BASE_URL"] + url_for("auth.register", code=code)


def invite_rows(invites: list[Invite], now: datetime) -> list[dict]:
    rows = []
    for invite in invites:
        status = invite.status(now)
        rows.append(
            {
                "id": invite.id,
                "cohort": invite.cohort.name,
                "dates": cohort_dates(invite.cohort.starts_on, invite.cohort.ends_on),
                "code": invite.code,
                "link": invite_link(invite.code),
                "used": f"{invite.uses} of {invite.max_uses}",
                "expires": format_date(invite.expires_at),
                "status": INVITE_STATUS_LABELS[status],
                "can_revoke": invite.revoked_at is None,
            }
        )
    return rows


def last_sign_in(user: User) -> str:
    return format_time(user.last_sign_in_at) if user.last_sign_in_at else "Never"


def progress_text(modules_done: int, modules_total: int | None, certificate: bool) -> str:
    if certificate:
        return "Course completed"
    if modules_total is None:
        return f"{modules_done} modules"
    return f"{modules_done} of {modules_total} modules"


def account_status(user: User) -> str:
    return "Active" if user.is_active else "Turned off"


def account_rows(accounts: list[AccountSummary], modules_total: int | None) -> list[list[dict]]:
    return [
        [
            {
                "html": _link(
                    url_for("admin.account", user_id=account.user.id), account.user.display_name
                )
            },
            {"text": account.user.email},
            {"text": role_label(account.user.role)},
            {"text": account.cohort_name or "None"},
            {"text": last_sign_in(account.user)},
            {"text": progress_text(account.modules_done, modules_total, account.certificate)},
            {"text": account_status(account.user)},
        ]
        for account in accounts
    ]


def _link(href: str, text: str):
    # Built with Markup's escaping: both the address and the name a person typed are escaped.
    return Markup('<a href="{}">{}</a>').format(href, text)


def reset_status(reset: PasswordReset | None) -> str:
    if reset is None:
        return "None"
    status = MAIL_STATUS_LABELS.get(reset.mail_status, reset.mail_status)
    text = f"{format_time(reset.created_at)}. {status}"
    if reset.mail_error:
        text += f" ({reset.mail_error})"
    if reset.used_at:
        text += ". Used"
    return text


def audit_rows(entries: list[AuditEntry], emails: dict[int, str]) -> list[list[dict]]:
    def who(user_id: int | None) -> str:
        if user_id is None:
            return ""
        return emails.get(user_id, f"Deleted account {user_id}")

    return [
        [
            {"text": format_time(entry.at)},
            {"text": AUDIT_ACTION_LABELS.get(entry.action, entry.action)},
            {"text": who(entry.actor_id) or "Not signed in"},
            {"text": who(entry.subject_id) or "None"},
            {"text": entry.detail or ""},
            {"text": entry.address},
        ]
        for entry in entries
    ]
