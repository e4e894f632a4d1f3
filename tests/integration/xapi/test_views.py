"""The admin "Learning records" page: status, recent statements, retry, export, access."""

import json

import pytest
from sqlalchemy import update

from elearn.extensions import db
from elearn.xapi.models import OutboxStatement
from elearn.xapi.sender import send_once
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import csrf_token_from
from tests.integration.xapi.helpers import record, record_journey, states

PAGE = "/admin/learning-records/"


def sign_in(client, email):
    response = client.post("/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def admin(xapi_app, client, users):
    sign_in(client, users["admin"])
    return client


def test_empty_page(admin):
    response = admin.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Learning records</h1>" in html
    assert "None configured: statements are kept here" in html
    assert "None waiting" in html
    assert "No statements have been recorded yet." in html
    assert "The LRS has not refused any statements." in html
    assert "style=" not in html


def test_page_shows_counts_errors_and_statements(xapi_app, admin, lrs):
    ids = record(xapi_app, 3)
    lrs.reject[ids[2]] = "score <script>alert(1)</script> out of range"
    send_once(xapi_app)
    record_journey(xapi_app)
    html = admin.get(PAGE).get_data(as_text=True)
    assert lrs.endpoint in html
    assert "Refused by the LRS" in html
    assert "The LRS refused 1 statement." in html
    assert "Send refused statements again" in html
    assert "score &lt;script&gt;alert(1)&lt;/script&gt; out of range" in html  # escaped
    assert "<script>alert(1)</script>" not in html
    assert "old, recorded" in html
    # the newest statement, as indented JSON
    assert "&#34;verb&#34;: {" in html or "&quot;verb&quot;: {" in html
    assert "http://adlnet.gov/expapi/verbs/voided" in html
    assert html.count('class="nhsuk-details"') == 21  # 1 refused, 20 recent
    assert "Voided statement " in html
    assert "Experienced: What is in a GP record?" in html


def test_page_shows_a_configuration_problem(xapi_app, admin, lrs):
    record(xapi_app, 1)
    xapi_app.config["LRS_PASSWORD"] = "wrong"
    send_once(xapi_app)
    html = admin.get(PAGE).get_data(as_text=True)
    assert "Sending has stopped" in html
    assert "LRS answered 401" in html
    assert "Statements are kept" in html


def test_retry_failed(xapi_app, admin):
    ids = record(xapi_app, 2)
    with xapi_app.app_context():
        db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.statement_id == ids[0])
            .values(state="failed", last_error="LRS answered 400: no such activity type")
        )
        db.session.commit()
    html = admin.get(PAGE).get_data(as_text=True)
    assert "Last problem: LRS answered 400: no such activity type" in html
    assert "Send refused statements again" in html
    response = admin.post(f"{PAGE}retry-failed")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(PAGE)
    assert set(states(xapi_app).values()) == {"pending"}
    html = admin.get(PAGE).get_data(as_text=True)
    assert "1 refused statement will be sent again." in html
    admin.post(f"{PAGE}retry-failed")
    assert "There were no refused statements" in admin.get(PAGE).get_data(as_text=True)


def test_retry_needs_a_csrf_token(xapi_app, csrf_app, client, users):
    sign_in_page = client.get("/sign-in").get_data(as_text=True)
    response = client.post(
        "/sign-in",
        data={
            "email": users["admin"],
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token_from(sign_in_page),
        },
    )
    assert response.status_code == 302
    ids = record(xapi_app, 1)
    with xapi_app.app_context():
        db.session.execute(update(OutboxStatement).values(state="failed"))
        db.session.commit()
    assert client.post(f"{PAGE}retry-failed").status_code == 400
    assert states(xapi_app) == {ids[0]: "failed"}
    html = client.get(PAGE).get_data(as_text=True)
    response = client.post(f"{PAGE}retry-failed", data={"csrf_token": csrf_token_from(html)})
    assert response.status_code == 302
    assert states(xapi_app) == {ids[0]: "pending"}


def test_export_download(xapi_app, admin):
    made = record_journey(xapi_app)
    response = admin.get(f"{PAGE}export")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="learning-records-'
    )
    lines = response.get_data(as_text=True).splitlines()
    assert [json.loads(line) for line in lines] == made


@pytest.mark.parametrize("role", ["learner", "reviewer"])
def test_other_roles_get_403(xapi_app, client, users, role):
    sign_in(client, users[role])
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}export").status_code == 403
    assert client.post(f"{PAGE}retry-failed").status_code == 403


def test_anonymous_is_sent_to_sign_in(xapi_app, client):
    for response in (client.get(PAGE), client.get(f"{PAGE}export")):
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]


def test_every_route_declares_its_roles(xapi_app):
    for endpoint, view in xapi_app.view_functions.items():
        if endpoint.startswith("xapi_admin."):
            assert view.allowed_roles == ("admin",)


def test_page_shows_what_the_sender_last_saw(xapi_app, admin, lrs):
    xapi_app.config.update(LRS_BACKOFF_BASE=60, LRS_BACKOFF_MAX=120)
    record(xapi_app, 1)
    html = admin.get(PAGE).get_data(as_text=True)
    assert "What the sender last saw" in html and "Taking statements" in html
    lrs.script.append(("status", 503, {}, {"detail": "<b>maintenance</b>"}))
    send_once(xapi_app)
    html = admin.get(PAGE).get_data(as_text=True)
    assert "Unavailable since" in html
    assert "after 1 try; the next try is at" in html
    assert "&lt;b&gt;maintenance&lt;/b&gt;" in html  # the LRS's words, escaped
