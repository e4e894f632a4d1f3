import pytest
from flask import Flask

from elearn.auth.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Password must be 12 characters or more"),
        ("elevenchars", "Password must be 12 characters or more"),
        ("qwerty123456", "Password is too easy to guess. Try 3 random words together"),
        ("aaaaaaaaaaaaaaaa", "Password is too easy to guess. Try 3 random words together"),
        ("PASSWORD1234", "Password is too easy to guess. Try 3 random words together"),
    ],
)
def test_refused_passwords(password, message):
    assert password_problem(password) == message


def test_a_long_uncommon_password_is_allowed():
    assert password_problem("kettle orbit lantern") is None


def test_hash_is_slow_scrypt_and_verifies():
    hashed = hash_password("kettle orbit lantern")
    assert hashed.startswith("scrypt:")
    assert verify_password(hashed, "kettle orbit lantern")
    assert not verify_password(hashed, "kettle orbit lanterns")


def _app(method: str | None) -> Flask:
    app = Flask(__name__)
    if method:
        app.config["PASSWORD_HASH_METHOD"] = method
    return app


@pytest.mark.parametrize(
    ("method", "prefix"),
    [("pbkdf2:sha256:1", "pbkdf2:sha256:1$"), ("scrypt", "scrypt:"), (None, "scrypt:")],
)
def test_hash_password_uses_the_apps_method(method, prefix):
    with _app(method).app_context():
        assert hash_password("kettle orbit lantern").startswith(prefix)


def test_hashes_made_with_any_method_verify_whatever_the_setting():
    with _app("pbkdf2:sha256:1").app_context():
        cheap = hash_password("kettle orbit lantern")
    strong = hash_password("kettle orbit lantern")  # outside an app: the default, scrypt
    assert cheap.split("$")[0] != strong.split("$")[0]
    for method in ("pbkdf2:sha256:1", "scrypt"):
        with _app(method).app_context():
            for hashed in (cheap, strong):
                assert verify_password(hashed, "kettle orbit lantern")
                assert not verify_password(hashed, "kettle orbit lanterns")
