"""Decision points: a form on a content page, answered on the server, recorded as an interaction."""

import json

from sqlalchemy import select

from elearn.extensions import db
from elearn.xapi.models import OutboxStatement
from elearn.xapi.validation import validate_statement

PAGE = "/learn/modules/m1/pages/m1-p7"
ANSWER = PAGE + "/decisions/m1-d1-library"


def _statements(app) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id)).all()
        return [json.loads(r.statement_json) for r in rows]


def _decision_statements(app) -> list[dict]:
    return [s for s in _statements(app) if "/decision/" in s["object"]["id"]]


def test_the_page_shows_the_situation_and_a_form_without_feedback(learner_client, published):
    html = learner_client.get(PAGE).get_data(as_text=True)
    assert "Your turn: A question at the library" in html
    assert "He does not have a smartphone." in html
    assert f'action="{ANSWER}"' in html
    assert 'name="m1-d1-library-choice"' in html
    assert "Think again" not in html and "A good reply" not in html
    assert "Feedback on every reply" not in html


def test_an_answer_is_recorded_and_its_feedback_shown_on_the_page(app, learner_client, published):
    response = learner_client.post(ANSWER, data={"m1-d1-library-choice": "a"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith("#decision-m1-d1-library")
    html = learner_client.get(location).get_data(as_text=True)
    assert "Think again" in html
    assert "You chose: “You need the NHS App for that" in html
    assert "The same services are on the NHS website." in html
    assert "Feedback on every reply" in html and "(the best reply)" in html
    (statement,) = _decision_statements(app)
    assert validate_statement(statement, app.config["BASE_URL"]) == []
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert statement["object"]["id"].endswith("/page/m1-p7/decision/m1-d1-library")
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == ["b"]
    assert statement["result"] == {"response": "a", "success": False}
    assert statement["context"]["contextActivities"]["parent"][0]["id"].endswith("/page/m1-p7")


def test_the_best_reply_is_recorded_as_a_success(app, learner_client, published):
    response = learner_client.post(ANSWER, data={"m1-d1-library-choice": "b"})
    html = learner_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A good reply" in html
    (statement,) = _decision_statements(app)
    assert statement["result"]["success"] is True


def test_no_choice_shows_the_error_summary_and_records_nothing(app, learner_client, published):
    response = learner_client.post(ANSWER, data={})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "Select what you would say" in html
    assert "<title>Error: " in html
    assert _decision_statements(app) == []


def test_a_choice_the_decision_lacks_is_refused(app, learner_client, published):
    response = learner_client.post(ANSWER, data={"m1-d1-library-choice": "z"})
    assert response.status_code == 400
    assert _decision_statements(app) == []


def test_an_unknown_decision_or_page_is_not_found(learner_client, published):
    assert learner_client.post(PAGE + "/decisions/nope", data={}).status_code == 404
    other_page = "/learn/modules/m1/pages/m1-p1/decisions/m1-d1-library"
    assert learner_client.post(other_page, data={}).status_code == 404


def test_a_made_up_choice_in_the_address_shows_no_feedback(learner_client, published):
    html = learner_client.get(PAGE + "?decision=m1-d1-library&choice=<script>").get_data(
        as_text=True
    )
    assert "Think again" not in html and "<script>" not in html.split("<main")[1]


def test_staff_trying_a_decision_point_leave_no_learning_record(
    app, client, auth, users, published
):
    auth.sign_in(users["reviewer"])
    assert client.post(ANSWER, data={"m1-d1-library-choice": "b"}).status_code == 302
    assert _decision_statements(app) == []


def test_the_printable_module_has_its_decision_points_with_feedback(learner_client, published):
    html = learner_client.get("/learn/modules/m1/print").get_data(as_text=True)
    assert "Your turn: A question at the library" in html
    assert "Your turn: Pat puts it right" in html
    assert "(the best reply)" in html
