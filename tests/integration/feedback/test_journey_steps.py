"""The journey decides what follows each action: Next, module and course completion, the next
survey; a failed action stores nothing; a previewed draft records nothing."""

import re

from flask import Response
from sqlalchemy import func, select

from elearn.auth.models import Invite, User
from elearn.content import provider, store
from elearn.extensions import db
from elearn.journey import progression, surveys
from elearn.learn import service as progress
from elearn.learn.models import PageProgress
from elearn.quiz.models import AttemptStatus, QuizAttempt
from elearn.unit_of_work import action, finish
from elearn.xapi.models import OutboxStatement
from tests.factories import learner, make_invite


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_reading_every_page_with_next_marks_them_done_and_leads_to_the_quiz(
    app, learner_client, published
):
    module = published.modules[0]
    location = f"/learn/modules/m1/pages/{module.pages[0].id}"
    for number, page in enumerate(module.pages, start=1):
        html = learner_client.get(location).get_data(as_text=True)
        assert f'action="/learn/modules/m1/pages/{page.id}/complete"' in html
        if number < len(module.pages):
            following = module.pages[number]
            assert f"Next: {following.title}" in html
            # Next is the form's button, not a link that skips marking the page done.
            assert f'href="/learn/modules/m1/pages/{following.id}"' not in html
        else:
            assert "Next: the end of module quiz" in html
        location = learner_client.post(f"{location}/complete").headers["Location"]
    assert location == "/learn/modules/m1/quiz"
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert f"{len(module.pages)} of {len(module.pages)} pages done" in dashboard
    # The one Continue goes to what is left: the quiz.
    assert re.search(r'href="/learn/modules/m1/quiz"[^>]*>\s*Continue', dashboard)


def test_finishing_module_4_offers_its_survey_before_the_end_of_course_one(
    app, learner_client, learner_id, complete_course, published
):
    complete_course(learner_id)
    with app.app_context():
        attempt_id = db.session.scalar(
            select(QuizAttempt.id).where(QuizAttempt.module_id == "m4", QuizAttempt.passed)
        )
    result = learner_client.get(f"/learn/quiz-attempts/{attempt_id}/result").get_data(as_text=True)
    assert 'href="/learn/surveys/after-m4"' in result
    assert 'href="/learn/complete"' in result  # and the course-complete page after it
    complete = learner_client.get("/learn/complete").get_data(as_text=True)
    assert "Course complete" in complete and 'href="/learn/certificate"' in complete
    assert 'href="/learn/surveys/end-of-course"' in complete


def test_a_failure_in_a_quiz_submission_stores_nothing(
    app, learner_client, learner_id, published, monkeypatch
):
    with app.test_request_context(), action():
        course = provider.course()
        for module in course.modules[:1]:
            for page in module.pages:
                progression.complete_page(course, learner(learner_id), module.id, page.id)
    with app.test_request_context(), action():
        course = provider.course()
        attempt = progression.quizzes.start_attempt(
            course, provider.revision_id(), learner_id, "m1"
        )
        view = progression.quizzes.load_attempt(course, learner_id, attempt.id)
        for question in view.questions:
            correct = [o.id for o in question.options if o.correct]
            progression.quizzes.save_answer(view, question, correct)
        attempt_id = attempt.id
    with app.app_context():
        before = _count(OutboxStatement)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(progress, "complete_module", broken)  # after scoring and its events
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = learner_client.post(f"/learn/quiz-attempts/{attempt_id}/check")
    assert response.status_code == 500
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.status == AttemptStatus.IN_PROGRESS and attempt.score is None
        assert _count(OutboxStatement) == before  # no answered, passed or completed statements


def test_a_failure_in_a_registration_stores_nothing(app, client, published, monkeypatch):
    with app.app_context():
        invite = make_invite()
        code, users_before = invite.code, _count(User)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(surveys, "after_registration", broken)  # after the Registered event
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post(
        "/register",
        data={"invite_code": code, "email": "new@example.org", "display_name": "New",
              "password": "kettle orbit lantern", "confirm_password": "kettle orbit lantern",
              "community_role": "other", "evaluation_consent": "yes"},
    )  # fmt: skip
    assert response.status_code == 500
    with app.app_context():
        assert _count(User) == users_before
        assert db.session.scalar(select(Invite.uses).where(Invite.code == code)) == 0
        assert _count(OutboxStatement) == 0


def test_a_previewed_draft_is_shown_and_records_nothing(app, learner_id, published):
    module = published.modules[0]
    page = module.pages[0].model_copy(update={"title": "A draft title"})
    changed_module = module.model_copy(update={"pages": [page, *module.pages[1:]]})
    draft_course = published.model_copy(
        update={"modules": [changed_module, *published.modules[1:]]}
    )
    with app.app_context(), action():
        draft_id = store.save_draft(draft_course, "a draft").id
    with app.test_request_context():
        provider.preview(draft_id)
        visit = progression.view_page(provider.course(), learner(learner_id), "m1", page.id)
        assert visit.page.title == "A draft title"
        assert provider.is_preview()
        assert _count(OutboxStatement) == 0  # no event reached the translator
        finish(Response("ok"))  # the request edge: a preview never commits
    with app.test_request_context():
        assert _count(PageProgress) == 0
        assert provider.course().modules[0].pages[0].title == module.pages[0].title  # live
