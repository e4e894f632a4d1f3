"""Surveys offered when a learner comes back: "what got in the way?" after two failed tries at a
quiz or two weeks without progress, and the follow-up six weeks after completing the course."""

import json
from datetime import timedelta

from sqlalchemy import select, update

from elearn.content import provider
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import ResponseStatus, SurveyResponse
from elearn.journey import progression
from elearn.learn.models import Certificate, PageProgress
from elearn.quiz import service as quizzes
from elearn.quiz.models import QuizAttempt
from elearn.unit_of_work import action
from elearn.xapi.models import OutboxStatement
from elearn.xapi.validation import validate_statement
from tests.factories import learner
from tests.helpers import post_survey

STUCK = "What got in the way?"
FOLLOW_UP = "Six weeks on"


def _fail_quiz(app, user_id: int, module_id: str) -> int:
    with app.test_request_context(), action():
        course = provider.course()
        attempt = quizzes.start_attempt(course, provider.revision_id(), user_id, module_id)
        view = quizzes.load_attempt(course, user_id, attempt.id)
        for question in view.questions:
            quizzes.save_answer(
                view, question, [next(o.id for o in question.options if not o.correct)]
            )
        assert not progression.submit_quiz(course, learner(user_id), view).passed
        return attempt.id


def test_two_failed_tries_at_a_quiz_offer_what_got_in_the_way(
    app, learner_client, learner_id, published
):
    first = _fail_quiz(app, learner_id, "m1")
    assert STUCK not in learner_client.get("/learn/").get_data(as_text=True)
    assert STUCK not in learner_client.get(f"/learn/quiz-attempts/{first}/result").get_data(
        as_text=True
    )
    second = _fail_quiz(app, learner_id, "m1")
    result = learner_client.get(f"/learn/quiz-attempts/{second}/result").get_data(as_text=True)
    assert STUCK in result and 'href="/learn/surveys/what-got-in-the-way"' in result
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert STUCK in dashboard and 'href="/learn/surveys/what-got-in-the-way"' in dashboard
    assert learner_client.get("/learn/surveys/what-got-in-the-way").status_code == 200
    learner_client.post("/learn/surveys/what-got-in-the-way/skip")
    after_skip = learner_client.get("/learn/").get_data(as_text=True)
    assert 'href="/learn/surveys/what-got-in-the-way"' not in after_skip


def test_two_weeks_without_progress_offers_it_on_return(app, learner_client, learner_id, published):
    learner_client.get("/learn/modules/m1/pages/m1-p1")
    assert STUCK not in learner_client.get("/learn/").get_data(as_text=True)
    listing = learner_client.get("/learn/surveys").get_data(as_text=True)
    assert "two weeks without progress" in listing
    response = learner_client.get("/learn/surveys/what-got-in-the-way")
    assert response.headers["Location"] == "/learn/surveys"  # not open yet
    with app.app_context():
        db.session.execute(
            update(PageProgress).values(last_viewed_at=utcnow() - timedelta(days=15))
        )
        db.session.commit()
    assert STUCK in learner_client.get("/learn/").get_data(as_text=True)


def test_the_follow_up_is_offered_six_weeks_after_completing(
    app, learner_client, learner_id, complete_course
):
    complete_course(learner_id)
    assert FOLLOW_UP not in learner_client.get("/learn/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(Certificate).values(issued_at=utcnow() - timedelta(days=30)))
        db.session.commit()
    assert FOLLOW_UP not in learner_client.get("/learn/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(Certificate).values(issued_at=utcnow() - timedelta(days=43)))
        db.session.commit()
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert FOLLOW_UP in dashboard and 'href="/learn/surveys/follow-up"' in dashboard
    # A finished learner is not asked what got in the way, however long they stay away.
    assert STUCK not in dashboard


def test_not_sure_is_an_answer_with_a_valid_learning_record(
    app, learner_client, learner_id, published
):
    baseline = next(s for s in published.surveys if s.id == "baseline")
    data = {
        f"item-{item.id}": "not-sure" if item.type == "likert" else item.options[-1].id
        for item in baseline.items
    }
    assert post_survey(learner_client, published, "baseline", data).status_code == 302
    assert learner_client.post("/learn/surveys/baseline/check").status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(OutboxStatement)).all()
        statements = [json.loads(r.statement_json) for r in rows]
    likert = [s for s in statements if "/item/confidence-" in s["object"]["id"]]
    assert likert and all(s["result"]["response"] == "not-sure" for s in likert)
    for statement in statements:
        assert validate_statement(statement, app.config["BASE_URL"]) == [], statement


def _closed_page(client, survey_id: str, title: str) -> None:
    page = client.get(f"/learn/surveys/{survey_id}")
    assert page.status_code == 200
    html = " ".join(page.get_data(as_text=True).split())
    assert "<h1>This survey has closed</h1>" in html
    assert f"You can no longer answer “{title}”. It closed on" in html
    assert 'name="csrf_token"' not in html  # no form to answer or skip


def test_the_follow_up_closes_eight_weeks_after_completing(
    app, learner_client, learner_id, complete_course
):
    complete_course(learner_id)
    with app.app_context():
        # Open from 6 weeks (42 days) after completing, for 14 days.
        db.session.execute(update(Certificate).values(issued_at=utcnow() - timedelta(days=55)))
        db.session.commit()
    assert FOLLOW_UP in learner_client.get("/learn/").get_data(as_text=True)
    assert learner_client.get("/learn/surveys/follow-up").status_code == 200
    closed_at = utcnow() - timedelta(days=57) + timedelta(days=56)
    with app.app_context():
        db.session.execute(update(Certificate).values(issued_at=utcnow() - timedelta(days=57)))
        db.session.commit()
    assert 'href="/learn/surveys/follow-up"' not in learner_client.get("/learn/").get_data(
        as_text=True
    )
    listing = " ".join(learner_client.get("/learn/surveys").get_data(as_text=True).split())
    assert f"This survey closed on {closed_at:%-d %B %Y}." in listing
    assert 'href="/learn/surveys/follow-up"' not in listing
    _closed_page(learner_client, "follow-up", FOLLOW_UP)


def test_what_got_in_the_way_closes_four_weeks_after_it_opened(
    app, learner_client, learner_id, published
):
    learner_client.get("/learn/modules/m1/pages/m1-p1")
    # Quiet for 14 days opens it; it stays open for 28 days more.
    for days, offered in ((41, True), (43, False)):
        with app.app_context():
            db.session.execute(
                update(PageProgress).values(last_viewed_at=utcnow() - timedelta(days=days))
            )
            db.session.commit()
        dashboard = learner_client.get("/learn/").get_data(as_text=True)
        assert (STUCK in dashboard) is offered, days
    _closed_page(learner_client, "what-got-in-the-way", STUCK)


def test_a_started_survey_cannot_be_sent_once_it_has_closed(
    app, learner_client, learner_id, published
):
    _fail_quiz(app, learner_id, "m1")
    _fail_quiz(app, learner_id, "m1")
    survey = next(s for s in published.surveys if s.id == "what-got-in-the-way")
    data = {f"item-{i.id}": i.options[0].id for i in survey.items if i.type == "single"}
    data.update({f"item-{i.id}": [i.options[0].id] for i in survey.items if i.type == "multiple"})
    assert post_survey(learner_client, published, "what-got-in-the-way", data).status_code == 302
    with app.app_context():
        # The second failed try was 29 days ago: the survey closed a day ago.
        db.session.execute(update(QuizAttempt).values(submitted_at=utcnow() - timedelta(days=29)))
        db.session.commit()
    response = learner_client.post("/learn/surveys/what-got-in-the-way/check")
    assert response.status_code == 200
    assert "This survey has closed" in response.get_data(as_text=True)
    with app.app_context():
        status = db.session.scalar(
            select(SurveyResponse.status).where(SurveyResponse.survey_id == "what-got-in-the-way")
        )
    assert status == ResponseStatus.DRAFT  # nothing was sent
    assert STUCK not in learner_client.get("/learn/").get_data(as_text=True)
