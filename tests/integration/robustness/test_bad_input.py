"""Requests that once gave a 500: each now gets a 4xx page or the page it asked for."""

import logging
import threading

import pytest
from sqlalchemy import func, select

from elearn import errors
from elearn.auth.models import User
from elearn.extensions import db
from elearn.learn.models import PageProgress
from tests.factories import DEFAULT_PASSWORD, make_invite

ODD_QUERIES = [
    "endpoint=x",
    "_method=POST",
    "page=²",
    "cohort=²",
    "cohort=2147483648",
    "page=99999999999999999999999",
    "role=nobody&module=%00",
    "q=%F0%9F%92%A5" + "x" * 5000,
]


@pytest.mark.parametrize("page", ["/review/surveys", "/review/quizzes", "/review/page-feedback"])
@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_review_filters_show_the_page(clients, page, query):
    response = clients["reviewer"].get(f"{page}?{query}")
    assert response.status_code == 200


def test_export_links_keep_only_parsed_filters(clients):
    html = clients["reviewer"].get("/review/surveys?cohort=²&role=ppg-member&endpoint=x")
    text = html.get_data(as_text=True)
    assert 'survey-responses.csv?role=ppg-member"' in text
    assert "endpoint=x" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/learn/quiz-attempts/2147483648/result",
        "/learn/quiz-attempts/99999999999999999999999999/check",
        "/learn/quiz-attempts/" + "9" * 5000 + "/result",
        "/learn/quiz-attempts/%D9%A3/result",  # an Arabic-Indic digit
        "/learn/quiz-attempts/0/questions/1",
        "/learn/quiz-attempts/1/questions/2147483648",
        "/learn/modules/%F0%9F%92%A5/pages/x",
    ],
)
def test_odd_ids_are_not_found(clients, path):
    assert clients["learner"].get(path).status_code == 404


def test_a_newline_in_next_goes_to_the_landing_page(app, users):
    client = app.test_client()
    response = client.post(
        "/sign-in?next=/learn/%0d%0aSet-Cookie:%20x=1",
        data={"email": users["learner"], "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/learn/"
    assert "Set-Cookie: x" not in str(response.headers)


def test_parallel_first_views_of_a_page_store_one_row(app, users, published):
    clients = []
    for _ in range(8):
        client = app.test_client()
        client.post("/sign-in", data={"email": users["learner"], "password": DEFAULT_PASSWORD})
        clients.append(client)
    statuses, barrier = [], threading.Barrier(len(clients))

    def view(client):
        barrier.wait()
        statuses.append(client.get("/learn/modules/m2/pages/m2-p1").status_code)

    threads = [threading.Thread(target=view, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(clients)
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(PageProgress).where(PageProgress.page_id == "m2-p1")
        )
        assert count == 1


def test_parallel_registrations_with_one_email_make_one_account(app, published):
    with app.app_context():
        code = make_invite(max_uses=20).code
    data = {"invite_code": code, "email": "twin@example.org", "display_name": "Twin",
            "password": "kettle orbit lantern", "confirm_password": "kettle orbit lantern",
            "community_role": "other", "evaluation_consent": "no"}  # fmt: skip
    statuses, barrier = [], threading.Barrier(8)

    def register():
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post("/register", data=data).status_code)

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 500 not in statuses
    assert statuses.count(302) == 1 and set(statuses) <= {302, 400}
    with app.app_context():
        emails = db.session.scalars(select(User.email).where(User.email == "twin@example.org"))
        assert list(emails) == ["twin@example.org"]


def test_an_error_is_logged_once_with_the_reference_shown_to_the_user(app, client, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("unexpected")

    app.add_url_rule("/explode", "explode", explode)
    with caplog.at_level(logging.ERROR):
        response = client.get("/explode")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1
    reference = logged[0].getMessage().rsplit("(request ", 1)[1].rstrip(")")
    assert f"Quote this reference: <strong>{reference}</strong>" in html
    assert "Content-Security-Policy" in response.headers


def test_a_broken_transaction_still_gets_the_error_page(app, client, users, published):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def break_the_session():
        db.session.add(User(email=users["learner"], display_name="x", password_hash="x"))
        try:
            db.session.flush()  # a duplicate email: the transaction needs a rollback now
        except Exception:
            pass
        raise RuntimeError("after a failed flush")

    app.add_url_rule("/break", "break", break_the_session)
    client.post("/sign-in", data={"email": users["learner"], "password": DEFAULT_PASSWORD})
    response = client.get("/break")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


def test_when_the_error_page_cannot_be_drawn_a_plain_one_is_sent(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("unexpected")

    def no_templates(*args, **kwargs):
        raise RuntimeError("templates are gone")

    app.add_url_rule("/explode", "explode", explode)
    monkeypatch.setattr(errors, "render_template", no_templates)
    response = client.get("/explode")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "quote this reference" in html
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_no_learner_data_in_a_database_error_message(app, client, users, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def duplicate():
        db.session.add(User(email=users["learner"], display_name="Secret Name", password_hash="h"))
        db.session.flush()

    app.add_url_rule("/duplicate", "duplicate", duplicate)
    with caplog.at_level(logging.ERROR):
        assert client.get("/duplicate").status_code == 500
    logged = "\n".join(caplog.text.splitlines())
    assert "IntegrityError" in logged
    assert users["learner"] not in logged and "Secret Name" not in logged
