"""Display strings for accounts."""

from elearn.auth.models import COMMUNITY_ROLES

ROLE_LABELS = {
    "learner": "Learner",
    "reviewer": "Reviewer (Data Literacy Advisory Group)",
    "admin": "Administrator",
}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def community_role_label(value: str | None) -> str:
    return COMMUNITY_ROLES.get(value or "", "Not given")
