"""Learning records for learner actions: content and learners as xAPI references.

Services call these in their own transaction, just before they commit, so a learner's change and
the statements that describe it are stored together (see elearn.xapi.outbox).
"""

from datetime import datetime

from flask import current_app

from elearn.auth.models import User
from elearn.content.schema import Course, Module, Page
from elearn.content.schema import Question as ContentQuestion
from elearn.extensions import db
from elearn.xapi import statements as xs
from elearn.xapi.outbox import enqueue


def base_url() -> str:
    return current_app.config["BASE_URL"]


def learner(user: User) -> xs.Learner:
    return xs.Learner(user.opaque_id, user.course_registration)


def course_ref(course: Course) -> xs.ContentRef:
    return xs.ContentRef(course.id, course.title, course.summary)


def module_ref(module: Module) -> xs.ContentRef:
    return xs.ContentRef(module.id, module.title, module.summary)


def page_ref(page: Page) -> xs.ContentRef:
    return xs.ContentRef(page.id, page.title)


def question_ref(question: ContentQuestion) -> xs.Question:
    kind = (
        "true-false"
        if question.type == "true-false"
        else ("multiple" if question.multiple else "single")
    )
    text = f"{question.scenario}\n\n{question.text}" if question.scenario else question.text
    return xs.Question(
        id=question.id,
        text=text,
        kind=kind,
        correct=tuple(o.id for o in question.options if o.correct),
        options=tuple(xs.Option(o.id, o.text) for o in question.options),
    )


def seconds_between(start: datetime | None, end: datetime) -> float:
    return max((end - start).total_seconds(), 0.0) if start else 0.0


def record(statements: list[dict]) -> None:
    """Add freshly built statements to the current transaction's outbox."""
    enqueue(db.session, statements, base_url(), fresh=True)
