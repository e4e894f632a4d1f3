"""Taking quizzes: starting attempts, saving answers as the learner goes, submitting once.

Each function changes rows, records its events and flushes; the edge commits. Submitting flips the
attempt from in-progress to submitted with a conditional UPDATE, so a double click, a replayed POST
or two tabs record one result.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from elearn import events
from elearn.content.lookup import find_module
from elearn.content.schema import Course, Question, QuizFile
from elearn.db import utcnow
from elearn.extensions import db
from elearn.quiz.models import AttemptStatus, QuizAnswer, QuizAttempt
from elearn.quiz.scoring import Score, score


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
    # Whether each answer was right, decided once by scoring when the attempt was submitted.
    correct: dict[str, bool] = field(default_factory=dict)

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


def best_passed_scores(user_id: int) -> dict[str, tuple[int, int]]:
    """Each passed quiz's best score, by module id: (score, out of)."""
    best: dict[str, tuple[int, int]] = {}
    passed = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True))
    )
    for attempt in passed:
        score = attempt.score or 0
        current = best.get(attempt.module_id)
        if current is None or score * current[1] > current[0] * attempt.max_score:
            best[attempt.module_id] = (score, attempt.max_score)
    return best


def attempts_left(quiz: QuizFile, attempts: list[QuizAttempt]) -> int | None:
    """None means unlimited."""
    if quiz.max_attempts is None:
        return None
    used = sum(1 for a in attempts if a.status == AttemptStatus.SUBMITTED)
    return max(quiz.max_attempts - used, 0)


def start_attempt(
    course: Course, revision_id: int, user_id: int, module_id: str, rng: random.Random | None = None
) -> QuizAttempt:
    """Carry on the attempt in progress, or start a new one if attempts remain."""
    quiz = quiz_for(course, module_id)
    if quiz is None:
        raise AttemptNotFound(module_id)
    attempts = attempts_for(user_id, module_id)
    current = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
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
        status=AttemptStatus.IN_PROGRESS,
        started_at=utcnow(),
        max_score=len(questions),
        pass_mark=quiz.pass_mark,
    )
    db.session.add(attempt)
    # Another tab starting the same attempt number makes this flush fail; the request edge then
    # runs the action again, and it carries on the attempt the other tab started.
    db.session.flush()
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
    correct = {a.question_id: bool(a.correct) for a in attempt.answers if a.correct is not None}
    return AttemptView(attempt, quiz, questions, answers, correct)


def save_answer(view: AttemptView, question: Question, option_ids: list[str]) -> None:
    """Save (or change) one answer while the attempt is in progress."""
    if view.attempt.status != AttemptStatus.IN_PROGRESS:
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
    db.session.flush()
    view.answers[question.id] = chosen


def submit(
    course: Course, learner: events.Learner, view: AttemptView, now: datetime | None = None
) -> Score | None:
    """Score and submit the attempt exactly once. Returns None if it was already submitted."""
    if view.first_unanswered is not None:
        raise QuizError("Answer every question before you submit")
    now = now or utcnow()
    attempt = view.attempt
    result = score(view.questions, view.answers, attempt.pass_mark)
    flipped = cast(
        CursorResult[Any],
        db.session.execute(
            update(QuizAttempt)
            .where(QuizAttempt.id == attempt.id, QuizAttempt.status == AttemptStatus.IN_PROGRESS)
            .values(
                status=AttemptStatus.SUBMITTED,
                submitted_at=now,
                score=result.raw,
                passed=result.passed,
            )
        ),
    ).rowcount
    if flipped != 1:
        return None  # another request submitted it first: nothing was written here
    for answer in attempt.answers:
        answer.correct = result.correct.get(answer.question_id, False)
    view.correct.update(result.correct)
    module = find_module(course, attempt.module_id)
    for question in view.questions:
        events.record(
            events.QuestionAnswered(
                learner,
                course,
                now,
                module,
                question,
                tuple(view.answers.get(question.id, [])),
                result.correct[question.id],
                attempt.id,
                attempt.number,
                revision=attempt.revision_id,
            )
        )
    seconds = max((now - attempt.started_at).total_seconds(), 0.0)
    events.record(
        events.QuizSubmitted(
            learner,
            course,
            now,
            module,
            attempt.id,
            result.raw,
            result.maximum,
            attempt.pass_mark,
            result.passed,
            seconds,
            attempt.number,
            revision=attempt.revision_id,
        )
    )
    db.session.flush()
    db.session.refresh(attempt)
    return result
