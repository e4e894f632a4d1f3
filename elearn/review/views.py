"""The Advisory Group's review pages: pseudonymised, consenting learners only.

Every figure is fetched for everyone and, when a filter is chosen, for every group of its kind,
so the disclosure rules can protect the chosen group against the others (presenters.Across).
"""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from elearn import audit
from elearn.audit import AuditAction
from elearn.auth.models import COMMUNITY_ROLES
from elearn.content import provider, store
from elearn.db import utcnow
from elearn.forms import choices
from elearn.params import query_choice, query_int, query_text
from elearn.review import changes, exports, pdf, presenters, service, summary, trends
from elearn.review.changes import Change, ChangeKind
from elearn.review.forms import (
    ActedOnForm,
    CommentSearchForm,
    DateRangeForm,
    FilterForm,
    SearchForm,
)
from elearn.review.models import ExportKind
from elearn.review.presenters import Across
from elearn.review.service import Filters
from elearn.roles import STAFF, Role
from elearn.security import role_required

T = TypeVar("T")
bp = Blueprint("review", __name__)
ID = "id"  # elearn.params.IdConverter: 1 to the largest stored id
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
    """Why the figures are not for the group asked for: one group at a time, or an unknown
    cohort or role, which is left out (the page is never an error)."""
    both = filters.cohort_id is not None and query_choice("role", COMMUNITY_ROLES) is not None
    if both:
        return ONE_GROUP
    unknown = [
        name
        for name, asked, known in (
            ("cohort", request.args.get("cohort"), filters.cohort_id),
            ("community role", request.args.get("role"), query_choice("role", COMMUNITY_ROLES)),
        )
        if asked and known is None
    ]
    if not unknown:
        return None
    return (
        f"The {' and '.join(unknown)} asked for {'is' if len(unknown) == 1 else 'are'} not known, "
        "so "
        + ("it was" if len(unknown) == 1 else "they were")
        + " left out: "
        + ("these are the figures for every consenting learner." if filters.everyone
           else "these figures are for the other filter.")
    )  # fmt: skip


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


def _quiz_url(module_id: str) -> str:
    return url_for("review.quizzes", _anchor=f"quiz-{module_id}")


def _change_url(change: Change) -> str | None:
    """Where a change can be seen: the page or module as learners see it, or the quiz's
    statistics; nothing for what was removed."""
    if change.kind == ChangeKind.REMOVED:
        return None
    if change.what == "page":
        return _page_url(change.module_id, change.item_id)
    if change.what == "question":
        return _quiz_url(change.module_id)
    return url_for("learn.module", module_id=change.module_id)


def _revision_changes() -> tuple[list[service.Revision], list[Change] | None]:
    """The two latest published revisions and what changed between them (None for the first)."""
    revisions = service.latest_published(2)
    if len(revisions) < 2:
        return revisions, None
    newer, older = (store.revision_course(r.id) for r in revisions)
    return revisions, changes.changes(older, newer)


def _summary(course, filters: Filters) -> dict:
    """The one-page summary: completions, the learning gain, confidence, what needs attention,
    what changed."""
    totals = presenters.protected(
        _across(_comparison_raw, filters),
        presenters.comparison_cells(course),
        presenters.comparison_sums(course),
    )
    positions = presenters.page_positions(course)
    dropoff = presenters.dropoff_shown(
        course, _across(lambda f: service.furthest_pages(f, positions), filters)
    )
    helpful = presenters.helpful_shown(course, _across(service.page_helpful, filters))
    quiz, stats = _quiz_figures(course, filters)
    revisions, changed = _revision_changes()
    confidence = _confidence(course, filters)
    return {
        "completions": summary.completions(course, totals),
        "knowledge": _knowledge(course, filters),
        "confidence": confidence,
        "confidence_rows": summary.confidence_rows(confidence),
        "pages": summary.attention_pages(course, dropoff, helpful, _page_url),
        "questions": summary.attention_questions(
            course,
            quiz,
            stats,
            presenters.threshold(),
            lambda module_id: url_for("review.quizzes", _anchor=f"quiz-{module_id}"),
        ),  # fmt: skip
        "revision": summary.revision_view(revisions, changed, _change_url),
    }


@bp.route("/")
@role_required(*STAFF)
def overview():
    """The summary, then registered, started and completed per module, and the time taken."""
    filters, form = _filters()
    course = provider.course()
    return _page(
        "review/overview.html",
        filters,
        form=form,
        summary=_summary(course, filters),
        **_overview(course, filters),
    )


def _page_url(module_id: str, page_id: str) -> str:
    return url_for("learn.page", module_id=module_id, page_id=page_id)


def _dropoff(course, filters: Filters) -> list[dict]:
    """Per module, how many reached each page (the drop-off page and the report)."""
    positions = presenters.page_positions(course)
    raw = _across(lambda f: service.furthest_pages(f, positions), filters)
    return presenters.dropoff_views(course, presenters.dropoff_shown(course, raw), _page_url)


@bp.route("/drop-off")
@role_required(*STAFF)
def dropoff():
    """Where learners stop within each module: how many reached each page."""
    filters, form = _filters()
    return _page(
        "review/dropoff.html", filters, form=form, modules=_dropoff(provider.course(), filters)
    )


GROUP_KINDS = {"role": "Community role", "cohort": "Cohort"}


def _comparison_raw(filters: Filters):
    return (service.funnel(filters), service.certificates(filters), service.page_helpful(filters))


def _groups(course, kind: str) -> dict:
    """The headline figures for everyone and every group of one kind, side by side."""
    chosen = Filters(cohort_id=0) if kind == "cohort" else Filters(community_role="other")
    groups = service.groups(chosen)
    names = presenters.group_names(groups, {c.id: c.name for c in service.cohorts()})
    raw = {group: _comparison_raw(group) for group in groups}
    shown = presenters.comparison_shown(course, _comparison_raw(Filters()), raw)
    return presenters.comparison_view(course, shown, names)


@bp.route("/groups")
@role_required(*STAFF)
def groups():
    """Each headline figure by community role or by cohort, beside the overall figure."""
    kind = query_choice("by", GROUP_KINDS) or "role"
    unknown = "by" in request.args and query_choice("by", GROUP_KINDS) is None
    return render_template(
        "review/groups.html",
        kind=kind,
        kinds=GROUP_KINDS,
        unknown=unknown,
        small=presenters.threshold(),
        comparison=_groups(provider.course(), kind),
    )


def _query_date(name: str) -> tuple[date | None, bool]:
    """A date from the query string (YYYY-MM-DD), and whether a value was given but unusable."""
    raw = query_text(name, 10)
    if raw is None:
        return None, False
    try:
        return date.fromisoformat(raw), False
    except ValueError:
        return None, True


def _date_range() -> tuple[date | None, date | None, str | None]:
    """The chosen date range, or none with a message when a date is malformed or the range
    runs backwards."""
    start, bad_start = _query_date("from")
    end, bad_end = _query_date("to")
    if bad_start or bad_end:
        return None, None, "A date was not in the form YYYY-MM-DD, so every date is shown."
    if start and end and start > end:
        return None, None, "The start date was after the end date, so every date is shown."
    return start, end, None


def _around(course, filters: Filters) -> dict | None:
    """Before and after the latest revision, for the pages and questions it changed."""
    revisions, changed = _revision_changes()
    if changed is None:
        return None
    latest = revisions[0]
    pages = trends.changed_pages(course, changed, _page_url)
    questions = trends.changed_questions(changed, _quiz_url)
    page_ids, question_ids = [p[0] for p in pages], [q[0] for q in questions]
    small = presenters.threshold()
    helpful = trends.around_shown(
        page_ids,
        _across(lambda f: service.helpful_around(f, latest.published_at, page_ids), filters),
        small,
    )
    facility = trends.around_shown(
        question_ids,
        _across(lambda f: service.facility_around(f, latest.id, question_ids), filters),
        small,
    )
    return {
        "revision": latest,
        "pages": trends.around_view(pages, helpful),
        "questions": trends.around_view(questions, facility),
    }


def _weekly(filters: Filters, start: date | None, end: date | None) -> dict:
    raw = _across(lambda f: service.daily(f, start, end), filters)
    chosen = trends.weeks(raw.everyone)
    shown = presenters.protected(raw, trends.weekly_cells(chosen), trends.weekly_sums(chosen))
    return trends.weekly_view(chosen, shown)


@bp.route("/over-time")
@role_required(*STAFF)
def over_time():
    """Weekly registrations, completions and helpful share; before and after the latest
    revision for what it changed."""
    filters, form = _filters()
    start, end, problem = _date_range()
    course = provider.course()
    weekly = _weekly(filters, start, end)
    return _page(
        "review/over_time.html",
        filters,
        form=form,
        dates=DateRangeForm(request.args),
        problem=problem,
        start=start,
        end=end,
        weekly=weekly,
        around=_around(course, filters),
    )


@bp.route("/quizzes")
@role_required(*STAFF)
def quizzes():
    """Score distributions and question statistics, to spot confusing questions."""
    filters, form = _filters()
    return _page(
        "review/quizzes.html", filters, form=form, quizzes=_quizzes(provider.course(), filters)
    )


def _search(
    options: list[tuple[str, str]], kind: type[SearchForm] = SearchForm
) -> tuple[Any, str | None, str | None, int]:
    """The search form and its query, module and page number from the query string."""
    form = kind(request.args)
    form.module.choices = choices(options)
    query = query_text("q", SEARCH_MAX)
    module = query_choice("module", {value for value, _ in options if value})
    return form, query, module, query_int("page") or 1


def _unknown(*parsed: tuple[str, str | None]) -> str | None:
    """A message when a filter in the query string was given but is not known (it is then
    left out, and the page shows everything)."""
    names = [name for name, value in parsed if request.args.get(name) and value is None]
    return (
        "A filter was not recognised, so it was left out: showing every "
        + " and every ".join("module" if n == "module" else "page" for n in names)
        + "."
        if names
        else None
    )


def _page_urls(
    filters: Filters, query: str | None, module: str | None, page_id: str | None = None
) -> Callable[[int], str]:
    """Links to other pages of a list, keeping only the parsed filters and search."""
    endpoint = request.endpoint
    if endpoint is None:
        raise RuntimeError("a page URL needs the request's endpoint")
    kept: dict[str, Any] = filter_args(filters)
    kept.update({name: v for name, v in (("q", query), ("module", module), ("page_id", page_id))
                 if v is not None})  # fmt: skip
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


def _mark_url(feedback_id: int) -> str:
    return url_for("review.mark_acted_on", feedback_id=feedback_id)


def _diff_urls() -> Callable[[int], str | None] | None:
    """For admins, who may open the editor: a revision's link to the editor's diff of what it
    changed since the revision published before it (none for the first). Others get None."""
    if current_user.role != Role.ADMIN:
        return None
    before = service.published_before()

    def diff_url(revision_id: int) -> str | None:
        old = before.get(revision_id)
        return None if old is None else url_for("editor.diff", old=old, new=revision_id)

    return diff_url


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
    """The helpful share of each page, and learners' comments on pages in context."""
    filters, form = _filters()
    course = provider.course()
    options = presenters.module_choices(course, whole_course=False)
    search, query, module, page = _search(options, CommentSearchForm)
    page_options = presenters.page_choices(course, module)
    page_id = query_choice("page_id", {value for value, _ in page_options if value})
    search.page_id.choices = choices(page_options)
    unknown = _unknown(("module", module), ("page_id", page_id))
    pages = _page_urls(filters, query, module, page_id)
    listed = presenters.listed(_across(lambda f: service.commenters(f, module, page_id), filters))
    comments = (
        service.page_comments(filters, module, query, page, PER_PAGE, page_id) if listed else None
    )
    mark = _mark_url if current_user.role == Role.ADMIN else None
    return _page(
        "review/page_feedback.html",
        filters,
        form=form,
        search=search,
        unknown=unknown,
        modules=_helpful(course, filters),
        comments=comments,
        comment_rows=presenters.comment_rows(course, comments, _page_url, mark, _diff_urls())
                     if comments else [],
        comment_summary=presenters.results_summary(page, len(comments.comments), comments.total,
                                                   PER_PAGE, "comments") if comments else "",
        pager=presenters.pagination(page, comments.total, PER_PAGE, pages) if comments else None,
    )  # fmt: skip


@bp.route(f"/comments/<{ID}:feedback_id>/acted-on", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def mark_acted_on(feedback_id: int):
    """Mark a page comment as acted on by a published revision, or clear the mark (admins)."""
    if not presenters.listed(Across(service.commenters(Filters()))):
        abort(404)  # comments are not listed at all: none can be opened one by one
    comment = service.page_comment(feedback_id)
    if comment is None:
        abort(404)
    form = ActedOnForm(revision=str(comment.acted_revision_id or ""))
    revisions = service.latest_published(50)
    form.revision.choices = choices(presenters.revision_choices(revisions))
    if form.validate_on_submit():
        chosen = form.revision.data or ""
        known = {str(r.id): r.id for r in revisions}
        if chosen and chosen not in known:
            form.revision.errors = ["Select a published revision, or “Not acted on yet”"]
        else:
            service.mark_acted_on(feedback_id, known.get(chosen), current_user.id)
            flash("The comment has been updated.", "success")
            return redirect(url_for("review.page_feedback", _anchor="comments"))
    course = provider.course()
    return render_template(
        "review/acted_on.html",
        form=form,
        rows=presenters.comment_rows(
            course, service.CommentPage(1, [comment]), _page_url, diff_url=_diff_urls()
        ),
    ), (400 if form.errors else 200)


REPORT_SECTIONS = [
    ("summary-heading", "Summary"),
    ("overview", "Registered, started and completed"),
    ("drop-off", "Drop-off within modules"),
    ("groups", "Groups side by side"),
    ("over-time", "Over time"),
    ("quizzes", "Quizzes"),
    ("surveys", "Surveys"),
    ("page-feedback", "Page feedback"),
]


def _report(course, filters: Filters) -> dict:
    """Everything the report shows, for the web page and the PDF alike."""
    revisions = service.latest_published(1)
    cohort = next((c.name for c in service.cohorts() if c.id == filters.cohort_id), None)
    front = _summary(course, filters)
    return {
        "produced": presenters.produced_at(utcnow()),
        "group": presenters.group_name(filters.cohort_id, cohort, filters.community_role),
        "threshold": presenters.threshold_sentence(presenters.threshold()),
        "content": presenters.content_sentence(revisions[0] if revisions else None),
        "sections": REPORT_SECTIONS,
        "summary": front,
        **_overview(course, filters),
        "dropoff": _dropoff(course, filters),
        "by_role": _groups(course, "role"),
        "by_cohort": _groups(course, "cohort"),
        "weekly": _weekly(filters, None, None),
        "around": _around(course, filters),
        "quizzes": _quizzes(course, filters),
        "surveys": _surveys(course, filters),
        "confidence": _confidence(course, filters),
        "knowledge": front["knowledge"],
        "modules": _helpful(course, filters),
    }


@bp.route("/report")
@role_required(*STAFF)
def report():
    """The pilot report for a meeting: dated, its filters and threshold stated, summary first."""
    filters, form = _filters()
    course = provider.course()
    return _page(
        "review/report.html", filters, form=form, kinds=GROUP_KINDS, **_report(course, filters)
    )


@bp.route("/report.pdf")
@role_required(*STAFF)
def report_pdf():
    """The same report as a PDF to download (tables only; the web report has the charts)."""
    audit.record_now(AuditAction.EXPORTED, current_user.id, None, "report.pdf")
    filters, _ = _filters()
    data = {**_report(provider.course(), filters), "notice": _notice(filters)}
    return Response(
        pdf.report_pdf(data, current_app.config["SERVICE_NAME"]),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="pilot-report.pdf"'},
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
