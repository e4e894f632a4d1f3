"""Password rules and hashing (werkzeug's scrypt unless PASSWORD_HASH_METHOD says otherwise)."""

from functools import cache

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from elearn.config import Defaults

MIN_LENGTH = 12


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common passwords from public breach lists.
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str) -> str | None:
    """Return why a password is not allowed, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return "Password is too easy to guess. Try 3 random words together"
    return None


def hash_password(password: str) -> str:
    """Hash with the app's PASSWORD_HASH_METHOD (the default outside an app context)."""
    method = Defaults.PASSWORD_HASH_METHOD
    if has_app_context():
        method = current_app.config.get("PASSWORD_HASH_METHOD", method)
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against a hash made with any werkzeug method (it is named in the hash)."""
    return check_password_hash(password_hash, password)
