"""The learner's dashboard, modules, pages, glossary and sources."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from elearn.content.store import live_course
from elearn.feedback.presenters import page_feedback_form
from elearn.learn import presenters, service
from elearn.learn.service import NotFound
from elearn.security import ROLES, role_required

bp = Blueprint("learn", __name__)


def _find(module_id: str, page_id: str | None = None):
    try:
        return service.find_page(live_course(), module_id, page_id)
    except NotFound:
        abort(404)


@bp.route("/")
@role_required(*ROLES)
def dashboard():
    """Course progress, the modules with their status, and where to carry on."""
    course = live_course()
    state = service.course_state(course, current_user.id)
    cards = [presenters.module_card(n, m) for n, m in enumerate(state.modules, start=1)]
    resume = None
    if state.resume:
        module, page = state.resume
        resume = {
            "href": presenters.page_url(module, page),
            "page": page.title,
            "module": module.title,
        }
    return render_template(
        "learn/dashboard.html", course=course, state=state, cards=cards, resume=resume
    )


@bp.route("/modules/<module_id>")
@role_required(*ROLES)
def module(module_id: str):
    """A module's outcomes, time and pages with done marks."""
    module, _ = _find(module_id)
    state = service.course_state(live_course(), current_user.id)
    module_state = next(s for s in state.modules if s.module.id == module.id)
    return render_template(
        "learn/module.html",
        module=module,
        state=module_state,
        tag=presenters.status_tag(module_state.status),
        items=presenters.page_task_items(module_state),
        start_href=presenters.page_url(module, module_state.next_page),
    )


@bp.route("/modules/<module_id>/pages/<page_id>")
@role_required(*ROLES)
def page(module_id: str, page_id: str):
    """One page of a module; opening it is recorded as progress."""
    _find(module_id, page_id)
    module, page, state = service.view_page(live_course(), current_user.id, module_id, page_id)
    module_state = next(s for s in state.modules if s.module.id == module.id)
    number = [p.id for p in module.pages].index(page.id) + 1
    return render_template(
        "learn/page.html",
        module=module,
        page=page,
        number=number,
        done=page.id in module_state.done,
        pagination=presenters.pagination(module, page),
        form=FlaskForm(),
        page_feedback_form=page_feedback_form(current_user.id, page.id),
    )


@bp.route("/modules/<module_id>/pages/<page_id>/complete", methods=["POST"])
@role_required(*ROLES)
def complete_page(module_id: str, page_id: str):
    """Mark a page as done and go on to the next one (or back to the module at the end)."""
    _find(module_id, page_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    course = live_course()
    module, next_page = service.complete_page(course, current_user.id, module_id, page_id)
    if next_page is None:
        if module.id in course.quizzes:
            return redirect(url_for("quiz.start", module_id=module.id))
        return redirect(url_for("learn.module", module_id=module.id))
    return redirect(presenters.page_url(module, next_page))


@bp.route("/modules/<module_id>/print")
@role_required(*ROLES)
def print_module(module_id: str):
    """The whole module on one page, to print or read offline."""
    module, _ = _find(module_id)
    return render_template("learn/print.html", module=module)


@bp.route("/glossary")
@role_required(*ROLES)
def glossary():
    """Every glossary term with an anchor, in alphabetical order."""
    return render_template("learn/glossary.html", terms=live_course().glossary)


@bp.route("/sources")
@role_required(*ROLES)
def sources():
    """Where the facts in each module come from."""
    return render_template("learn/sources.html", course=live_course())


@bp.route("/certificate")
@role_required(*ROLES)
def certificate():
    """The learner's certificate, once every module is complete; printable."""
    certificate = service.certificate_for(current_user.id)
    if certificate is None:
        abort(404)
    return render_template("learn/certificate.html", course=live_course(), certificate=certificate)
