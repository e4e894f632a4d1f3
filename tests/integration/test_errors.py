"""Error pages and the health check."""

import json
from datetime import timedelta

from flask import abort
from sqlalchemy import update

from elearn import create_app
from elearn.db import utcnow
from elearn.extensions import db
from elearn.xapi import statements as xs
from elearn.xapi.models import OutboxStatement
from elearn.xapi.outbox import enqueue
from tests.factories import DEFAULT_PASSWORD
from tests.unit.xapi.examples import COURSE, MODULE, PAGE, H, new_learner

LEARNER = new_learner()


def test_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_403_page(app, client, users):

    client.post("/sign-in", data={"email": users["learner"], "password": DEFAULT_PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.get_data(as_text=True)


def test_400_page(app, client):

    app.add_url_rule("/boom-400", "boom400", lambda: abort(400))
    response = client.get("/boom-400")
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.get_data(as_text=True)


def test_500_page_for_an_unexpected_error(database_url):
    app = create_app(
        {
            "TESTING": True,
            "ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PROPAGATE_EXCEPTIONS": False,
        }
    )

    def explode():
        raise RuntimeError("unexpected")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "learning_records": {"waiting": 0, "oldest_waiting_seconds": None, "lrs": "not configured"},
    }


def test_healthz_503_with_a_real_unreachable_database(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )
    assert app.test_client().get("/healthz").status_code == 503


def test_healthz_reports_the_learning_records_backlog_without_secrets(app, client):
    app.config.update(LRS_ENDPOINT="https://user:secret@lrs.example.org/xapi/", LRS_PASSWORD="pw")
    with app.app_context():
        enqueue(
            db.session, [xs.experienced_page(xs.StatementContext(H, LEARNER, COURSE), MODULE, PAGE)]
        )
        db.session.execute(
            update(OutboxStatement).values(created_at=utcnow() - timedelta(minutes=5))
        )
        db.session.commit()
    body = client.get("/healthz").json
    assert body["status"] == "ok"
    records = body["learning_records"]
    assert records["waiting"] == 1
    assert 299 <= records["oldest_waiting_seconds"] <= 320
    assert records["lrs"] == "available"
    text = json.dumps(body)
    assert "secret" not in text and "lrs.example.org" not in text and "pw" not in text
