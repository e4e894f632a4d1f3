"""The Advisory Group's review pages: pseudonymised, consenting learners only."""

from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for
from flask_login import current_user

from elearn import audit
from elearn.audit import AuditAction
from elearn.auth.models import COMMUNITY_ROLES
from elearn.content import provider
from elearn.forms import choices
from elearn.review import exports, presenters, service
from elearn.review.forms import FilterForm, SearchForm
from elearn.review.service import Filters
from elearn.roles import STAFF
from elearn.security import role_required

bp = Blueprint("review", __name__)
PER_PAGE = 50


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


def _overview(course, filters: Filters) -> dict:
    """The funnel and the time per module (shared by the overview and the report)."""
    registered, rows = service.funnel(filters)
    return {
        "funnel": presenters.funnel_view(course, registered, rows),
        "time": presenters.time_view(course, service.median_minutes(filters)),
    }


def _quizzes(course, filters: Filters) -> list[dict]:
    """Each quiz's score distribution and question statistics (quizzes page and report)."""
    return presenters.quiz_views(
        course, service.score_distribution(filters), service.item_statistics(filters)
    )


@bp.route("/")
@role_required(*STAFF)
def overview():
    """Registered, started and completed per module, and the median time per module."""
    filters, form = _filters()
    return render_template(
        "review/overview.html", form=form, **_overview(provider.course(), filters)
    )


@bp.route("/quizzes")
@role_required(*STAFF)
def quizzes():
    """Score distributions and question statistics, to spot confusing questions."""
    filters, form = _filters()
    return render_template(
        "review/quizzes.html", form=form, quizzes=_quizzes(provider.course(), filters)
    )


def _search(options: list[tuple[str, str]]) -> tuple[SearchForm, str | None, str | None, int]:
    """The search form and its query, module and page number from the query string."""
    form = SearchForm(request.args)
    form.module.choices = choices(options)
    query = (request.args.get("q") or "").strip()[:200] or None
    module = request.args.get("module") or None
    known = {value for value, _ in options}
    page = request.args.get("page", "1")
    return form, query, module if module in known else None, int(page) if page.isdigit() else 1


def _page_url(page: int) -> str:
    if request.endpoint is None:
        raise RuntimeError("a page URL needs the request's endpoint")
    values: dict[str, Any] = {**request.args.to_dict(), "page": page}
    return url_for(request.endpoint, **values)


@bp.route("/surveys")
@role_required(*STAFF)
def surveys():
    """Survey answers: Likert charts, confidence before and after, and free-text answers."""
    filters, form = _filters()
    course = provider.course()
    search, query, module, page = _search(presenters.module_choices(course))
    texts = service.free_text_answers(
        filters, presenters.text_items(course, module), query, page, PER_PAGE
    )
    return render_template(
        "review/surveys.html",
        form=form,
        search=search,
        surveys=presenters.survey_views(
            course, service.choice_counts(filters, presenters.counted_items(course))
        ),
        confidence=_confidence(course, filters),
        texts=texts,
        text_rows=presenters.text_answer_rows(course, texts),
        text_summary=presenters.results_summary(page, len(texts.answers), texts.total,
                                                PER_PAGE, "answers"),
        pager=presenters.pagination(page, texts.total, PER_PAGE, _page_url),
    )  # fmt: skip


def _confidence(course, filters: Filters) -> dict | None:
    pair = presenters.paired_surveys(course)
    if pair is None:
        return None
    baseline, end, shared = pair
    paired = service.confidence_pairs(filters, baseline.id, end.id, [i.id for i in shared])
    return presenters.confidence_view(course, paired)


@bp.route("/page-feedback")
@role_required(*STAFF)
def page_feedback():
    """The helpful share of each page, and learners' comments on pages."""
    filters, form = _filters()
    course = provider.course()
    search, query, module, page = _search(presenters.module_choices(course, whole_course=False))
    comments = service.page_comments(filters, module, query, page, PER_PAGE)
    return render_template(
        "review/page_feedback.html",
        form=form,
        search=search,
        modules=presenters.page_feedback_views(course, service.page_helpful(filters)),
        comments=comments,
        comment_rows=presenters.comment_rows(course, comments),
        comment_summary=presenters.results_summary(page, len(comments.comments), comments.total,
                                                   PER_PAGE, "comments"),
        pager=presenters.pagination(page, comments.total, PER_PAGE, _page_url),
    )  # fmt: skip


@bp.route("/report")
@role_required(*STAFF)
def report():
    """The printable pilot report: every chart and table on one page."""
    filters, form = _filters()
    course = provider.course()
    return render_template(
        "review/report.html",
        form=form,
        **_overview(course, filters),
        quizzes=_quizzes(course, filters),
        surveys=presenters.survey_views(
            course, service.choice_counts(filters, presenters.counted_items(course))
        ),
        confidence=_confidence(course, filters),
        modules=presenters.page_feedback_views(course, service.page_helpful(filters)),
    )


def _csv(text, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/exports/quiz-items.csv")
@role_required(*STAFF)
def export_quiz_items():
    """Quiz item statistics as CSV (first attempts of consenting learners)."""
    audit.record_now(AuditAction.EXPORTED, current_user.id, None, "quiz-items.csv")
    filters, _ = _filters()
    course = provider.course()
    return _csv(exports.quiz_items_csv(course, service.item_statistics(filters)), "quiz-items.csv")


@bp.route("/exports/survey-responses.csv")
@role_required(*STAFF)
def export_survey_responses():
    """Submitted survey answers as CSV, one row per answer (consenting learners, pseudonyms)."""
    audit.record_now(AuditAction.EXPORTED, current_user.id, None, "survey-responses.csv")
    filters, _ = _filters()
    course = provider.course()
    rows = service.survey_answer_rows(filters)
    return _csv(
        stream_with_context(exports.survey_responses_csv(course, rows)), "survey-responses.csv"
    )


@bp.route("/exports/page-feedback.csv")
@role_required(*STAFF)
def export_page_feedback():
    """Page feedback as CSV, one row per learner per page (consenting learners, pseudonyms)."""
    audit.record_now(AuditAction.EXPORTED, current_user.id, None, "page-feedback.csv")
    filters, _ = _filters()
    course = provider.course()
    rows = service.page_feedback_rows(filters)
    return _csv(stream_with_context(exports.page_feedback_csv(course, rows)), "page-feedback.csv")
