"""Consent in learning records: free text of learners who said no never leaves, page comments
never do, and staff page views are not learner activity."""

import json

import pytest
from sqlalchemy import select

from elearn.content import provider
from elearn.content.lookup import find_survey
from elearn.extensions import db
from elearn.feedback import items, service
from elearn.xapi.models import OutboxStatement
from tests.factories import DEFAULT_PASSWORD, learner, make_user

TEXT = "MY-OWN-WORDS about the course"


def _outbox(app) -> str:
    with app.app_context():
        return "\n".join(db.session.scalars(select(OutboxStatement.statement_json)))


def _answers(survey) -> dict:
    answers = {}
    for item in survey.items:
        if item.type == "free-text":
            answers[item.id] = TEXT
        elif item.type == "multiple":
            answers[item.id] = [items.scale(item)[0][0]]
        else:
            answers[item.id] = items.scale(item)[-1][0]
    return answers


@pytest.mark.parametrize("consent", [True, False])
def test_free_text_reaches_learning_records_only_with_consent(app, published, consent):
    with app.test_request_context():
        user = make_user(evaluation_consent=consent)
        course = provider.course()
        survey = find_survey(course, "after-m1")
        service.save_answers(course, user.id, survey.id, _answers(survey))
        assert service.submit(course, provider.revision_id(), learner(user.id), survey.id)
        db.session.commit()
    outbox = _outbox(app)
    assert "/activities/survey/" in outbox  # the survey and its scale answers are recorded
    assert (TEXT in outbox) is consent


@pytest.mark.parametrize("consent", [True, False])
def test_page_comments_never_reach_learning_records(app, published, consent):
    with app.test_request_context():
        user = make_user(evaluation_consent=consent)
        service.give_page_feedback(provider.course(), learner(user.id), "m1", "m1-p1", True, TEXT)
        db.session.commit()
    outbox = _outbox(app)
    assert "m1-p1" in outbox and TEXT not in outbox


def test_consent_is_decided_once_for_the_event(app, published):
    with app.app_context():
        user = make_user(evaluation_consent=True)
        assert user.as_learner().consented and not user.as_learner().staff
        reviewer = make_user(role="reviewer")
        assert reviewer.as_learner().staff


@pytest.mark.parametrize(("role", "recorded"), [("learner", 1), ("reviewer", 0), ("admin", 0)])
def test_staff_page_views_are_not_learner_activity(app, client, published, role, recorded):
    with app.app_context():
        email = make_user(role=role).email
    client.post("/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})
    assert client.get("/learn/modules/m1/pages/m1-p1").status_code == 200
    with app.app_context():
        statements = [
            json.loads(s) for s in db.session.scalars(select(OutboxStatement.statement_json))
        ]
    viewed = [s for s in statements if s["verb"]["id"].endswith("/experienced")]
    started = [s for s in statements if s["verb"]["id"].endswith("/initialized")]
    assert len(viewed) == len(started) == recorded


def test_withdrawing_consent_leaves_review_figures_from_then_on(app, client, published):
    """Six consenting learners are counted; one says no on their account page: five are."""
    with app.app_context():
        emails = [make_user(evaluation_consent=True).email for _ in range(6)]
        reviewer = make_user(role="reviewer").email
    client.post("/sign-in", data={"email": reviewer, "password": DEFAULT_PASSWORD})
    assert "6 consenting learners registered." in client.get("/review/").get_data(as_text=True)
    client.post("/sign-out")
    client.post("/sign-in", data={"email": emails[0], "password": DEFAULT_PASSWORD})
    account = client.get("/account").get_data(as_text=True)
    assert "leave the pilot figures from then on" in account
    saved = client.post("/account/evaluation-consent", data={"evaluation_consent": "no"})
    assert saved.status_code == 302
    client.post("/sign-out")
    client.post("/sign-in", data={"email": reviewer, "password": DEFAULT_PASSWORD})
    html = client.get("/review/").get_data(as_text=True)
    assert "5 consenting learners registered." in html
