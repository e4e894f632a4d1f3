"""Your data: everything held about a learner, as a JSON download and a readable page."""

import json

from markupsafe import escape
from sqlalchemy import select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.learn.models import Certificate
from elearn.xapi.models import OutboxStatement
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.privacy.texts import PAGE_COMMENT, SURVEY_TEXT


def _download(client) -> dict:
    response = client.get("/account/your-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    return json.loads(response.get_data(as_text=True))


def test_the_download_holds_every_kind_of_record(app, learner_client, everything, published):
    data = _download(learner_client)
    with app.app_context():
        user = db.session.get(User, everything.user_id)
        certificate = db.session.scalar(
            select(Certificate).where(Certificate.user_id == everything.user_id)
        )
        mine = [
            json.loads(row.statement_json)
            for row in db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id))
        ]
    account = data["account"]
    assert account["name"] == "Priya Shah" and account["email"] == everything.email
    assert account["organisation"] == "Abbey Road Surgery PPG"
    assert account["role"] == "ppg-member" and account["cohort"] == "Reading pilot"
    assert account["learning_records_id"] == user.opaque_id
    assert data["consent"] == {"pilot_evaluation": True}
    pages = sum(len(m.pages) for m in published.modules)
    assert len(data["progress"]["pages"]) == pages
    assert all(p["completed_at"] for p in data["progress"]["pages"])
    assert {m["module"] for m in data["progress"]["modules"]} == {"m1", "m2", "m3", "m4"}
    attempts = data["quiz_attempts"]
    assert [(a["module"], a["attempt"], a["passed"]) for a in attempts if a["module"] == "m1"] == [
        ("m1", 1, False),
        ("m1", 2, True),
    ]
    assert all(a["answers"] and "correct" in a["answers"][0] for a in attempts)
    responses = {r["survey"]: r for r in data["survey_responses"]}
    assert responses["baseline"]["status"] == "skipped"
    assert {"item": "what-worked", "value": SURVEY_TEXT} in responses["after-m1"]["answers"]
    assert data["page_feedback"] == [
        {
            "module": "m1",
            "page": "m1-p2",
            "helpful": True,
            "comment": PAGE_COMMENT,
            "updated_at": data["page_feedback"][0]["updated_at"],
        }
    ]
    assert data["certificate"]["verification_code"] == certificate.verification_code
    records = [r["statement"] for r in data["learning_records"]]
    assert records == mine  # only this learner has records here: all of them, in order
    assert {r["actor"]["account"]["name"] for r in records} == {user.opaque_id}
    verbs = {r["verb"]["id"].rsplit("/", 1)[1] for r in records}
    assert {"experienced", "answered", "passed", "failed", "completed", "earned"} <= verbs


def test_the_download_holds_no_one_elses_records(app, learner_client, everything):
    with app.app_context():
        make_user(email="someone-else@example.org", display_name="Someone Else")
    other = app.test_client()
    other.post("/sign-in", data={"email": "someone-else@example.org", "password": DEFAULT_PASSWORD})
    data = _download(other)
    assert data["account"]["email"] == "someone-else@example.org"
    assert data["quiz_attempts"] == [] and data["survey_responses"] == []
    assert data["page_feedback"] == [] and data["certificate"] is None
    verbs = [r["statement"]["verb"]["id"].rsplit("/", 1)[1] for r in data["learning_records"]]
    assert verbs == ["launched"]  # their sign-in, and nothing of the other learner's
    assert "Priya Shah" not in json.dumps(data)


def test_the_page_shows_every_kind_of_record_in_plain_words(
    app, learner_client, everything, published
):
    response = learner_client.get("/account/your-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for heading in (
        "Your account",
        "Your choices",
        "Your progress",
        "Your quiz attempts",
        "Your quiz answers",
        "Your survey answers",
        "Your page feedback",
        "Your certificate",
        "Your learning records",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "Priya Shah" in html and everything.email in html and "Reading pilot" in html
    assert "GP Patient Participation Group member" in html
    assert str(escape(published.modules[0].pages[0].title)) in html
    assert str(escape(SURVEY_TEXT)) in html and str(escape(PAGE_COMMENT)) in html
    quiz = published.quizzes["m1"]
    questions = quiz.draw or len(quiz.questions)
    assert f"{questions} out of {questions}" in html
    assert "learning records about you in this service" in html
    assert "more than 90 days ago are kept there, not here" in html
    assert 'href="/account/your-data.json"' in html


def test_a_new_learner_sees_plain_sentences_and_html_stays_text(app, client):
    with app.app_context():
        make_user(email="new@example.org", display_name="<script>alert(1)</script>")
    client.post("/sign-in", data={"email": "new@example.org", "password": DEFAULT_PASSWORD})
    html = client.get("/account/your-data").get_data(as_text=True)
    assert "You have not opened any pages yet." in html
    assert "You have not started a quiz yet." in html
    assert "You do not have a certificate yet." in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_account_page_links_to_your_data_and_deleting(learner_client, published):
    html = learner_client.get("/account").get_data(as_text=True)
    assert 'href="/account/your-data"' in html and 'href="/account/delete"' in html
