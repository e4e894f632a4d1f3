"""Server-side sessions: signing out ends every copy, idle and absolute limits, the account
page lists sessions and ends them, fresh form tokens at sign-in and sign-out."""

import re
from datetime import timedelta

from sqlalchemy import select

from elearn.auth.models import UserSession
from elearn.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user


def csrf_token_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _sign_in(app, email):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def _copy_cookies(source, target):
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def _age_sessions(app, **columns):
    """Move every session's times back by these amounts."""
    with app.app_context():
        for record in db.session.scalars(select(UserSession)):
            for column, delta in columns.items():
                setattr(record, column, getattr(record, column) - delta)
        db.session.commit()


def test_signing_out_ends_a_copied_session(app):
    with app.app_context():
        make_user(email="grace@example.org")
    client = _sign_in(app, "grace@example.org")
    thief = app.test_client()
    _copy_cookies(client, thief)
    assert thief.get("/account").status_code == 200  # the copy works while the session is open
    assert client.post("/sign-out").status_code == 302
    assert thief.get("/account").status_code == 302
    assert "/sign-in" in thief.get("/account").headers["Location"]


def test_the_cookie_is_host_prefixed_on_https_and_holds_no_password_hash(app):
    with app.app_context():
        user = make_user(email="grace@example.org")
        password_hash = user.password_hash
    client = _sign_in(app, "grace@example.org")
    names = {cookie.key for cookie in client._cookies.values()}
    assert "__Host-session" in names
    cookie = client.get_cookie("__Host-session")
    assert cookie.secure and cookie.path == "/" and not cookie.domain.startswith(".")
    assert password_hash not in cookie.value


def test_staff_sessions_end_after_30_idle_minutes(app):
    with app.app_context():
        make_user(role="reviewer", email="rev@example.org")
    client = _sign_in(app, "rev@example.org")
    _age_sessions(app, last_seen_at=timedelta(minutes=29))
    assert client.get("/account").status_code == 200  # and this use keeps it alive
    _age_sessions(app, last_seen_at=timedelta(minutes=31))
    assert client.get("/account").status_code == 302


def test_learner_idle_limit_is_longer_and_a_setting(app):
    with app.app_context():
        make_user(email="amina@example.org")
    client = _sign_in(app, "amina@example.org")
    _age_sessions(app, last_seen_at=timedelta(minutes=31))
    assert client.get("/account").status_code == 200
    app.config["SESSION_IDLE_MINUTES_LEARNER"] = 10
    _age_sessions(app, last_seen_at=timedelta(minutes=11))
    assert client.get("/account").status_code == 302


def test_sessions_end_at_the_absolute_limit_however_busy(app):
    with app.app_context():
        make_user(email="amina@example.org")
    client = _sign_in(app, "amina@example.org")
    _age_sessions(app, created_at=timedelta(hours=11, minutes=59))
    assert client.get("/account").status_code == 200
    _age_sessions(app, created_at=timedelta(minutes=2))
    assert client.get("/account").status_code == 302


def test_account_page_lists_sessions_and_ends_another(app):
    with app.app_context():
        make_user(email="grace@example.org")
    laptop = _sign_in(app, "grace@example.org")
    phone = app.test_client()
    phone.post(
        "/sign-in",
        data={"email": "grace@example.org", "password": DEFAULT_PASSWORD},
        headers={"User-Agent": "Phone browser"},
    )
    html = laptop.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in html
    assert "Phone browser" in html and "(this browser)" in html
    with app.app_context():
        phone_id = db.session.scalar(
            select(UserSession.id).where(UserSession.user_agent == "Phone browser")
        )
    response = laptop.post(f"/account/sessions/{phone_id}/end", follow_redirects=True)
    assert "That session has been signed out" in response.get_data(as_text=True)
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200
    assert "Phone browser" not in laptop.get("/account").get_data(as_text=True)


def test_a_user_cannot_end_someone_elses_session(app):
    with app.app_context():
        make_user(email="grace@example.org")
        make_user(email="amina@example.org")
    grace = _sign_in(app, "grace@example.org")
    amina = _sign_in(app, "amina@example.org")
    with app.app_context():
        amina_session = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()[-1]
    response = grace.post(f"/account/sessions/{amina_session.id}/end", follow_redirects=True)
    assert "That session had already ended" in response.get_data(as_text=True)
    assert amina.get("/account").status_code == 200


def test_form_tokens_are_renewed_at_sign_in_and_sign_out(csrf_app):
    app = csrf_app
    with app.app_context():
        make_user(email="grace@example.org")
    client = app.test_client()
    before = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in",
        data={"email": "grace@example.org", "password": DEFAULT_PASSWORD, "csrf_token": before},
    )
    assert response.status_code == 302
    signed_in = csrf_token_from(client.get("/sign-out").get_data(as_text=True))
    # The token from before sign-in no longer works for a form.
    stale = client.post("/sign-out", data={"csrf_token": before})
    assert stale.status_code == 400
    assert "This form has expired" in stale.get_data(as_text=True)
    assert client.post("/sign-out", data={"csrf_token": signed_in}).status_code == 302
    expired = client.post("/sign-in", data={"csrf_token": signed_in})
    assert expired.status_code == 400
    assert "Sign in again" in expired.get_data(as_text=True)
