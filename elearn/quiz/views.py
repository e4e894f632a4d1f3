"""Taking a module's quiz: start, one question per page, check answers, result."""

from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from elearn.content import provider
from elearn.content.lookup import NotInCourse, find_module
from elearn.journey import progression, surveys
from elearn.journey import state as states
from elearn.learn.presenters import step_url, survey_url
from elearn.quiz import presenters, service
from elearn.quiz.forms import StartForm, SubmitForm, question_form
from elearn.quiz.models import AttemptStatus
from elearn.quiz.service import AttemptNotFound, NoAttemptsLeft, QuizError
from elearn.roles import ROLES
from elearn.security import role_required

bp = Blueprint("quiz", __name__)


def _module_and_quiz(module_id: str):
    course = provider.course()
    try:
        module = find_module(course, module_id)
    except NotInCourse:
        abort(404)
    quiz = service.quiz_for(course, module_id)
    if quiz is None:
        abort(404)
    return course, module, quiz


def _attempt(attempt_id: int):
    course = provider.course()
    try:
        return course, service.load_attempt(course, current_user.id, attempt_id)
    except AttemptNotFound:
        abort(404)


@bp.route("/modules/<module_id>/quiz", methods=["GET", "POST"])
@role_required(*ROLES)
def start(module_id: str):
    """The quiz's rules and past results; POST starts (or carries on) an attempt."""
    course, module, quiz = _module_and_quiz(module_id)
    form = StartForm()
    if form.validate_on_submit():
        try:
            attempt = service.start_attempt(
                course, provider.revision_id(), current_user.id, module_id
            )
        except NoAttemptsLeft as error:
            flash(str(error), "info")
            return redirect(url_for("quiz.start", module_id=module_id))
        view = service.load_attempt(course, current_user.id, attempt.id)
        number = view.first_unanswered or 1
        return redirect(url_for("quiz.question", attempt_id=attempt.id, number=number))
    attempts = service.attempts_for(current_user.id, module_id)
    return render_template(
        "quiz/start.html",
        module=module,
        quiz=quiz,
        question_count=quiz.draw or len(quiz.questions),
        attempts=[a for a in attempts if a.status == AttemptStatus.SUBMITTED],
        attempt_rows=presenters.attempt_rows(
            [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
        ),
        in_progress=any(a.status == AttemptStatus.IN_PROGRESS for a in attempts),
        left=service.attempts_left(quiz, attempts),
        form=form,
    )


@bp.route("/quiz-attempts/<id:attempt_id>/questions/<id:number>", methods=["GET", "POST"])
@role_required(*ROLES)
def question(attempt_id: int, number: int):
    """One question; the answer is saved as soon as it is given."""
    course, view = _attempt(attempt_id)
    if view.attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    if not 1 <= number <= len(view.questions):
        abort(404)
    question = view.questions[number - 1]
    form = question_form(question, view.answers.get(question.id))
    if form.validate_on_submit():
        chosen = form.answer.data if question.multiple else [form.answer.data]
        try:
            service.save_answer(view, question, chosen)
        except ValueError:
            abort(400)  # an option that is not in this question: a tampered form
        following = view.first_unanswered
        if request.args.get("check") or following is None:
            return redirect(url_for("quiz.check", attempt_id=attempt_id))
        return redirect(url_for("quiz.question", attempt_id=attempt_id, number=following))
    module = find_module(course, view.attempt.module_id)
    return render_template(
        "quiz/question.html",
        module=module,
        view=view,
        question=question,
        number=number,
        total=len(view.questions),
        form=form,
    ), 400 if form.errors else 200


@bp.route("/quiz-attempts/<id:attempt_id>/check", methods=["GET", "POST"])
@role_required(*ROLES)
def check(attempt_id: int):
    """Check your answers, then submit them once."""
    course, view = _attempt(attempt_id)
    if view.attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    form = SubmitForm()
    if form.validate_on_submit():
        try:
            progression.submit_quiz(course, current_user.as_learner(), view)
        except QuizError as error:
            flash(str(error), "info")
            number = view.first_unanswered or 1
            return redirect(url_for("quiz.question", attempt_id=attempt_id, number=number))
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    module = find_module(course, view.attempt.module_id)
    return render_template(
        "quiz/check.html",
        module=module,
        view=view,
        rows=presenters.check_rows(view),
        missing=view.first_unanswered,
        form=form,
    )


@bp.route("/quiz-attempts/<id:attempt_id>/result")
@role_required(*ROLES)
def result(attempt_id: int):
    """The score, pass or not, and every question with feedback that teaches."""
    course, view = _attempt(attempt_id)
    if view.attempt.status != AttemptStatus.SUBMITTED:
        return redirect(url_for("quiz.check", attempt_id=attempt_id))
    module = find_module(course, view.attempt.module_id)
    attempts = service.attempts_for(current_user.id, view.attempt.module_id)
    step = None
    if view.attempt.passed:
        step = progression.after_quiz(course, current_user.as_learner(), module)
    survey = step.survey if step else None
    if not view.attempt.passed:  # after a second fail: "what got in the way?"
        survey = surveys.on_return(states.load(course, current_user.id), current_user.id)
    left = service.attempts_left(view.quiz, attempts)
    reveal = presenters.reveals_answers(any(a.passed for a in attempts), left)
    return render_template(
        "quiz/result.html",
        survey=survey,
        survey_href=survey_url(survey) if survey else None,
        next_href=step_url(replace(step, survey=None)) if step else None,
        course_completed=step.course_completed if step else False,
        module=module,
        view=view,
        attempt=view.attempt,
        percent=round(100 * view.attempt.score / view.attempt.max_score),
        items=presenters.result_items(view, course, reveal),
        reveal=reveal,
        left=left,
        form=StartForm(),
    )
