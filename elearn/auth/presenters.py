"""Display strings for accounts."""

import segno
from flask import current_app, url_for
from markupsafe import Markup

from elearn.auth import service
from elearn.auth.models import COMMUNITY_ROLES, User, UserSession
from elearn.journey.progression import LANDINGS, Landing
from elearn.roles import Role

ROLE_LABELS: dict[str, str] = {
    Role.LEARNER: "Learner",
    Role.REVIEWER: "Reviewer (Data Literacy Advisory Group)",
    Role.ADMIN: "Administrator",
}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def community_role_label(value: str | None) -> str:
    return COMMUNITY_ROLES.get(value or "", "Not given")


LANDING_ENDPOINTS = {
    Landing.ADMIN: "admin.index",
    Landing.REVIEW: "review.overview",
    Landing.COURSE: "learn.dashboard",
}


def landing_url(user: User) -> str:
    """Where a signed-in user starts: their role's home page."""
    return url_for(LANDING_ENDPOINTS[LANDINGS[Role(user.role)]])


def format_time(value) -> str:
    return f"{value.day} {value:%B %Y} at {value:%H:%M} UTC"


def session_rows(user: User, sessions: list[UserSession]) -> list[dict]:
    """One row per open session: where and when, and whether it is this one."""
    rows = []
    for record in sessions:
        current = service.is_current_session(user, record)
        rows.append(
            {
                "id": record.id,
                "current": current,
                "device": record.user_agent or "Unknown browser",
                "address": record.address or "Unknown",
                "started": format_time(record.created_at),
                "last_seen": format_time(record.last_seen_at),
            }
        )
    return rows


def reset_link(token: str) -> str:
    """The full link a reset token opens (BASE_URL, so it works from an email)."""
    return current_app.config["BASE_URL"] + url_for("auth.reset_password", token=token)


def qr_code_svg(uri: str) -> Markup:
    """The QR code for an authenticator app, drawn on the server as inline SVG (no script, no
    request to anyone else). Only our own otpauth address goes in, so the SVG is ours."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#212b32", light="#ffffff")
    return Markup(svg)


def group_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
