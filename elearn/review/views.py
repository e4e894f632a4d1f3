"""The Advisory Group's review pages: pseudonymised, consenting learners only."""

from flask import Blueprint, Response, render_template, request

from elearn.auth.models import COMMUNITY_ROLES
from elearn.content.store import live_course
from elearn.forms import choices
from elearn.review import exports, presenters, service
from elearn.review.forms import FilterForm
from elearn.review.service import Filters
from elearn.security import role_required

bp = Blueprint("review", __name__)


def _filters() -> tuple[Filters, FilterForm]:
    form = FilterForm(request.args)
    form.cohort.choices = choices(
        [("", "All cohorts"), *((str(c.id), c.name) for c in service.cohorts())]
    )
    cohort = request.args.get("cohort", "")
    role = request.args.get("role", "")
    filters = Filters(
        cohort_id=int(cohort) if cohort.isdigit() else None,
        community_role=role if role in COMMUNITY_ROLES else None,
    )
    return filters, form


@bp.route("/")
@role_required("reviewer", "admin")
def overview():
    """Registered, started and completed per module, and the median time per module."""
    filters, form = _filters()
    course = live_course()
    registered, rows = service.funnel(filters)
    return render_template(
        "review/overview.html",
        form=form,
        funnel=presenters.funnel_view(course, registered, rows),
        time=presenters.time_view(course, service.median_minutes(filters)),
    )


@bp.route("/quizzes")
@role_required("reviewer", "admin")
def quizzes():
    """Score distributions and question statistics, to spot confusing questions."""
    filters, form = _filters()
    course = live_course()
    return render_template(
        "review/quizzes.html",
        form=form,
        quizzes=presenters.quiz_views(
            course, service.score_distribution(filters), service.item_statistics(filters)
        ),
    )


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/exports/quiz-items.csv")
@role_required("reviewer", "admin")
def export_quiz_items():
    """Quiz item statistics as CSV (first attempts of consenting learners)."""
    filters, _ = _filters()
    course = live_course()
    return _csv(exports.quiz_items_csv(course, service.item_statistics(filters)), "quiz-items.csv")
