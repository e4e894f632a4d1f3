"""The Advisory Group's review pages: pseudonymised, consenting learners only."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for

from elearn.auth.models import COMMUNITY_ROLES
from elearn.content import provider
from elearn.forms import choices
from elearn.params import query_choice, query_int, query_text
from elearn.review import exports, presenters, service
from elearn.review.forms import FilterForm, SearchForm
from elearn.review.service import Filters
from elearn.roles import STAFF
from elearn.security import role_required

bp = Blueprint("review", __name__)
PER_PAGE = 50
SEARCH_MAX = 200  # characters of a search query


def _filters() -> tuple[Filters, FilterForm]:
    form = FilterForm(request.args)
    form.cohort.choices = choices(
        [("", "All cohorts"), *((str(c.id), c.name) for c in service.cohorts())]
    )
    filters = Filters(
        cohort_id=query_int("cohort"), community_role=query_choice("role", COMMUNITY_ROLES)
    )
    return filters, form


def filter_args(filters: Filters) -> dict[str, str]:
    """The filters as query values, for links that keep them (parsed values only)."""
    values = {"cohort": filters.cohort_id, "role": filters.community_role}
    return {name: str(value) for name, value in values.items() if value is not None}


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
        "review/quizzes.html",
        form=form,
        quizzes=_quizzes(provider.course(), filters),
        keep=filter_args(filters),
    )


def _search(options: list[tuple[str, str]]) -> tuple[SearchForm, str | None, str | None, int]:
    """The search form and its query, module and page number from the query string."""
    form = SearchForm(request.args)
    form.module.choices = choices(options)
    query = query_text("q", SEARCH_MAX)
    module = query_choice("module", {value for value, _ in options if value})
    return form, query, module, query_int("page") or 1


def _page_urls(filters: Filters, query: str | None, module: str | None) -> Callable[[int], str]:
    """Links to other pages of a list, keeping only the parsed filters and search."""
    endpoint = request.endpoint
    if endpoint is None:
        raise RuntimeError("a page URL needs the request's endpoint")
    kept: dict[str, Any] = filter_args(filters)
    kept.update({name: v for name, v in (("q", query), ("module", module)) if v is not None})
    return lambda page: url_for(endpoint, **kept, page=page)


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
        keep=filter_args(filters),
        search=search,
        surveys=presenters.survey_views(
            course, service.choice_counts(filters, presenters.counted_items(course))
        ),
        confidence=_confidence(course, filters),
        texts=texts,
        text_rows=presenters.text_answer_rows(course, texts),
        text_summary=presenters.results_summary(page, len(texts.answers), texts.total,
                                                PER_PAGE, "answers"),
        pager=presenters.pagination(page, texts.total, PER_PAGE,
                                    _page_urls(filters, query, module)),
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
        keep=filter_args(filters),
        search=search,
        modules=presenters.page_feedback_views(course, service.page_helpful(filters)),
        comments=comments,
        comment_rows=presenters.comment_rows(course, comments),
        comment_summary=presenters.results_summary(page, len(comments.comments), comments.total,
                                                   PER_PAGE, "comments"),
        pager=presenters.pagination(page, comments.total, PER_PAGE,
                                    _page_urls(filters, query, module)),
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
    filters, _ = _filters()
    course = provider.course()
    return _csv(exports.quiz_items_csv(course, service.item_statistics(filters)), "quiz-items.csv")


@bp.route("/exports/survey-responses.csv")
@role_required(*STAFF)
def export_survey_responses():
    """Submitted survey answers as CSV, one row per answer (consenting learners, pseudonyms)."""
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
    filters, _ = _filters()
    course = provider.course()
    rows = service.page_feedback_rows(filters)
    return _csv(stream_with_context(exports.page_feedback_csv(course, rows)), "page-feedback.csv")
