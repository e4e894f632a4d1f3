"""The Advisory Group's review pages: pseudonymised, consenting learners only.

Every figure is fetched for everyone and, when a filter is chosen, for every group of its kind,
so the disclosure rules can protect the chosen group against the others (presenters.Across).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from elearn import audit
from elearn.audit import AuditAction
from elearn.auth.models import COMMUNITY_ROLES
from elearn.content import provider
from elearn.forms import choices
from elearn.params import query_choice, query_int, query_text
from elearn.review import exports, presenters, service
from elearn.review.forms import FilterForm, SearchForm
from elearn.review.models import ExportKind
from elearn.review.presenters import Across
from elearn.review.service import Filters
from elearn.roles import STAFF
from elearn.security import role_required

T = TypeVar("T")
bp = Blueprint("review", __name__)
PER_PAGE = 50
SEARCH_MAX = 200  # characters of a search query
ONE_GROUP = (
    "Figures are shown for one group at a time: a cohort or a community role. "
    "These are the figures for the cohort you chose."
)


def _filters() -> tuple[Filters, FilterForm]:
    form = FilterForm(request.args)
    known = service.cohorts()
    form.cohort.choices = choices([("", "All cohorts"), *((str(c.id), c.name) for c in known)])
    cohort_id = query_int("cohort")
    cohort_id = cohort_id if cohort_id in {c.id for c in known} else None
    community_role = query_choice("role", COMMUNITY_ROLES)
    if cohort_id is not None:
        community_role = None  # one group at a time: see ONE_GROUP
    return Filters(cohort_id=cohort_id, community_role=community_role), form


def _notice(filters: Filters) -> str | None:
    both = filters.cohort_id is not None and query_choice("role", COMMUNITY_ROLES) is not None
    return ONE_GROUP if both else None


def filter_args(filters: Filters) -> dict[str, str]:
    """The filters as query values, for links that keep them (parsed values only)."""
    values = {"cohort": filters.cohort_id, "role": filters.community_role}
    return {name: str(value) for name, value in values.items() if value is not None}


def _across(figure: Callable[[Filters], T], filters: Filters) -> Across[T]:
    """The figure for everyone, and for every group of the chosen filter's kind."""
    groups = {group: figure(group) for group in service.groups(filters)}
    return Across(figure(Filters()), groups, filters)


def _overview(course, filters: Filters) -> dict:
    """The funnel and the time per module (shared by the overview and the report)."""
    funnel = presenters.funnel_shown(course, _across(service.funnel, filters))
    return {
        "funnel": presenters.funnel_view(course, funnel),
        "time": presenters.time_view(course, service.median_minutes(filters), funnel),
    }


def _quiz_figures(course, filters: Filters):
    """The protected quiz figures and the chosen group's question statistics."""
    raw = _across(lambda f: (service.score_distribution(f), service.item_statistics(f)), filters)
    return presenters.quiz_shown(course, raw), raw.mine[1]


def _quizzes(course, filters: Filters) -> list[dict]:
    """Each quiz's score distribution and question statistics (quizzes page and report)."""
    shown, stats = _quiz_figures(course, filters)
    return presenters.quiz_views(course, shown, stats)


def _surveys(course, filters: Filters) -> list[dict]:
    counted = presenters.counted_items(course)
    raw = _across(lambda f: service.choice_counts(f, counted), filters)
    return presenters.survey_views(course, presenters.survey_shown(course, raw))


def _helpful(course, filters: Filters) -> list[dict]:
    raw = _across(service.page_helpful, filters)
    return presenters.page_feedback_views(course, presenters.helpful_shown(course, raw))


def _page(template: str, filters: Filters, **context: Any) -> str:
    return render_template(
        template,
        notice=_notice(filters),
        small=presenters.threshold(),
        keep=filter_args(filters),
        **context,
    )


@bp.route("/")
@role_required(*STAFF)
def overview():
    """Registered, started and completed per module, and the median time per module."""
    filters, form = _filters()
    return _page(
        "review/overview.html", filters, form=form, **_overview(provider.course(), filters)
    )


@bp.route("/quizzes")
@role_required(*STAFF)
def quizzes():
    """Score distributions and question statistics, to spot confusing questions."""
    filters, form = _filters()
    return _page(
        "review/quizzes.html", filters, form=form, quizzes=_quizzes(provider.course(), filters)
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
    pages = _page_urls(filters, query, module)
    asked = presenters.text_items(course, module)
    listed = presenters.listed(_across(lambda f: service.text_respondents(f, asked), filters))
    texts = service.free_text_answers(filters, asked, query, page, PER_PAGE) if listed else None
    return _page(
        "review/surveys.html",
        filters,
        form=form,
        search=search,
        surveys=_surveys(course, filters),
        confidence=_confidence(course, filters),
        knowledge=_knowledge(course, filters),
        texts=texts,
        text_rows=presenters.text_answer_rows(course, texts) if texts else [],
        text_summary=presenters.results_summary(page, len(texts.answers), texts.total,
                                                PER_PAGE, "answers") if texts else "",
        pager=presenters.pagination(page, texts.total, PER_PAGE, pages) if texts else None,
    )  # fmt: skip


def _confidence(course, filters: Filters) -> dict | None:
    pair = presenters.paired_surveys(course)
    if pair is None:
        return None
    baseline, end, shared = pair
    item_ids = [i.id for i in shared]
    raw = _across(lambda f: service.confidence_pairs(f, baseline.id, end.id, item_ids), filters)
    shown = presenters.confidence_shown(item_ids, raw)
    return presenters.confidence_view(course, raw.mine, shown)


def _knowledge(course, filters: Filters) -> dict | None:
    """The knowledge check's learning gain, paired per learner (None without a knowledge check)."""
    found = presenters.knowledge_items(course)
    if found is None:
        return None
    baseline, end, right = found
    gain = _across(lambda f: service.knowledge_gain(f, baseline.id, end.id, right), filters)
    return presenters.knowledge_gain_view(gain)


@bp.route("/page-feedback")
@role_required(*STAFF)
def page_feedback():
    """The helpful share of each page, and learners' comments on pages."""
    filters, form = _filters()
    course = provider.course()
    search, query, module, page = _search(presenters.module_choices(course, whole_course=False))
    pages = _page_urls(filters, query, module)
    listed = presenters.listed(_across(lambda f: service.commenters(f, module), filters))
    comments = service.page_comments(filters, module, query, page, PER_PAGE) if listed else None
    return _page(
        "review/page_feedback.html",
        filters,
        form=form,
        search=search,
        modules=_helpful(course, filters),
        comments=comments,
        comment_rows=presenters.comment_rows(course, comments) if comments else [],
        comment_summary=presenters.results_summary(page, len(comments.comments), comments.total,
                                                   PER_PAGE, "comments") if comments else "",
        pager=presenters.pagination(page, comments.total, PER_PAGE, pages) if comments else None,
    )  # fmt: skip


@bp.route("/report")
@role_required(*STAFF)
def report():
    """The printable pilot report: every chart and table on one page."""
    filters, form = _filters()
    course = provider.course()
    return _page(
        "review/report.html",
        filters,
        form=form,
        **_overview(course, filters),
        quizzes=_quizzes(course, filters),
        surveys=_surveys(course, filters),
        confidence=_confidence(course, filters),
        modules=_helpful(course, filters),
    )


@bp.route("/exports")
@role_required(*STAFF)
def export_log():
    """The log of exports: who downloaded what, when, for which group."""
    return render_template(
        "review/export_log.html", rows=presenters.export_rows(service.export_records())
    )


def _csv(text, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _refused(kind: ExportKind, filters: Filters) -> tuple[str, int]:
    service.record_export(current_user.id, kind, filters, refused=True)
    html = render_template("review/export_refused.html", back=request.referrer)
    return html, 200


@bp.route("/exports/quiz-items.csv")
@role_required(*STAFF)
def export_quiz_items():
    """Quiz item statistics as CSV (first attempts of consenting learners, protected)."""
    audit.record_now(AuditAction.EXPORTED, current_user.id, None, "quiz-items.csv")
    filters, _ = _filters()
    course = provider.course()
    shown, stats = _quiz_figures(course, filters)
    service.record_export(current_user.id, ExportKind.QUIZ_ITEMS, filters, refused=False)
    return _csv(
        exports.quiz_items_csv(course, shown, stats, presenters.threshold()), "quiz-items.csv"
    )


@bp.route("/exports/survey-responses.csv")
@role_required(*STAFF)
def export_survey_responses():
    """Submitted survey answers as CSV, one row per answer (consenting learners, pseudonyms)."""
    audit.record_now(AuditAction.EXPORTED, current_user.id, None, "survey-responses.csv")
    filters, _ = _filters()
    if not presenters.listed(_across(service.survey_respondents, filters)):
        return _refused(ExportKind.SURVEY_RESPONSES, filters)
    service.record_export(current_user.id, ExportKind.SURVEY_RESPONSES, filters, refused=False)
    rows = service.survey_answer_rows(filters)
    return _csv(
        stream_with_context(exports.survey_responses_csv(provider.course(), rows)),
        "survey-responses.csv",
    )


@bp.route("/exports/page-feedback.csv")
@role_required(*STAFF)
def export_page_feedback():
    """Page feedback as CSV, one row per learner per page (consenting learners, pseudonyms)."""
    audit.record_now(AuditAction.EXPORTED, current_user.id, None, "page-feedback.csv")
    filters, _ = _filters()
    if not presenters.listed(_across(service.page_feedback_givers, filters)):
        return _refused(ExportKind.PAGE_FEEDBACK, filters)
    service.record_export(current_user.id, ExportKind.PAGE_FEEDBACK, filters, refused=False)
    rows = service.page_feedback_rows(filters)
    return _csv(
        stream_with_context(exports.page_feedback_csv(provider.course(), rows)),
        "page-feedback.csv",
    )
