"""Helpers shared by the review tests and their fixtures (tests/integration/review/conftest.py)."""

from collections.abc import Callable
from datetime import date

from sqlalchemy import event

from elearn.content.schema import Course
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import SurveyAnswer, SurveyResponse
from elearn.quiz.models import QuizAnswer, QuizAttempt

SCRIPT = "<script>alert(1)</script>"
FORMULA = "=SUM(1)"
WEEK = date(2026, 11, 2)  # a Monday: the first week of the timeline fixture


def add_attempt(user_id, number, questions, ids, pattern, revision):
    """A submitted module 1 attempt; `pattern` marks each question R (right) or W/V (wrong)."""
    right = sum(mark == "R" for mark in pattern)
    attempt = QuizAttempt(
        user_id=user_id, module_id="m1", number=number, revision_id=revision,
        question_ids=[q.id for q in questions], option_order={}, status="submitted",
        started_at=utcnow(), submitted_at=utcnow(), score=right, max_score=3, pass_mark=80,
        passed=right == 3,
    )  # fmt: skip
    db.session.add(attempt)
    for question, mark in zip(questions, pattern, strict=True):
        db.session.add(
            QuizAnswer(
                attempt=attempt,
                question_id=question.id,
                option_ids=[ids[question.id][mark]],
                correct=mark == "R",
                answered_at=utcnow(),
            )  # fmt: skip
        )


def add_response(user_id, survey_id, answers: dict, status="submitted", when=None):
    """A learner's survey response with its answers (a draft, skipped or submitted)."""
    when = when or utcnow()
    response = SurveyResponse(
        user_id=user_id, survey_id=survey_id, status=status, started_at=when, updated_at=when,
        submitted_at=when if status == "submitted" else None,
    )  # fmt: skip
    db.session.add(response)
    for item_id, value in answers.items():
        response.answers.append(SurveyAnswer(item_id=item_id, value=str(value)))
    return response


class Count:
    def __init__(self):
        self.n = 0

    def __call__(self, *args):
        self.n += 1


def count_queries(app, client, path) -> int:
    """How many SQL statements serving GET `path` runs."""
    with app.app_context():
        engine = db.engine
    counter = Count()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return counter.n


def edited(course: Course, edit: Callable[[dict], None]) -> Course:
    """A copy of a (frozen) course with `edit` applied to its data."""
    data = course.model_dump()
    edit(data)
    return Course.model_validate(data)
