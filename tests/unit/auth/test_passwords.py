import pytest

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
