"""Feedback fixtures: the signed-in learner's id, a second learner, and course progress."""

import pytest
from sqlalchemy import select

from elearn.auth.models import User
from elearn.content import provider
from elearn.extensions import db
from elearn.journey import progression
from elearn.quiz import service as quizzes
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, learner, make_user


@pytest.fixture
def learner_id(app, users, learner_client):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == users["learner"]))


@pytest.fixture
def other_client(app, published):
    """A second learner, signed in on their own client."""
    with app.app_context():
        make_user(email="other-learner@example.org")
    other = app.test_client()
    other.post(
        "/sign-in", data={"email": "other-learner@example.org", "password": DEFAULT_PASSWORD}
    )
    return other


@pytest.fixture
def pass_quiz(app, published):
    """Pass a module's quiz for a learner through the quiz service."""

    def run(user_id: int, module_id: str) -> None:
        with app.test_request_context(), action():
            course = provider.course()
            attempt = quizzes.start_attempt(course, provider.revision_id(), user_id, module_id)
            view = quizzes.load_attempt(course, user_id, attempt.id)
            for question in view.questions:
                quizzes.save_answer(view, question, [o.id for o in question.options if o.correct])
            assert progression.submit_quiz(course, learner(user_id), view).passed

    return run


@pytest.fixture
def complete_course(app, published, pass_quiz):
    """Finish every page and pass every quiz for a learner."""

    def run(user_id: int) -> None:
        with app.test_request_context(), action():
            course = provider.course()
            for module in course.modules:
                for page in module.pages:
                    progression.complete_page(course, learner(user_id), module.id, page.id)
        for module in published.modules:
            pass_quiz(user_id, module.id)

    return run
