"""Headers on every response, CSRF on every form, escaping."""

import re

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import csrf_token_from


def test_security_headers_on_pages(client):
    response = client.get("/cookies")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert re.search(r"script-src 'self' 'nonce-[\w-]+'", csp)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_inline_script_carries_this_responses_nonce(client):
    response = client.get("/cookies")
    nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)
    other = client.get("/cookies").headers["Content-Security-Policy"]
    assert nonce not in other


def test_no_hsts_over_plain_http(app, client):
    app.config["BASE_URL"] = "http://127.0.0.1:5000"
    assert "Strict-Transport-Security" not in client.get("/cookies").headers


def test_no_request_leaves_our_origin(client):
    html = client.get("/").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")) or "/static/" not in url
        if url.startswith(("http", "//")):
            raise AssertionError(f"external resource or link on the start page: {url}")


def test_session_cookie_flags(app, client):
    with app.app_context():
        make_user(email="grace@example.org")
    response = client.post(
        "/sign-in", data={"email": "grace@example.org", "password": DEFAULT_PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie


def test_post_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This form has expired" in html
    # Someone whose session ended is told to sign in again, with a link back to where they were.
    assert '<a href="/sign-in?next=/sign-in">Sign in again</a>' in html


def test_post_with_csrf_token_is_accepted(csrf_app):
    with csrf_app.app_context():
        make_user(email="grace@example.org")
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in",
        data={"email": "grace@example.org", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_every_form_carries_a_csrf_token(csrf_app):
    with csrf_app.app_context():
        make_user(email="admin@example.org", role="admin")
    client = csrf_app.test_client()
    for path in ("/sign-in", "/register"):
        assert 'name="csrf_token"' in client.get(path).get_data(as_text=True), path
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    client.post(
        "/sign-in",
        data={"email": "admin@example.org", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    for path in ("/sign-out", "/account/password", "/admin/cohorts"):
        html = client.get(path).get_data(as_text=True)
        assert html.count("<form") == html.count('name="csrf_token"') + html.count(
            'class="nhsuk-header__account-form"'
        ), path


def test_text_typed_by_a_person_is_escaped(app, client):
    with app.app_context():
        make_user(email="x@example.org", display_name="<script>alert(1)</script>")
    client.post("/sign-in", data={"email": "x@example.org", "password": DEFAULT_PASSWORD})
    html = client.get("/account").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
