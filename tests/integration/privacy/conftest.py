"""Privacy fixtures: a learner who has done everything a learner can, through the services."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from elearn.auth.models import User
from elearn.content import provider
from elearn.extensions import db
from elearn.feedback import service as feedback
from elearn.journey import progression
from elearn.quiz import service as quizzes
from elearn.unit_of_work import action
from tests.factories import learner, make_invite
from tests.integration.privacy.texts import PAGE_COMMENT, SURVEY_TEXT


@dataclass(frozen=True)
class Done:
    user_id: int
    email: str
    name: str
    cohort: str


def _pass_quiz(course, user_id, module_id, right_first=True):
    attempt = quizzes.start_attempt(course, provider.revision_id(), user_id, module_id)
    view = quizzes.load_attempt(course, user_id, attempt.id)
    for question in view.questions:
        options = [o.id for o in question.options if o.correct == right_first]
        quizzes.save_answer(view, question, options if question.multiple else options[:1])
    progression.submit_quiz(course, learner(user_id), view)


@pytest.fixture
def learner_id(app, users, learner_client):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == users["learner"]))


@pytest.fixture
def everything(app, published, learner_id):
    """The signed-in learner, in a cohort and consenting, with every kind of record: progress,
    a failed and passed quiz, a survey with free text, a skipped survey, page feedback with a
    comment, the certificate and the learning records of all of it."""
    with app.app_context():
        invite = make_invite("Reading pilot")
        user = db.session.get(User, learner_id)
        user.cohort_id = invite.cohort_id
        user.evaluation_consent = True
        user.community_role = "ppg-member"
        user.organisation = "Abbey Road Surgery PPG"
        user.display_name = "Priya Shah"
        db.session.commit()
    with app.test_request_context(), action():
        course = provider.course()
        me = learner(learner_id)
        for module in course.modules:
            for page in module.pages:
                progression.view_page(course, me, module.id, page.id)
                progression.complete_page(course, me, module.id, page.id)
        _pass_quiz(course, learner_id, "m1", right_first=False)  # a failed attempt first
        for module in course.modules:
            _pass_quiz(course, learner_id, module.id)
        feedback.skip(course, learner_id, "baseline")
        survey = next(s for s in course.surveys if s.id == "after-m1")
        answers = {}
        for item in survey.items:
            if item.type == "likert":
                answers[item.id] = "4"
            elif item.type == "free-text":
                answers[item.id] = SURVEY_TEXT
            elif item.type == "rating":
                answers[item.id] = "5"
            elif item.type == "single":
                answers[item.id] = item.options[0].id
            elif item.type == "multiple":
                answers[item.id] = [item.options[0].id]
        feedback.save_answers(course, learner_id, "after-m1", answers)
        feedback.submit(course, provider.revision_id(), me, "after-m1")
        feedback.give_page_feedback(course, me, "m1", "m1-p2", True, PAGE_COMMENT)
    with app.app_context():
        user = db.session.get(User, learner_id)
        return Done(learner_id, user.email, user.display_name, "Reading pilot")
