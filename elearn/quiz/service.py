"""Taking quizzes: starting attempts, saving answers as the learner goes, submitting once.

Each action is one transaction. Submitting flips the attempt from in-progress to submitted with
a conditional UPDATE, so a double click, a replayed POST or two tabs record one result.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from elearn.auth.models import User
from elearn.content.schema import Course, Question, QuizFile
from elearn.db import utcnow
from elearn.extensions import db
from elearn.learn import records
from elearn.quiz.models import QuizAnswer, QuizAttempt
from elearn.quiz.scoring import Score, score
from elearn.xapi import statements as xs


class QuizError(Exception):
    """A rule stops the action; the message says why in plain English."""


class NoAttemptsLeft(QuizError):
    pass


class AttemptNotFound(LookupError):
    """No such attempt for this learner (someone else's looks the same: not found)."""


@dataclass
class AttemptView:
    attempt: QuizAttempt
    quiz: QuizFile
    questions: list[Question]  # in this attempt's order, options in this attempt's order
    answers: dict[str, list[str]]

    @property
    def first_unanswered(self) -> int | None:
        for number, question in enumerate(self.questions, start=1):
            if question.id not in self.answers:
                return number
        return None


def quiz_for(course: Course, module_id: str) -> QuizFile | None:
    return course.quizzes.get(module_id)


def attempts_for(user_id: int, module_id: str) -> list[QuizAttempt]:
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id)
            .order_by(QuizAttempt.number)
        )
    )


def passed_modules(user_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(QuizAttempt.module_id).where(
                QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True)
            )
        )
    )


def attempts_left(quiz: QuizFile, attempts: list[QuizAttempt]) -> int | None:
    """None means unlimited."""
    if quiz.max_attempts is None:
        return None
    used = sum(1 for a in attempts if a.status == "submitted")
    return max(quiz.max_attempts - used, 0)


def start_attempt(
    course: Course, revision_id: int, user_id: int, module_id: str, rng: random.Random | None = None
) -> QuizAttempt:
    """Carry on the attempt in progress, or start a new one if attempts remain."""
    quiz = quiz_for(course, module_id)
    if quiz is None:
        raise AttemptNotFound(module_id)
    attempts = attempts_for(user_id, module_id)
    current = next((a for a in attempts if a.status == "in-progress"), None)
    if current is not None:
        return current
    if attempts_left(quiz, attempts) == 0:
        raise NoAttemptsLeft(
            f"You have used all {quiz.max_attempts} attempts at this quiz. "
            "Contact the course team if you would like to try again."
        )
    rng = rng or random.SystemRandom()
    questions = list(quiz.questions)
    if quiz.draw:
        questions = rng.sample(questions, quiz.draw)
    elif quiz.shuffle_questions:
        rng.shuffle(questions)
    order = {}
    for question in questions:
        ids = [o.id for o in question.options]
        if quiz.shuffle_options and question.type != "true-false":
            rng.shuffle(ids)
        order[question.id] = ids
    attempt = QuizAttempt(
        user_id=user_id,
        module_id=module_id,
        number=(attempts[-1].number + 1) if attempts else 1,
        revision_id=revision_id,
        question_ids=[q.id for q in questions],
        option_order=order,
        status="in-progress",
        started_at=utcnow(),
        max_score=len(questions),
        pass_mark=quiz.pass_mark,
    )
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # another tab started the same attempt number first
        db.session.rollback()
        return next(a for a in attempts_for(user_id, module_id) if a.status == "in-progress")
    return attempt


def load_attempt(course: Course, user_id: int, attempt_id: int) -> AttemptView:
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise AttemptNotFound(attempt_id)
    quiz = quiz_for(course, attempt.module_id)
    if quiz is None:
        raise AttemptNotFound(attempt_id)
    by_id = {q.id: q for q in quiz.questions}
    questions = []
    for question_id in attempt.question_ids:
        question = by_id.get(question_id)
        if question is None:  # removed in a later revision: the attempt cannot go on
            continue
        options = {o.id: o for o in question.options}
        ordered = [options[i] for i in attempt.option_order.get(question_id, []) if i in options]
        ordered += [
            o for o in question.options if o.id not in attempt.option_order.get(question_id, [])
        ]
        questions.append(question.model_copy(update={"options": ordered}))
    answers = {a.question_id: a.option_ids for a in attempt.answers}
    return AttemptView(attempt, quiz, questions, answers)


def save_answer(view: AttemptView, question: Question, option_ids: list[str]) -> None:
    """Save (or change) one answer while the attempt is in progress."""
    if view.attempt.status != "in-progress":
        raise QuizError("This attempt has been submitted. Start a new attempt to change answers.")
    valid = {o.id for o in question.options}
    if not option_ids or not set(option_ids) <= valid:
        raise ValueError("unknown option")
    if not question.multiple and len(option_ids) != 1:
        raise ValueError("one answer expected")
    existing = next((a for a in view.attempt.answers if a.question_id == question.id), None)
    chosen = sorted(set(option_ids))
    if existing is None:
        db.session.add(
            QuizAnswer(
                attempt=view.attempt,
                question_id=question.id,
                option_ids=chosen,
                answered_at=utcnow(),
            )
        )
    else:
        existing.option_ids = chosen
        existing.answered_at = utcnow()
    db.session.commit()
    view.answers[question.id] = chosen


def submit(view: AttemptView, course: Course, now: datetime | None = None) -> Score | None:
    """Score and submit the attempt exactly once. Returns None if it was already submitted."""
    if view.first_unanswered is not None:
        raise QuizError("Answer every question before you submit")
    now = now or utcnow()
    result = score(view.questions, view.answers, view.attempt.pass_mark)
    flipped = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == view.attempt.id, QuizAttempt.status == "in-progress")
        .values(status="submitted", submitted_at=now, score=result.raw, passed=result.passed)
    ).rowcount
    if flipped != 1:
        db.session.rollback()
        return None
    for answer in view.attempt.answers:
        answer.correct = result.correct.get(answer.question_id, False)
    records.record(_statements(view, course, result, now))
    db.session.commit()
    db.session.refresh(view.attempt)
    return result


def _statements(view: AttemptView, course: Course, result: Score, now: datetime) -> list[dict]:
    """Answered for each question, passed or failed, and module and course completed if so."""
    from elearn.learn.service import course_state, find_page, mark_completed, page_rows

    attempt = view.attempt
    user = db.session.get(User, attempt.user_id)
    module, _ = find_page(course, attempt.module_id)
    base, actor = records.base_url(), records.learner(user)
    course_ref, module_ref = records.course_ref(course), records.module_ref(module)
    statements = []
    for question in view.questions:
        chosen = view.answers.get(question.id, [])
        response = (
            (chosen[0] == "true")
            if question.type == "true-false"
            else (chosen if question.multiple else chosen[0])
        )
        statements.append(
            xs.answered_question(
                base,
                actor,
                course_ref,
                module_ref,
                records.question_ref(question),
                response,
                attempt.id,
                now,
            )  # fmt: skip
        )
    build = xs.passed_quiz if result.passed else xs.failed_quiz
    statements.append(
        build(
            base,
            actor,
            course_ref,
            module_ref,
            result.raw,
            result.maximum,
            attempt.pass_mark / 100,
            attempt.id,
            records.seconds_between(attempt.started_at, now),
            now,
        )  # fmt: skip
    )
    if result.passed:
        rows = page_rows(user.id)
        state = course_state(course, user.id, rows, passed=passed_modules(user.id) | {module.id})
        statements += mark_completed(course, user, state, module.id, rows, now)
    return statements
