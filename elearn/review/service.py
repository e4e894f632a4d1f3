"""Pilot statistics for the Data Literacy Advisory Group.

Only learners who agreed to the pilot evaluation are counted. Every figure is aggregated in SQL,
so the number of queries does not grow with the number of learners. A count from 1 to 4 is
suppressed (returned as None) so no small group can be picked out.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, String, and_, case, cast, extract, func, or_, select, true
from sqlalchemy.orm import aliased

from elearn.auth.models import Cohort, User
from elearn.extensions import db
from elearn.feedback.models import PageFeedback, ResponseStatus, SurveyAnswer, SurveyResponse
from elearn.learn.models import ModuleProgress, PageProgress
from elearn.quiz.models import QuizAnswer, QuizAttempt
from elearn.roles import Role

SMALL = 5


@dataclass(frozen=True)
class Filters:
    cohort_id: int | None = None
    community_role: str | None = None


def suppress(count: int | None) -> int | None:
    """Counts from 1 to 4 are hidden; 0 and 5 or more are shown."""
    if count is None:
        return None
    return None if 0 < count < SMALL else count


def learners(filters: Filters):
    """The consenting learners in the chosen group, as a subquery of ids."""
    query = select(User.id).where(User.role == Role.LEARNER, User.evaluation_consent.is_(True))
    if filters.cohort_id:
        query = query.where(User.cohort_id == filters.cohort_id)
    if filters.community_role:
        query = query.where(User.community_role == filters.community_role)
    return query


def cohorts() -> list[Cohort]:
    return list(db.session.scalars(select(Cohort).order_by(Cohort.name)))


@dataclass(frozen=True)
class FunnelRow:
    module_id: str
    started: int | None
    completed: int | None


def funnel(filters: Filters) -> tuple[int | None, dict[str, FunnelRow]]:
    """Registered learners, and per module how many started (opened a page) and completed
    (three queries)."""
    ids = learners(filters)
    registered = db.session.scalar(select(func.count()).select_from(ids.subquery()))
    started = dict(
        db.session.execute(
            select(PageProgress.module_id, func.count(func.distinct(PageProgress.user_id)))
            .where(PageProgress.user_id.in_(ids))
            .group_by(PageProgress.module_id)
        )
        .tuples()
        .all()
    )
    completed = dict(
        db.session.execute(
            select(ModuleProgress.module_id, func.count(ModuleProgress.completed_at))
            .where(ModuleProgress.user_id.in_(ids))
            .group_by(ModuleProgress.module_id)
        )
        .tuples()
        .all()
    )
    return suppress(registered), {
        module_id: FunnelRow(module_id, suppress(count), suppress(completed.get(module_id, 0)))
        for module_id, count in started.items()
    }


def _first_attempts(filters: Filters):
    """Each consenting learner's first submitted attempt at each quiz: the fairest item data."""
    return (
        select(QuizAttempt.id, QuizAttempt.module_id, QuizAttempt.score, QuizAttempt.max_score)
        .where(
            QuizAttempt.number == 1,
            QuizAttempt.status == "submitted",
            QuizAttempt.user_id.in_(learners(filters)),
        )
        .subquery()
    )


def score_distribution(filters: Filters) -> dict[str, dict[int, int]]:
    """Per module: how many first attempts scored in each tenth (0-9%, ..., 90-99%, 100%)."""
    first = _first_attempts(filters)
    band = (first.c.score * 100 / first.c.max_score) / 10
    rows = db.session.execute(
        select(first.c.module_id, band.label("band"), func.count()).group_by(
            first.c.module_id, band
        )
    )
    result: dict[str, dict[int, int]] = {}
    for module_id, band_value, count in rows:
        result.setdefault(module_id, {})[int(band_value)] = count
    return result


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    answered: int
    facility: float  # share answering correctly
    discrimination: float | None  # upper 27% facility minus lower 27% facility
    common_wrong: list[str] | None  # the most chosen wrong answer (option ids)
    common_wrong_count: int


def item_statistics(filters: Filters) -> dict[str, dict[str, ItemStats]]:
    """Facility, discrimination and the most chosen wrong answer per question (two queries)."""
    first = _first_attempts(filters)
    ranked = select(
        first.c.id,
        first.c.module_id,
        func.percent_rank()
        .over(
            partition_by=first.c.module_id,
            order_by=cast(first.c.score, Float) / first.c.max_score,
        )
        .label("rank"),
    ).subquery()
    correct = case((QuizAnswer.correct.is_(True), 1), else_=0)
    # Upper and lower 27% by percent rank: tied scores always fall in the same group.
    upper = ranked.c.rank >= 0.73
    lower = ranked.c.rank <= 0.27
    rows = db.session.execute(
        select(
            ranked.c.module_id,
            QuizAnswer.question_id,
            func.count(),
            func.sum(correct),
            func.sum(case((upper, 1), else_=0)),
            func.sum(case((and_(upper, QuizAnswer.correct.is_(True)), 1), else_=0)),
            func.sum(case((lower, 1), else_=0)),
            func.sum(case((and_(lower, QuizAnswer.correct.is_(True)), 1), else_=0)),
        )
        .join(ranked, ranked.c.id == QuizAnswer.attempt_id)
        .group_by(ranked.c.module_id, QuizAnswer.question_id)
    ).all()
    options_text = cast(QuizAnswer.option_ids, String)
    wrong_rows = db.session.execute(
        select(QuizAnswer.question_id, options_text.label("options"), func.count())
        .join(first, first.c.id == QuizAnswer.attempt_id)
        .where(QuizAnswer.correct.is_(False))
        .group_by(QuizAnswer.question_id, options_text)
    ).all()
    common: dict[str, tuple[str, int]] = {}
    for question_id, options, count in wrong_rows:
        if count > common.get(question_id, ("", 0))[1]:
            common[question_id] = (options, count)
    result: dict[str, dict[str, ItemStats]] = {}
    for module_id, question_id, n, right, n_up, right_up, n_low, right_low in rows:
        discrimination = None
        if n_up and n_low:
            discrimination = round(right_up / n_up - right_low / n_low, 2)
        options, wrong_count = common.get(question_id, ("", 0))
        result.setdefault(module_id, {})[question_id] = ItemStats(
            question_id=question_id,
            answered=n,
            facility=round(right / n, 2) if n else 0.0,
            discrimination=discrimination,
            common_wrong=_parse_ids(options) if options else None,
            common_wrong_count=wrong_count,
        )
    return result


def _parse_ids(text: str) -> list[str]:
    return list(json.loads(text))


def _seconds_between(start, end):
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return extract("epoch", end - start)


def median_minutes(filters: Filters) -> dict[str, tuple[float | None, int | None]]:
    """Median minutes from starting to completing each module, and how many it is based on."""
    seconds = _seconds_between(ModuleProgress.started_at, ModuleProgress.completed_at)
    ordered = (
        select(
            ModuleProgress.module_id,
            seconds.label("seconds"),
            func.row_number()
            .over(partition_by=ModuleProgress.module_id, order_by=seconds)
            .label("position"),
            func.count().over(partition_by=ModuleProgress.module_id).label("total"),
        )
        .where(
            ModuleProgress.completed_at.is_not(None),
            ModuleProgress.user_id.in_(
                learners(Filters(filters.cohort_id, filters.community_role))
            ),
        )
        .subquery()
    )
    middle = ordered.c.position.in_([(ordered.c.total + 1) / 2, (ordered.c.total + 2) / 2])
    rows = db.session.execute(
        select(ordered.c.module_id, func.avg(ordered.c.seconds), func.max(ordered.c.total))
        .where(middle)
        .group_by(ordered.c.module_id)
    )
    result = {}
    for module_id, median_seconds, total in rows:
        shown = suppress(total)
        result[module_id] = (
            round(float(median_seconds) / 60, 1) if shown else None,
            shown,
        )
    return result


# Surveys and page feedback. Only submitted responses count: drafts and skipped surveys do not.


def _submitted(filters: Filters):
    """Submitted survey responses of consenting learners in the chosen group, as a subquery."""
    return (
        select(
            SurveyResponse.id,
            SurveyResponse.user_id,
            SurveyResponse.survey_id,
            SurveyResponse.submitted_at,
        )  # fmt: skip
        .where(
            SurveyResponse.status == ResponseStatus.SUBMITTED,
            SurveyResponse.user_id.in_(learners(filters)),
        )
        .subquery()
    )


def _items(survey_column, item_column, items: list[tuple[str, str]]):
    """Answers to these (survey id, item id) pairs.

    Exact per survey, and cheap: SQLite scans a row-value IN list for every row, so each survey
    gets its own item list instead.
    """
    by_survey: dict[str, set[str]] = {}
    for survey_id, item_id in items:
        by_survey.setdefault(survey_id, set()).add(item_id)
    return or_(
        *(and_(survey_column == survey_id, item_column.in_(sorted(ids)))
          for survey_id, ids in sorted(by_survey.items()))
    )  # fmt: skip


def choice_counts(
    filters: Filters, items: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, int]]:
    """How many chose each scale point or option, per (survey id, item id) (one query).

    `items` lists the scale and single-choice items to count; free text is never grouped.
    """
    if not items:
        return {}
    responses = _submitted(filters)
    rows = db.session.execute(
        select(responses.c.survey_id, SurveyAnswer.item_id, SurveyAnswer.value, func.count())
        .join(responses, responses.c.id == SurveyAnswer.response_id)
        .where(_items(responses.c.survey_id, SurveyAnswer.item_id, items))
        .group_by(responses.c.survey_id, SurveyAnswer.item_id, SurveyAnswer.value)
    )
    result: dict[tuple[str, str], dict[str, int]] = {}
    for survey_id, item_id, value, count in rows:
        result.setdefault((survey_id, item_id), {})[value] = count
    return result


@dataclass(frozen=True)
class Paired:
    item_id: str
    learners: int | None  # None when suppressed (1 to 4 paired learners)
    before: float | None  # mean on the 1-5 scale
    after: float | None


def confidence_pairs(
    filters: Filters, baseline_id: str, end_id: str, item_ids: list[str]
) -> dict[str, Paired]:
    """Mean confidence before and after per item, for paired learners only (one query).

    A learner counts for an item when they submitted both surveys and answered that item in
    both; learners who answered only one of them are left out, so the means compare the same
    people.
    """
    if not item_ids:
        return {}
    base_response, end_response = aliased(SurveyResponse), aliased(SurveyResponse)
    base_answer, end_answer = aliased(SurveyAnswer), aliased(SurveyAnswer)
    rows = db.session.execute(
        select(
            base_answer.item_id,
            func.count(),
            func.avg(cast(base_answer.value, Float)),
            func.avg(cast(end_answer.value, Float)),
        )
        .select_from(base_response)
        .join(base_answer, base_answer.response_id == base_response.id)
        .join(end_response, end_response.user_id == base_response.user_id)
        .join(
            end_answer,
            and_(
                end_answer.response_id == end_response.id, end_answer.item_id == base_answer.item_id
            ),
        )  # fmt: skip
        .where(
            base_response.survey_id == baseline_id,
            end_response.survey_id == end_id,
            base_response.status == ResponseStatus.SUBMITTED,
            end_response.status == ResponseStatus.SUBMITTED,
            base_answer.item_id.in_(item_ids),
            base_response.user_id.in_(learners(filters)),
        )
        .group_by(base_answer.item_id)
    )
    result = {}
    for item_id, count, before, after in rows:
        shown = suppress(count)
        result[item_id] = Paired(
            item_id,
            shown,
            round(float(before), 2) if shown else None,
            round(float(after), 2) if shown else None,
        )
    return result


@dataclass(frozen=True)
class TextAnswer:
    user_id: int
    survey_id: str
    item_id: str
    text: str
    submitted_at: datetime | None
    community_role: str | None


@dataclass(frozen=True)
class TextPage:
    respondents: int | None  # learners who wrote anything here, before the search; suppressed
    total: int  # answers matching the search
    answers: list[TextAnswer]


def _contains(column, query: str | None):
    """Case-insensitive LIKE with %, _ and \\ in the query taken literally."""
    return column.icontains(query, autoescape=True) if query else true()


def free_text_answers(
    filters: Filters,
    items: list[tuple[str, str]],
    query: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> TextPage:
    """One page of free-text answers, newest first, matching the search (three queries).

    Nothing is listed when fewer than 5 learners wrote answers in the chosen group.
    """
    if not items:
        return TextPage(0, 0, [])
    responses = _submitted(filters)
    base = (
        select(SurveyAnswer.id)
        .join(responses, responses.c.id == SurveyAnswer.response_id)
        .where(_items(responses.c.survey_id, SurveyAnswer.item_id, items))
    )
    respondents = db.session.scalar(
        base.with_only_columns(func.count(func.distinct(responses.c.user_id)))
    )
    if suppress(respondents) is None:
        return TextPage(None, 0, [])
    matching = base.where(_contains(SurveyAnswer.value, query))
    total = db.session.scalar(matching.with_only_columns(func.count())) or 0
    rows = db.session.execute(
        matching.with_only_columns(
            responses.c.user_id,
            responses.c.survey_id,
            SurveyAnswer.item_id,
            SurveyAnswer.value,
            responses.c.submitted_at,
            User.community_role,
        )  # fmt: skip
        .join(User, User.id == responses.c.user_id)
        .order_by(responses.c.submitted_at.desc(), SurveyAnswer.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return TextPage(respondents, total, [TextAnswer(*row) for row in rows])


@dataclass(frozen=True)
class PageHelpful:
    module_id: str
    page_id: str
    answers: int | None  # None when suppressed
    helpful: int | None


def page_helpful(filters: Filters) -> dict[str, PageHelpful]:
    """Per page: how many answered "was this page helpful?" and how many said yes (one query)."""
    rows = db.session.execute(
        select(
            PageFeedback.module_id,
            PageFeedback.page_id,
            func.count(),
            func.sum(case((PageFeedback.helpful.is_(True), 1), else_=0)),
        )
        .where(PageFeedback.user_id.in_(learners(filters)))
        .group_by(PageFeedback.module_id, PageFeedback.page_id)
    )
    result = {}
    for module_id, page_id, count, helpful in rows:
        shown = suppress(count)
        result[page_id] = PageHelpful(module_id, page_id, shown, helpful if shown else None)
    return result


@dataclass(frozen=True)
class PageComment:
    user_id: int
    module_id: str
    page_id: str
    helpful: bool
    comment: str
    updated_at: datetime
    community_role: str | None


@dataclass(frozen=True)
class CommentPage:
    commenters: int | None  # learners who commented in the chosen group; suppressed
    total: int
    comments: list[PageComment]


def page_comments(
    filters: Filters,
    module_id: str | None = None,
    query: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> CommentPage:
    """One page of page-feedback comments, newest first (three queries).

    Nothing is listed when fewer than 5 learners commented in the chosen group.
    """
    base = select(PageFeedback.id).where(
        PageFeedback.user_id.in_(learners(filters)),
        PageFeedback.comment.is_not(None),
        PageFeedback.module_id == module_id if module_id else true(),
    )
    commenters = db.session.scalar(
        base.with_only_columns(func.count(func.distinct(PageFeedback.user_id)))
    )
    if suppress(commenters) is None:
        return CommentPage(None, 0, [])
    matching = base.where(_contains(PageFeedback.comment, query))
    total = db.session.scalar(matching.with_only_columns(func.count())) or 0
    rows = db.session.execute(
        matching.with_only_columns(
            PageFeedback.user_id,
            PageFeedback.module_id,
            PageFeedback.page_id,
            PageFeedback.helpful,
            PageFeedback.comment,
            PageFeedback.updated_at,
            User.community_role,
        )  # fmt: skip
        .join(User, User.id == PageFeedback.user_id)
        .order_by(PageFeedback.updated_at.desc(), PageFeedback.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return CommentPage(commenters, total, [PageComment(*row) for row in rows])


# Exports: one row per answer or per page feedback, streamed in chunks.


def survey_answer_rows(filters: Filters) -> Iterator[tuple]:
    """(user id, survey id, item id, value, submitted at, community role, cohort name)."""
    responses = _submitted(filters)
    statement = (
        select(responses.c.user_id, responses.c.survey_id, SurveyAnswer.item_id,
               SurveyAnswer.value, responses.c.submitted_at, User.community_role, Cohort.name)
        .join(responses, responses.c.id == SurveyAnswer.response_id)
        .join(User, User.id == responses.c.user_id)
        .outerjoin(Cohort, Cohort.id == User.cohort_id)
        .order_by(responses.c.user_id, responses.c.survey_id, SurveyAnswer.id)
    )  # fmt: skip
    yield from db.session.execute(statement.execution_options(yield_per=1000)).tuples()


def page_feedback_rows(filters: Filters) -> Iterator[tuple]:
    """(user id, module id, page id, helpful, comment, updated at, community role, cohort)."""
    statement = (
        select(PageFeedback.user_id, PageFeedback.module_id, PageFeedback.page_id,
               PageFeedback.helpful, PageFeedback.comment, PageFeedback.updated_at,
               User.community_role, Cohort.name)
        .join(User, User.id == PageFeedback.user_id)
        .outerjoin(Cohort, Cohort.id == User.cohort_id)
        .where(PageFeedback.user_id.in_(learners(filters)))
        .order_by(PageFeedback.user_id, PageFeedback.id)
    )  # fmt: skip
    yield from db.session.execute(statement.execution_options(yield_per=1000)).tuples()
