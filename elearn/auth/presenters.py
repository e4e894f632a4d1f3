"""Display strings for accounts."""

from flask import url_for

from elearn.auth.models import COMMUNITY_ROLES, User
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
