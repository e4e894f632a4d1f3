"""What a changed "helpful?" answer does to the learning records: void the old, send the new."""

import json

from sqlalchemy import select

from elearn.content.models import ContentRevision
from elearn.extensions import db
from elearn.feedback.models import PageFeedback
from elearn.xapi.models import OutboxStatement

URL = "/learn/modules/m1/pages/m1-p2/feedback"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _post(client, helpful="yes", comment=""):
    data = {"page-feedback-helpful": helpful, "page-feedback-comment": comment}
    assert client.post(URL, data=data).status_code == 302


def _helpful_statements(app) -> list[dict]:
    with app.app_context():
        made = [
            json.loads(text)
            for text in db.session.scalars(
                select(OutboxStatement.statement_json).order_by(OutboxStatement.id)
            )
        ]
    return [
        s
        for s in made
        if s["verb"]["id"] == VOIDED or s["object"]["id"].endswith("/page/m1-p2/helpful")
    ]


def current_answers(statements: list[dict]) -> list[str]:
    """What an analyst counts: answers not voided."""
    voided = {s["object"]["id"] for s in statements if s["verb"]["id"] == VOIDED}
    return [
        s["result"]["response"]
        for s in statements
        if s["verb"]["id"] != VOIDED and s["id"] not in voided
    ]


def test_a_changed_answer_voids_the_earlier_statement(app, learner_client, learner_id, published):
    _post(learner_client, "yes")
    (first,) = _helpful_statements(app)
    assert first["result"]["response"] == "true"

    _post(learner_client, "no")
    made = _helpful_statements(app)
    assert len(made) == 3
    void, second = made[1], made[2]
    assert void["verb"]["id"] == VOIDED
    assert void["object"] == {"objectType": "StatementRef", "id": first["id"]}
    assert second["result"]["response"] == "false"
    assert current_answers(made) == ["false"]

    _post(learner_client, "yes")  # and back again: the second answer is voided
    made = _helpful_statements(app)
    assert made[3]["object"]["id"] == second["id"]
    assert current_answers(made) == ["true"]
    with app.app_context():
        (row,) = db.session.scalars(select(PageFeedback))
        assert row.helpful is True


def test_the_same_answer_again_sends_nothing(app, learner_client, learner_id, published):
    _post(learner_client, "yes")
    _post(learner_client, "yes")
    _post(learner_client, "yes", "Now with a comment")  # comments never go into statements
    made = _helpful_statements(app)
    assert len(made) == 1
    assert current_answers(made) == ["true"]


def test_statements_carry_the_content_revision(app, learner_client, learner_id, published):
    _post(learner_client, "yes")
    _post(learner_client, "no")
    with app.app_context():
        revision = db.session.scalar(select(ContentRevision.id).order_by(ContentRevision.id.desc()))
    first, void, second = _helpful_statements(app)
    assert first["context"]["revision"] == second["context"]["revision"] == str(revision)
    assert "revision" not in void["context"]  # xAPI: only when the object is an Activity
