"""The learner's dashboard, modules, pages, glossary, sources and course completion."""

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm

from elearn.content import provider
from elearn.content.lookup import (
    NotInCourse,
    find_decision,
    find_handout,
    find_module,
)
from elearn.feedback.presenters import page_feedback_form
from elearn.journey import certificates, progression, surveys
from elearn.journey import state as states
from elearn.journey.state import ModuleStatus
from elearn.learn import presenters
from elearn.learn import service as progress
from elearn.learn.forms import decision_form
from elearn.learn.pdf import certificate_pdf as certificate_pdf_bytes
from elearn.params import query_choice
from elearn.roles import ROLES
from elearn.security import role_required

bp = Blueprint("learn", __name__)


@bp.route("/")
@role_required(*ROLES)
def dashboard():
    """Course progress, the modules with their status, and one place to carry on."""
    course = provider.course()
    state = states.load(course, current_user.id)
    cards = [presenters.module_card(n, m) for n, m in enumerate(state.modules, start=1)]
    returning = surveys.on_return(state, current_user.id)
    return render_template(
        "learn/dashboard.html",
        returning=returning,
        returning_href=presenters.survey_url(returning) if returning else None,
        course=course,
        state=state,
        cards=cards,
        resume=presenters.resume(state),
    )


@bp.route("/modules/<module_id>")
@role_required(*ROLES)
def module(module_id: str):
    """A module's outcomes, time and pages with done marks, and what to do next."""
    course = provider.course()
    try:
        module = find_module(course, module_id)
    except NotInCourse:
        abort(404)
    state = states.load(course, current_user.id)
    module_state = state.module(module.id)
    return render_template(
        "learn/module.html",
        module=module,
        state=module_state,
        tag=presenters.status_tag(module_state.status),
        items=presenters.page_task_items(module_state),
        start_href=presenters.page_url(module, module_state.next_page),
        started=module_state.status != ModuleStatus.NOT_STARTED,
        next_step=presenters.after_module(state, module.id),
    )


@bp.route("/modules/<module_id>/pages/<page_id>")
@role_required(*ROLES)
def page(module_id: str, page_id: str):
    """One page of a module; opening it is recorded as progress."""
    try:
        visit = progression.view_page(
            provider.course(), current_user.as_learner(), module_id, page_id
        )
    except NotInCourse:
        abort(404)
    module, page = visit.module, visit.page
    module_state = visit.state.module(module.id)
    answered = query_choice("decision", [d.id for d in page.decisions])
    chosen = request.args.get("choice") if answered else None
    return render_template(
        "learn/page.html",
        module=module,
        page=page,
        number=[p.id for p in module.pages].index(page.id) + 1,
        done=page.id in module_state.done,
        previous=presenters.previous_link(module, page),
        next_label=presenters.next_label(module, page, module_state),
        form=FlaskForm(),
        page_feedback_form=page_feedback_form(current_user.id, page.id),
        decisions=presenters.decision_views(module, page, answered, chosen),
        sources=[s for s in module.sources if s.id in page.sources],
    )


@bp.route("/modules/<module_id>/pages/<page_id>/decisions/<decision_id>", methods=["POST"])
@role_required(*ROLES)
def answer_decision(module_id: str, page_id: str, decision_id: str):
    """A decision point answered: record the choice and show its feedback on the page."""
    course = provider.course()
    try:
        module, page, decision = find_decision(course, module_id, page_id, decision_id)
    except NotInCourse:
        abort(404)
    form = decision_form(decision)
    if form.validate_on_submit():
        try:
            choice = progress.answer_decision(
                course, current_user.as_learner(), module, page, decision, form.choice.data
            )
        except NotInCourse:
            abort(400)
        return redirect(presenters.decision_feedback_url(module, page, decision, choice))
    view = presenters.decision_view(module, page, decision, form)
    return render_template(
        "learn/decision.html",
        module=module,
        page=page,
        view=view,
        form=form,
        back_href=url_for("learn.page", module_id=module.id, page_id=page.id),
    ), 400


@bp.route("/modules/<module_id>/pages/<page_id>/complete", methods=["POST"])
@role_required(*ROLES)
def complete_page(module_id: str, page_id: str):
    """Next: mark the page done and go on (the next page, the quiz, or what follows the module)."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        step = progression.complete_page(
            provider.course(), current_user.as_learner(), module_id, page_id
        )
    except NotInCourse:
        abort(404)
    return redirect(presenters.step_url(step))


@bp.route("/modules/<module_id>/print")
@role_required(*ROLES)
def print_module(module_id: str):
    """The whole module on one page, to print or read offline."""
    try:
        module = find_module(provider.course(), module_id)
    except NotInCourse:
        abort(404)
    return render_template("learn/print.html", module=module)


@bp.route("/handouts")
@role_required(*ROLES)
def handouts():
    """The printable scripts, cards and handouts a guide can take out."""
    return render_template("learn/handouts.html", handouts=provider.course().handouts)


@bp.route("/handouts/<handout_id>")
@role_required(*ROLES)
def handout(handout_id: str):
    """One printable script, card or handout."""
    try:
        found = find_handout(provider.course(), handout_id)
    except NotInCourse:
        abort(404)
    return render_template("learn/handout.html", handout=found)


@bp.route("/glossary")
@role_required(*ROLES)
def glossary():
    """Every glossary term with an anchor, in alphabetical order."""
    return render_template("learn/glossary.html", terms=provider.course().glossary)


@bp.route("/sources")
@role_required(*ROLES)
def sources():
    """Where the facts in each module come from."""
    return render_template("learn/sources.html", course=provider.course())


@bp.route("/complete")
@role_required(*ROLES)
def course_complete():
    """The course is complete: the certificate and the end-of-course survey."""
    course = provider.course()
    state = states.load(course, current_user.id)
    if not state.completed:
        return redirect(url_for("learn.dashboard"))
    survey = surveys.after_survey(state, current_user.id)
    return render_template(
        "learn/complete.html",
        course=course,
        certificate=progress.certificate_for(current_user.id),
        survey=survey,
        survey_href=presenters.survey_url(survey) if survey else None,
    )


@bp.route("/certificate")
@role_required(*ROLES)
def certificate():
    """The learner's certificate, printable; before the course is complete, what is left."""
    course = provider.course()
    view = certificates.certificate(course, current_user._get_current_object())
    if view is None:
        left = certificates.still_to_do(states.load(course, current_user.id))
        return render_template("learn/certificate_not_yet.html", left=left)
    return render_template(
        "learn/certificate.html",
        certificate=view,
        check_url=presenters.check_url(view.code),
        issued=presenters.long_date(view.issued_at),
        module_lines=[presenters.module_line(m) for m in view.modules],
    )


@bp.route("/certificate.pdf")
@role_required(*ROLES)
def certificate_pdf():
    """The learner's certificate as a PDF to download and keep."""
    view = certificates.certificate(provider.course(), current_user._get_current_object())
    if view is None:
        return redirect(url_for("learn.certificate"))
    body = certificate_pdf_bytes(
        view, current_app.config["SERVICE_NAME"], presenters.check_url(view.code)
    )
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        'attachment; filename="health-data-guides-certificate.pdf"'
    )
    return response
