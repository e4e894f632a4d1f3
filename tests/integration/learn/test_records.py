"""A learner's journey through the real services leaves valid, private learning records."""

import json
from collections import Counter

from ralph.models.xapi.base.statements import BaseXapiStatement
from sqlalchemy import select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.journey import state as states
from elearn.learn.models import PageProgress
from elearn.quiz.models import QuizAttempt
from elearn.xapi.models import OutboxStatement
from elearn.xapi.validation import validate_statement
from tests.factories import make_invite
from tests.helpers import answer_quiz, start_quiz


def _statements(app) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id)).all()
        return [json.loads(r.statement_json) for r in rows]


def _verb(statement) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[1]


def test_a_whole_course_leaves_valid_statements(app, learner_client, users, published):
    quiz_m1 = published.quizzes["m1"]
    learner_client.post("/sign-in", data={})  # already signed in: nothing recorded
    for module in published.modules:
        for page in module.pages:
            learner_client.get(f"/learn/modules/{module.id}/pages/{page.id}")
            learner_client.post(f"/learn/modules/{module.id}/pages/{page.id}/complete")
        if module.id == "m1":  # fail once, then pass
            attempt_id, _ = start_quiz(learner_client, "m1")
            answer_quiz(learner_client, attempt_id, quiz_m1, right=False)
            learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
        attempt_id, _ = start_quiz(learner_client, module.id)
        answer_quiz(learner_client, attempt_id, published.quizzes[module.id])
        learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    statements = _statements(app)
    for statement in statements:
        assert validate_statement(statement, app.config["BASE_URL"]) == [], statement
        BaseXapiStatement.model_validate(statement)
    verbs = Counter(_verb(s) for s in statements)
    pages = sum(len(m.pages) for m in published.modules)
    questions = sum(q.draw or len(q.questions) for q in published.quizzes.values())
    assert verbs["experienced"] == pages
    assert verbs["initialized"] == 4
    assert verbs["answered"] == questions + (quiz_m1.draw or len(quiz_m1.questions))
    assert (verbs["failed"], verbs["passed"]) == (1, 4)
    assert verbs["progressed"] == pages  # every page done before its module completed
    course_completed = [
        s for s in statements if _verb(s) == "completed" and "module" not in s["object"]["id"]
    ]
    assert len(course_completed) == 1
    assert verbs["completed"] == 5  # four modules and the course
    assert verbs["earned"] == 1  # the certificate
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == users["learner"]))
    text = json.dumps(statements)
    assert user.email not in text and user.display_name not in text
    assert {s["actor"]["account"]["name"] for s in statements} == {user.opaque_id}
    assert {s["context"]["registration"] for s in statements} == {user.course_registration}
    assert len({s["id"] for s in statements}) == len(statements)


def test_registration_and_sign_in_are_recorded(app, client, published):

    with app.app_context():
        code = make_invite().code
    client.post(
        "/register",
        data={"invite_code": code, "email": "new@example.org", "display_name": "New",
              "password": "kettle orbit lantern", "confirm_password": "kettle orbit lantern",
              "community_role": "other", "evaluation_consent": "no"},
    )  # fmt: skip
    client.post("/sign-out")
    client.post("/sign-in", data={"email": "new@example.org", "password": "kettle orbit lantern"})
    # Registering signs the learner in: signing out ends that session (terminated).
    assert [_verb(s) for s in _statements(app)] == ["registered", "terminated", "launched"]


def test_a_failed_progress_write_stores_no_statement(app, learner_client, published, monkeypatch):
    def broken_state(*args, **kwargs):
        raise RuntimeError("disk full")

    learner_client.get("/learn/modules/m1/pages/m1-p1")
    before = len(_statements(app))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(states, "load", broken_state)  # fails after the page was marked done
    response = learner_client.post("/learn/modules/m1/pages/m1-p1/complete")
    assert response.status_code == 500
    assert len(_statements(app)) == before
    with app.app_context():
        row = db.session.scalar(select(PageProgress).where(PageProgress.page_id == "m1-p1"))
        assert row.completed_at is None  # neither the progress nor its statements were stored


def test_quiz_records_carry_the_attempt_number_mastery_score_and_revision(
    app, learner_client, published
):
    quiz_m1 = published.quizzes["m1"]
    attempt_ids = []
    for right in (False, True):
        attempt_id, _ = start_quiz(learner_client, "m1")
        answer_quiz(learner_client, attempt_id, quiz_m1, right=right)
        learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
        attempt_ids.append(attempt_id)
    with app.app_context():
        revision = db.session.scalar(select(QuizAttempt.revision_id).limit(1))
    results = [s for s in _statements(app) if _verb(s) in ("passed", "failed")]
    assert [_verb(s) for s in results] == ["failed", "passed"]
    ext = f"{app.config['BASE_URL']}/xapi/ext"
    mastery = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
    for number, statement in enumerate(results, start=1):
        extensions = statement["context"]["extensions"]
        assert extensions[f"{ext}/attempt-number"] == number
        assert extensions[mastery] == extensions[f"{ext}/pass-mark"]
        assert extensions[f"{ext}/attempt-id"] not in {str(i) for i in attempt_ids}
        assert statement["context"]["revision"] == str(revision)
    answered = [s for s in _statements(app) if _verb(s) == "answered"]
    assert {s["context"]["extensions"][f"{ext}/attempt-number"] for s in answered} == {1, 2}
    outcomes = {o.id: o.text for o in published.modules[0].outcomes}
    tested = {q.id: q.outcome for q in quiz_m1.questions}
    for statement in answered:
        profile, objective = statement["context"]["contextActivities"]["category"]
        question_id = statement["object"]["id"].rsplit("/", 1)[1]
        outcome = tested[question_id]
        assert objective["id"].endswith(f"/module/m1/objective/{outcome}")
        assert objective["definition"]["type"] == "http://adlnet.gov/expapi/activities/objective"
        assert (
            objective["definition"]["description"]["en-GB"] == f"Learners can {outcomes[outcome]}"
        )
