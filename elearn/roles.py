"""Who someone is in the service: the account roles the access checks use."""

from enum import StrEnum


class Role(StrEnum):
    LEARNER = "learner"
    REVIEWER = "reviewer"
    ADMIN = "admin"


ROLES: tuple[Role, ...] = tuple(Role)
STAFF: tuple[Role, ...] = (Role.REVIEWER, Role.ADMIN)
