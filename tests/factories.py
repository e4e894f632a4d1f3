"""Factory helpers that make rows through the real services."""

import itertools
from datetime import timedelta

from elearn.auth.models import Invite, User
from elearn.auth.service import create_cohort_with_invite, create_user
from elearn.db import utcnow
from elearn.events import Learner
from elearn.extensions import db

DEFAULT_PASSWORD = "correct horse battery staple"
# The test apps hash new passwords with this instead of scrypt (~120 ms a hash, ~165 ms a check).
FAST_PASSWORD_HASH = "pbkdf2:sha256:1"
_counter = itertools.count(1)


def make_user(role: str = "learner", email: str | None = None, **fields) -> User:
    email = email or f"{role}{next(_counter)}@example.org"
    user = create_user(email, DEFAULT_PASSWORD, role, fields.pop("display_name", None))
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def make_invite(name: str | None = None, max_uses: int = 5, expired: bool = False) -> Invite:
    invite = create_cohort_with_invite(name or f"Cohort {next(_counter)}", max_uses=max_uses)
    if expired:
        invite.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    return invite


def learner(user_id: int) -> Learner:
    """Who a learner is in learning events (the services take this, not a bare id)."""
    return db.session.get(User, user_id).as_learner()
