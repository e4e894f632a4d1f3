"""Pilot feedback: the survey list, answering or skipping a survey, and page feedback."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from elearn.content import provider
from elearn.content.lookup import NotInCourse, find_page
from elearn.feedback import forms, presenters, service
from elearn.feedback.models import ResponseStatus
from elearn.feedback.service import AlreadySubmitted, AnswerProblems, FeedbackError
from elearn.journey import state as states
from elearn.journey import surveys
from elearn.learn.presenters import survey_url
from elearn.params import query_int
from elearn.roles import ROLES, Role
from elearn.security import role_required

bp = Blueprint("feedback", __name__)


def _survey(survey_id: str):
    course = provider.course()
    try:
        return course, service.find_survey(course, survey_id)
    except service.SurveyNotFound:
        abort(404)


def _closed(course, survey):
    """A redirect when the learner cannot answer this survey yet, the "this survey has closed"
    page when its time limit has passed, else None."""
    seen = surveys.signals(current_user.id) if survey.trigger in surveys.RETURN_TRIGGERS else None
    state = states.load(course, current_user.id)
    when = surveys.unlocks(survey, state, seen)
    if when:
        flash(when, "info")
        return redirect(url_for("feedback.list_surveys"))
    closed_on = surveys.closed_on(survey, state, seen)
    if closed_on is not None:
        return render_template("feedback/closed.html", survey=survey, closed_on=closed_on)
    return None


def _answered():
    flash("You have already sent your answers to this survey. Thank you.", "info")
    return redirect(url_for("feedback.list_surveys"))


@bp.route("/surveys")
@role_required(*ROLES)
def list_surveys():
    """Every feedback survey with its status, linking to those the learner can answer now."""
    state = states.load(provider.course(), current_user.id)
    statuses = surveys.statuses(current_user.id, state)
    consent_href = url_for("auth.evaluation_consent") if current_user.role == Role.LEARNER else None
    return render_template(
        "feedback/surveys.html",
        task_items=presenters.survey_task_items(statuses),
        consent_href=consent_href,
    )


@bp.route("/surveys/<survey_id>", methods=["GET", "POST"])
@role_required(*ROLES)
def take_survey(survey_id: str):
    """All of a survey's questions on one page; answers are kept as a draft until confirmed."""
    course, survey = _survey(survey_id)
    response = service.response_for(current_user.id, survey.id)
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        return _answered()
    closed = _closed(course, survey)
    if closed:
        return closed
    pages = presenters.survey_pages(survey)
    number = query_int("page", maximum=len(pages)) or 1
    on_page = pages[number - 1]
    form = forms.survey_form(survey, service.draft_answers(response), on_page)
    if form.validate_on_submit():
        try:
            service.save_answers(
                course,
                current_user.id,
                survey.id,
                forms.survey_answers(on_page, form),
                on_page={item.id for item in on_page},
            )
        except ValueError:
            abort(400)  # an option that is not in the item: a tampered form
        except AnswerProblems as problems:
            for item in survey.items:
                if item.id in problems.problems:
                    form[forms.field_name(item)].errors.append(problems.problems[item.id])
        except AlreadySubmitted:
            return _answered()
        else:
            if number < len(pages) and not query_int("check", maximum=1):
                return redirect(presenters.survey_page_url(survey, number + 1))
            return redirect(url_for("feedback.check_answers", survey_id=survey.id))
    return render_template(
        "feedback/survey.html",
        survey=survey,
        form=form,
        number=number,
        page_count=len(pages),
        back_link=presenters.survey_back_link(survey, number),
        sections=presenters.form_sections(course, survey, form, on_page),
        has_likert=any(item.type == "likert" for item in on_page),
        consent=current_user.evaluation_consent,
        skip_form=forms.skip_form(),
    ), 400 if form.errors else 200


@bp.route("/surveys/<survey_id>/check", methods=["GET", "POST"])
@role_required(*ROLES)
def check_answers(survey_id: str):
    """Check your answers, then send them once."""
    course, survey = _survey(survey_id)
    response = service.response_for(current_user.id, survey.id)
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        return _answered()
    if response is None or response.status != ResponseStatus.DRAFT:
        return redirect(url_for("feedback.take_survey", survey_id=survey.id))
    closed = _closed(course, survey)
    if closed:
        return closed
    form = forms.SubmitForm()
    if form.validate_on_submit():
        try:
            recorded = service.submit(
                course, provider.revision_id(), current_user.as_learner(), survey.id
            )
        except FeedbackError as error:
            flash(str(error), "info")
            missing = presenters.missing_required(survey, service.draft_answers(response))
            if missing is not None:  # the page with the question still to answer
                return redirect(presenters.answer_href(survey, missing))
            return redirect(url_for("feedback.take_survey", survey_id=survey.id))
        if not recorded:
            return _answered()
        flash("Thank you. We have your answers.", "success")
        following = surveys.after_survey(states.load(course, current_user.id), current_user.id)
        return redirect(survey_url(following) if following else url_for("learn.dashboard"))
    answers = service.draft_answers(response)
    missing = presenters.missing_required(survey, answers)
    last = len(presenters.survey_pages(survey))
    return render_template(
        "feedback/check.html",
        survey=survey,
        back_href=presenters.survey_page_url(survey, last),
        sections=presenters.check_sections(course, survey, answers),
        missing=missing,
        missing_href=presenters.answer_href(survey, missing) if missing else None,
        form=form,
    )


@bp.route("/surveys/<survey_id>/skip", methods=["POST"])
@role_required(*ROLES)
def skip_survey(survey_id: str):
    """Skip a survey: nothing is answered, it is not offered again, and it stays on the list."""
    course, survey = _survey(survey_id)
    if not forms.skip_form().validate_on_submit():
        abort(400)
    if service.skip(course, current_user.id, survey.id):
        flash(
            f"You skipped “{survey.title}”. You can still answer it from your feedback surveys.",
            "info",
        )
    return redirect(url_for("learn.dashboard"))


@bp.route("/modules/<module_id>/pages/<page_id>/feedback", methods=["POST"])
@role_required(*ROLES)
def give_page_feedback(module_id: str, page_id: str):
    """Was this page helpful? Yes or no and an optional comment; sending again changes it."""
    course = provider.course()
    try:
        module, page = find_page(course, module_id, page_id)
    except NotInCourse:
        abort(404)
    form = forms.page_feedback_form(service.page_feedback_for(current_user.id, page.id))
    if form.validate_on_submit():
        if form.helpful.data not in dict(forms.HELPFUL_CHOICES):
            abort(400)
        try:
            service.give_page_feedback(
                course,
                current_user.as_learner(),
                module.id,
                page.id,
                helpful=form.helpful.data == "yes",
                comment=form.comment.data,
            )
        except AnswerProblems as problems:
            # A validated field's errors are a list; the WTForms stubs say Sequence.
            form.comment.errors.append(problems.problems["comment"])  # type: ignore[attr-defined]
        else:
            return redirect(
                url_for("learn.page", module_id=module.id, page_id=page.id) + "#page-feedback"
            )
    return render_template(
        "feedback/page_feedback.html", module=module, page=page, page_feedback_form=form, form=form
    ), 400
