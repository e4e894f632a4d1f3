"""Two-factor sign-in (TOTP): required for reviewers and admins before any review or admin page,
set up with a server-drawn QR code, recovery codes stored hashed, wrong codes counted."""

import re
from datetime import UTC, datetime

import pyotp
from sqlalchemy import select

from elearn.audit import AuditAction, AuditEntry
from elearn.auth.models import RecoveryCode, User
from elearn.config import Defaults
from elearn.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.access_matrix import MATRIX, POSTS


def _password_only(app, email, next_path=""):
    client = app.test_client()
    response = client.post(
        "/sign-in" + next_path, data={"email": email, "password": DEFAULT_PASSWORD}
    )
    return client, response


def _secret(app, email) -> str:
    with app.app_context():
        return db.session.scalar(select(User.totp_secret).where(User.email == email))


def _set_up(app, client, email) -> list[str]:
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    code = pyotp.TOTP(_secret(app, email)).now()
    response = client.post("/account/two-factor", data={"code": code})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Save your recovery codes" in html
    return re.findall(r"<code>([a-z0-9-]{19})</code>", html)


def test_staff_defaults_require_two_factor():
    assert set(Defaults.TWO_FACTOR_ROLES) == {"reviewer", "admin"}


def test_reviewer_sets_up_and_then_signs_in_with_a_code(two_factor_app, published):
    app = two_factor_app
    with app.app_context():
        make_user(role="reviewer", email="rev@example.org")
    client, response = _password_only(app, "rev@example.org")
    assert response.headers["Location"].startswith("/sign-in/two-factor")
    # No review page before the second step: set-up comes first.
    blocked = client.get("/review/")
    assert blocked.status_code == 302 and "/sign-in/two-factor" in blocked.headers["Location"]
    assert "/account/two-factor" in client.get("/sign-in/two-factor").headers["Location"]
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and "Scan this QR code" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    codes = _set_up(app, client, "rev@example.org")
    assert len(codes) == 10
    assert client.get("/review/").status_code == 200

    # Next time: password, then a code.
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert all(code.replace("-", "") not in stored for code in codes)  # only hashes kept
    client, _ = _password_only(app, "rev@example.org", "?next=/review/quizzes")
    assert client.get("/review/").status_code == 302
    totp = pyotp.TOTP(_secret(app, "rev@example.org"))
    wrong = client.post("/sign-in/two-factor?next=/review/quizzes", data={"code": "000000"})
    assert wrong.status_code == 400
    assert "Enter a correct code" in wrong.get_data(as_text=True)
    # The code used at set-up cannot be used again; the next one can.
    right = client.post(
        "/sign-in/two-factor?next=/review/quizzes",
        data={"code": totp.at(datetime.now(UTC), counter_offset=1)},
    )
    assert right.status_code == 302 and right.headers["Location"] == "/review/quizzes"
    assert client.get("/review/").status_code == 200


def test_a_code_cannot_be_used_twice(two_factor_app):
    app = two_factor_app
    with app.app_context():
        make_user(role="admin", email="admin@example.org")
    client, _ = _password_only(app, "admin@example.org")
    _set_up(app, client, "admin@example.org")
    used = pyotp.TOTP(_secret(app, "admin@example.org")).now()
    other, _ = _password_only(app, "admin@example.org")
    assert other.post("/sign-in/two-factor", data={"code": used}).status_code == 400


def test_recovery_code_signs_in_once(two_factor_app):
    app = two_factor_app
    with app.app_context():
        make_user(role="admin", email="admin@example.org")
    client, _ = _password_only(app, "admin@example.org")
    codes = _set_up(app, client, "admin@example.org")
    other, _ = _password_only(app, "admin@example.org")
    assert other.post("/sign-in/two-factor", data={"code": codes[0].upper()}).status_code == 302
    assert other.get("/admin/").status_code == 200
    third, _ = _password_only(app, "admin@example.org")
    assert third.post("/sign-in/two-factor", data={"code": codes[0]}).status_code == 400
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {
        AuditAction.TWO_FACTOR_ON,
        AuditAction.RECOVERY_CODE_USED,
        AuditAction.SECOND_FACTOR_FAILED,
    } <= actions


def test_wrong_codes_count_like_wrong_passwords(two_factor_app):
    app = two_factor_app
    with app.app_context():
        make_user(role="admin", email="admin@example.org")
    client, _ = _password_only(app, "admin@example.org")
    _set_up(app, client, "admin@example.org")
    client, _ = _password_only(app, "admin@example.org")
    for _ in range(3):
        assert client.post("/sign-in/two-factor", data={"code": "123456"}).status_code == 400
    for _ in range(2):
        wrong = app.test_client().post(
            "/sign-in", data={"email": "admin@example.org", "password": "not the password"}
        )
        assert wrong.status_code == 400
    # Five failures of either kind: the account's limit is reached.
    assert client.post("/sign-in/two-factor", data={"code": "123456"}).status_code == 429


def test_every_review_and_admin_page_waits_for_the_second_step(two_factor_app, published):
    app = two_factor_app
    with app.app_context():
        make_user(role="admin", email="admin@example.org")
    client, _ = _password_only(app, "admin@example.org")
    staff_paths = [
        path
        for path, expected in list(MATRIX.values()) + list(POSTS.values())
        if expected["learner"] == 403
    ]
    assert len(staff_paths) > 10
    for path in staff_paths:
        response = client.get(path) if path in dict(MATRIX.values()) else client.post(path)
        assert response.status_code == 302, path
        assert "/sign-in/two-factor" in response.headers["Location"], path


def test_learners_may_turn_it_on(app, published):
    with app.app_context():
        make_user(email="amina@example.org")
    client, response = _password_only(app, "amina@example.org")
    assert response.headers["Location"] == "/learn/"
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "It keeps your account safe" in page
    _set_up(app, client, "amina@example.org")
    assert "Two-factor sign-in is on" in client.get("/account/two-factor").get_data(as_text=True)
    client, response = _password_only(app, "amina@example.org")
    assert response.headers["Location"].startswith("/sign-in/two-factor")
    assert client.get("/learn/").status_code == 302


def test_a_wrong_set_up_code_shows_the_error_summary(app):
    with app.app_context():
        make_user(email="amina@example.org")
    client, _ = _password_only(app, "amina@example.org")
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "12"})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert "Enter the 6-digit code your authenticator app shows now" in response.get_data(
        as_text=True
    )


def test_an_admin_resets_two_factor_for_a_lost_phone(two_factor_app):
    app = two_factor_app
    with app.app_context():
        make_user(role="admin", email="admin@example.org")
        make_user(role="reviewer", email="rev@example.org")
    reviewer, _ = _password_only(app, "rev@example.org")
    _set_up(app, reviewer, "rev@example.org")
    admin, _ = _password_only(app, "admin@example.org")
    _set_up(app, admin, "admin@example.org")
    with app.app_context():
        reviewer_id = db.session.scalar(select(User.id).where(User.email == "rev@example.org"))
    assert "Reset two-factor sign-in" in admin.get(f"/admin/accounts/{reviewer_id}").get_data(
        as_text=True
    )
    assert admin.post(f"/admin/accounts/{reviewer_id}/reset-two-factor").status_code == 302
    assert reviewer.get("/review/").status_code == 302  # signed out
    with app.app_context():
        user = db.session.get(User, reviewer_id)
        assert not user.two_factor_enabled and user.totp_secret is None
    again, response = _password_only(app, "rev@example.org")
    assert "/account/two-factor" in again.get(response.headers["Location"]).headers["Location"]
