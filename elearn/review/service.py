"""Pilot statistics for the Data Literacy Advisory Group.

Only learners who agreed to the pilot evaluation are counted. Every figure is aggregated in SQL,
so the number of queries does not grow with the number of learners. Figures come back exact:
what a reviewer may see of them is decided by ``elearn.review.disclosure``, which needs the same
figures for every group a filter could choose (``groups``).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Float, String, and_, case, cast, extract, func, or_, select, true
from sqlalchemy.orm import aliased

from elearn.auth.models import COMMUNITY_ROLES, Cohort, User
from elearn.content.models import ContentRevision, RevisionStatus
from elearn.content.schema import LIKERT_SCALE
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback, ResponseStatus, SurveyAnswer, SurveyResponse
from elearn.learn.models import Certificate, ModuleProgress, PageProgress
from elearn.quiz.models import AttemptStatus, QuizAnswer, QuizAttempt
from elearn.review.models import CommentAction, ExportKind, ExportRecord
from elearn.roles import Role

NO_COHORT = 0  # the group of learners in no cohort
NOT_GIVEN = "not-given"  # the group of learners who gave no community role


@dataclass(frozen=True)
class Filters:
    """One group of learners; both None is everyone who consented."""

    cohort_id: int | None = None
    community_role: str | None = None

    @property
    def everyone(self) -> bool:
        return self.cohort_id is None and self.community_role is None


def learners(filters: Filters):
    """The consenting learners in the chosen group, as a subquery of ids."""
    query = select(User.id).where(User.role == Role.LEARNER, User.evaluation_consent.is_(True))
    if filters.cohort_id == NO_COHORT:
        query = query.where(User.cohort_id.is_(None))
    elif filters.cohort_id is not None:
        query = query.where(User.cohort_id == filters.cohort_id)
    if filters.community_role == NOT_GIVEN:
        query = query.where(
            or_(User.community_role.is_(None), User.community_role.not_in(list(COMMUNITY_ROLES)))
        )
    elif filters.community_role is not None:
        query = query.where(User.community_role == filters.community_role)
    return query


def cohorts() -> list[Cohort]:
    return list(db.session.scalars(select(Cohort).order_by(Cohort.name)))


def groups(filters: Filters) -> list[Filters]:
    """Every group of the kind the filter chose (every cohort, or every community role), which
    together hold every consenting learner once; none for the unfiltered figures."""
    if filters.cohort_id is not None:
        return [Filters(cohort_id=c.id) for c in cohorts()] + [Filters(cohort_id=NO_COHORT)]
    if filters.community_role is not None:
        return [Filters(community_role=r) for r in COMMUNITY_ROLES] + [
            Filters(community_role=NOT_GIVEN)
        ]
    return []


@dataclass(frozen=True)
class FunnelRow:
    module_id: str
    started: int
    completed: int


def funnel(filters: Filters) -> tuple[int, dict[str, FunnelRow]]:
    """Registered learners, and per module how many started (opened a page) and completed
    (three queries)."""
    ids = learners(filters)
    registered = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
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
    return registered, {
        module_id: FunnelRow(module_id, count, completed.get(module_id, 0))
        for module_id, count in started.items()
    }


def furthest_pages(
    filters: Filters, positions: dict[str, int]
) -> tuple[int, dict[str, dict[int, int]]]:
    """Registered learners, and per module how many got no further than each page (two queries).

    ``positions`` gives each page id its place in its module (1, 2, ...). A learner's furthest
    page is the last one they opened, by that order: someone whose furthest page is 3 reached
    pages 1 to 3 (they may have skipped one), so "reached page k" is everyone whose furthest page
    is k or later. Pages no longer in the course count as position 0.
    """
    ids = learners(filters)
    registered = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    if not positions:
        return registered, {}
    position = case(positions, value=PageProgress.page_id, else_=0)
    furthest = (
        select(PageProgress.module_id, func.max(position).label("furthest"))
        .where(PageProgress.user_id.in_(ids))
        .group_by(PageProgress.user_id, PageProgress.module_id)
        .subquery()
    )
    rows = db.session.execute(
        select(furthest.c.module_id, furthest.c.furthest, func.count()).group_by(
            furthest.c.module_id, furthest.c.furthest
        )
    )
    result: dict[str, dict[int, int]] = {}
    for module_id, page, count in rows:
        result.setdefault(module_id, {})[int(page)] = count
    return registered, result


def certificates(filters: Filters) -> int:
    """How many learners in the group have earned the course certificate (one query)."""
    return (
        db.session.scalar(
            select(func.count(Certificate.id)).where(Certificate.user_id.in_(learners(filters)))
        )
        or 0
    )


@dataclass(frozen=True)
class Revision:
    id: int
    number: int
    note: str
    published_at: datetime


def latest_published(count: int = 2) -> list[Revision]:
    """The most recently published content revisions, newest first (one query)."""
    rows = db.session.execute(
        select(
            ContentRevision.id,
            ContentRevision.number,
            ContentRevision.note,
            ContentRevision.published_at,
        )
        .where(
            ContentRevision.status == RevisionStatus.PUBLISHED,
            ContentRevision.published_at.is_not(None),
        )
        .order_by(ContentRevision.published_at.desc(), ContentRevision.id.desc())
        .limit(count)
    )
    return [Revision(*row) for row in rows]


def published_before() -> dict[int, int]:
    """Each published revision's id, with the id of the revision published just before it
    (the first has none) (one query)."""
    ids = db.session.scalars(
        select(ContentRevision.id)
        .where(
            ContentRevision.status == RevisionStatus.PUBLISHED,
            ContentRevision.published_at.is_not(None),
        )
        .order_by(ContentRevision.published_at, ContentRevision.id)
    ).all()
    return dict(zip(ids[1:], ids, strict=False))


# Over time: counts per day (grouped into weeks by the presenter), and before and after a
# content revision.


@dataclass(frozen=True)
class Daily:
    registered: dict[date, int]
    certified: dict[date, int]
    answers: dict[date, int]  # "was this page helpful?" answers, by the day last given
    helpful: dict[date, int]


def _between(column, start: date | None, end: date | None):
    """``column`` on or after ``start`` and on or before ``end`` (UTC days), when given."""
    conditions = []
    if start is not None:
        conditions.append(column >= datetime.combine(start, time(), tzinfo=UTC))
    if end is not None:
        conditions.append(column < datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC))
    return and_(true(), *conditions)


def _as_date(value) -> date:
    """A day from SQL ``date()``: a date on PostgreSQL, an ISO string on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def daily(filters: Filters, start: date | None = None, end: date | None = None) -> Daily:
    """Per day: registrations, certificates earned, and page-helpful answers (three queries)."""
    ids = learners(filters)
    registered = db.session.execute(
        select(func.date(User.created_at), func.count())
        .where(User.id.in_(ids), _between(User.created_at, start, end))
        .group_by(func.date(User.created_at))
    ).all()
    certified = db.session.execute(
        select(func.date(Certificate.issued_at), func.count())
        .where(Certificate.user_id.in_(ids), _between(Certificate.issued_at, start, end))
        .group_by(func.date(Certificate.issued_at))
    ).all()
    helpful = db.session.execute(
        select(
            func.date(PageFeedback.updated_at),
            func.count(),
            func.sum(case((PageFeedback.helpful.is_(True), 1), else_=0)),
        )
        .where(PageFeedback.user_id.in_(ids), _between(PageFeedback.updated_at, start, end))
        .group_by(func.date(PageFeedback.updated_at))
    ).all()
    return Daily(
        registered={_as_date(day): n for day, n in registered},
        certified={_as_date(day): n for day, n in certified},
        answers={_as_date(day): n for day, n, _ in helpful},
        helpful={_as_date(day): int(yes or 0) for day, _, yes in helpful},
    )


@dataclass(frozen=True)
class BeforeAfter:
    before: int  # answers before the revision
    before_yes: int  # of them helpful (pages) or right (questions)
    after: int
    after_yes: int


def helpful_around(
    filters: Filters, moment: datetime, page_ids: list[str]
) -> dict[str, BeforeAfter]:
    """Per page: "was this page helpful?" answers last given before and after ``moment``, and
    how many said yes (one query)."""
    if not page_ids:
        return {}
    after = PageFeedback.updated_at >= moment
    yes = PageFeedback.helpful.is_(True)
    rows = db.session.execute(
        select(
            PageFeedback.page_id,
            func.sum(case((after, 0), else_=1)),
            func.sum(case((and_(~after, yes), 1), else_=0)),
            func.sum(case((after, 1), else_=0)),
            func.sum(case((and_(after, yes), 1), else_=0)),
        )
        .where(PageFeedback.user_id.in_(learners(filters)), PageFeedback.page_id.in_(page_ids))
        .group_by(PageFeedback.page_id)
    )
    return {page_id: BeforeAfter(*(int(v or 0) for v in values)) for page_id, *values in rows}


def facility_around(
    filters: Filters, revision_id: int, question_ids: list[str]
) -> dict[str, BeforeAfter]:
    """Per question: first-attempt answers on earlier revisions and on ``revision_id``, and how
    many were right (one query)."""
    if not question_ids:
        return {}
    first = _first_attempts(filters)
    after = first.c.revision_id == revision_id
    right = QuizAnswer.correct.is_(True)
    rows = db.session.execute(
        select(
            QuizAnswer.question_id,
            func.sum(case((after, 0), else_=1)),
            func.sum(case((and_(~after, right), 1), else_=0)),
            func.sum(case((after, 1), else_=0)),
            func.sum(case((and_(after, right), 1), else_=0)),
        )
        .join(first, first.c.id == QuizAnswer.attempt_id)
        .where(QuizAnswer.question_id.in_(question_ids))
        .group_by(QuizAnswer.question_id)
    )
    return {q: BeforeAfter(*(int(v or 0) for v in values)) for q, *values in rows}


def _first_attempts(filters: Filters):
    """Each consenting learner's first submitted attempt at each quiz: the fairest item data."""
    return (
        select(
            QuizAttempt.id,
            QuizAttempt.module_id,
            QuizAttempt.score,
            QuizAttempt.max_score,
            QuizAttempt.revision_id,
        )
        .where(
            QuizAttempt.number == 1,
            QuizAttempt.status == AttemptStatus.SUBMITTED,
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
    right: int
    upper: int  # answers in the upper 27% of scorers, and in the lower
    lower: int
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
            right=right,
            upper=n_up,
            lower=n_low,
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


def median_minutes(filters: Filters) -> dict[str, tuple[float, int]]:
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
            ModuleProgress.user_id.in_(learners(filters)),
        )
        .subquery()
    )
    # Floor division: the one middle position of an odd count, the two of an even count.
    middle = ordered.c.position.in_([(ordered.c.total + 1) // 2, (ordered.c.total + 2) // 2])
    rows = db.session.execute(
        select(ordered.c.module_id, func.avg(ordered.c.seconds), func.max(ordered.c.total))
        .where(middle)
        .group_by(ordered.c.module_id)
    )
    result = {}
    for module_id, median_seconds, total in rows:
        result[module_id] = (round(float(median_seconds) / 60, 1), total)
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
    learners: int
    before: float  # mean on the 1-5 scale
    after: float


SCALE_POINTS = [point for point, _ in LIKERT_SCALE]


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
            # "Not sure" is an answer, but not a point on the scale: no mean for it
            base_answer.value.in_(SCALE_POINTS),
            end_answer.value.in_(SCALE_POINTS),
        )
        .group_by(base_answer.item_id)
    )
    result = {}
    for item_id, count, before, after in rows:
        result[item_id] = Paired(item_id, count, round(float(before), 2), round(float(after), 2))
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
    """One page of free-text answers, newest first, matching the search (two queries).

    List them only when ``text_respondents`` may be shown for the group (the view decides).
    """
    if not items:
        return TextPage(0, [])
    responses = _submitted(filters)
    matching = _text_answers(responses, items).where(_contains(SurveyAnswer.value, query))
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
    return TextPage(total, [TextAnswer(*row) for row in rows])


def _text_answers(responses, items: list[tuple[str, str]]):
    return (
        select(SurveyAnswer.id)
        .join(responses, responses.c.id == SurveyAnswer.response_id)
        .where(_items(responses.c.survey_id, SurveyAnswer.item_id, items))
    )


def text_respondents(filters: Filters, items: list[tuple[str, str]]) -> int:
    """How many learners in the group wrote an answer to these free-text items (one query)."""
    if not items:
        return 0
    responses = _submitted(filters)
    counted = _text_answers(responses, items).with_only_columns(
        func.count(func.distinct(responses.c.user_id))
    )
    return db.session.scalar(counted) or 0


def survey_respondents(filters: Filters) -> int:
    """How many learners in the group submitted any survey (one query)."""
    responses = _submitted(filters)
    return db.session.scalar(select(func.count(func.distinct(responses.c.user_id)))) or 0


def page_feedback_givers(filters: Filters) -> int:
    """How many learners in the group said whether any page helped (one query)."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(PageFeedback.user_id))).where(
                PageFeedback.user_id.in_(learners(filters))
            )
        )
        or 0
    )


@dataclass(frozen=True)
class PageHelpful:
    module_id: str
    page_id: str
    answers: int
    helpful: int


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
        result[page_id] = PageHelpful(module_id, page_id, count, helpful or 0)
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
    id: int = 0  # the page feedback row
    acted_revision: int | None = None  # the number of the revision that acted on it
    acted_note: str | None = None
    acted_revision_id: int | None = None


@dataclass(frozen=True)
class CommentPage:
    total: int
    comments: list[PageComment]


def page_comments(
    filters: Filters,
    module_id: str | None = None,
    query: str | None = None,
    page: int = 1,
    per_page: int = 50,
    page_id: str | None = None,
) -> CommentPage:
    """One page of page-feedback comments, newest first, with the revision that acted on each
    (two queries).

    List them only when ``commenters`` may be shown for the group (the view decides).
    """
    matching = _comments(filters, module_id, page_id).where(_contains(PageFeedback.comment, query))
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
            PageFeedback.id,
            ContentRevision.number,
            ContentRevision.note,
            ContentRevision.id,
        )  # fmt: skip
        .join(User, User.id == PageFeedback.user_id)
        .outerjoin(CommentAction, CommentAction.page_feedback_id == PageFeedback.id)
        .outerjoin(ContentRevision, ContentRevision.id == CommentAction.revision_id)
        .order_by(PageFeedback.updated_at.desc(), PageFeedback.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return CommentPage(total, [PageComment(*row) for row in rows])


def _comments(filters: Filters, module_id: str | None, page_id: str | None = None):
    return select(PageFeedback.id).where(
        PageFeedback.user_id.in_(learners(filters)),
        PageFeedback.comment.is_not(None),
        PageFeedback.module_id == module_id if module_id else true(),
        PageFeedback.page_id == page_id if page_id else true(),
    )


def commenters(filters: Filters, module_id: str | None = None, page_id: str | None = None) -> int:
    """How many learners in the group commented on a page (of one module, or one page)
    (one query)."""
    counted = _comments(filters, module_id, page_id).with_only_columns(
        func.count(func.distinct(PageFeedback.user_id))
    )
    return db.session.scalar(counted) or 0


def page_comment(feedback_id: int) -> PageComment | None:
    """One page comment of a consenting learner, with the revision that acted on it."""
    row = db.session.execute(
        select(
            PageFeedback.user_id,
            PageFeedback.module_id,
            PageFeedback.page_id,
            PageFeedback.helpful,
            PageFeedback.comment,
            PageFeedback.updated_at,
            User.community_role,
            PageFeedback.id,
            ContentRevision.number,
            ContentRevision.note,
            ContentRevision.id,
        )
        .join(User, User.id == PageFeedback.user_id)
        .outerjoin(CommentAction, CommentAction.page_feedback_id == PageFeedback.id)
        .outerjoin(ContentRevision, ContentRevision.id == CommentAction.revision_id)
        .where(
            PageFeedback.id == feedback_id,
            PageFeedback.comment.is_not(None),
            PageFeedback.user_id.in_(learners(Filters())),
        )
    ).first()
    return PageComment(*row) if row else None


class NotFound(LookupError):
    """No such comment or published revision."""


def mark_acted_on(
    feedback_id: int, revision_id: int | None, user_id: int, now: datetime | None = None
) -> None:
    """Note that a published revision acted on a page comment, or clear the note (None)."""
    feedback = db.session.get(PageFeedback, feedback_id)
    if feedback is None or feedback.comment is None:
        raise NotFound(f"no page comment {feedback_id}")
    action = db.session.scalar(
        select(CommentAction).where(CommentAction.page_feedback_id == feedback_id)
    )
    if revision_id is None:
        if action is not None:
            db.session.delete(action)
            db.session.flush()
        return
    published = db.session.scalar(
        select(ContentRevision.id).where(
            ContentRevision.id == revision_id,
            ContentRevision.status == RevisionStatus.PUBLISHED,
        )
    )
    if published is None:
        raise NotFound(f"no published revision {revision_id}")
    if action is None:
        action = CommentAction(page_feedback_id=feedback_id, revision_id=revision_id)
        db.session.add(action)
    action.revision_id = revision_id
    action.user_id = user_id
    action.created_at = now or utcnow()
    db.session.flush()


# Exports: one row per answer or per page feedback, streamed in chunks. No cohort, community
# role or exact date: those could single a learner out of a small group.


def survey_answer_rows(filters: Filters) -> Iterator[tuple]:
    """(user id, survey id, item id, value, submitted at)."""
    responses = _submitted(filters)
    statement = (
        select(responses.c.user_id, responses.c.survey_id, SurveyAnswer.item_id,
               SurveyAnswer.value, responses.c.submitted_at)
        .join(responses, responses.c.id == SurveyAnswer.response_id)
        .order_by(responses.c.user_id, responses.c.survey_id, SurveyAnswer.id)
    )  # fmt: skip
    yield from db.session.execute(statement.execution_options(yield_per=1000)).tuples()


def page_feedback_rows(filters: Filters) -> Iterator[tuple]:
    """(user id, module id, page id, helpful, comment, updated at)."""
    statement = (
        select(PageFeedback.user_id, PageFeedback.module_id, PageFeedback.page_id,
               PageFeedback.helpful, PageFeedback.comment, PageFeedback.updated_at)
        .where(PageFeedback.user_id.in_(learners(filters)))
        .order_by(PageFeedback.user_id, PageFeedback.id)
    )  # fmt: skip
    yield from db.session.execute(statement.execution_options(yield_per=1000)).tuples()


def record_export(
    user_id: int, kind: ExportKind, filters: Filters, refused: bool, now: datetime | None = None
) -> ExportRecord:
    """Note who downloaded which export, when, for which group (and whether it was refused)."""
    record = ExportRecord(
        user_id=user_id,
        kind=kind,
        cohort_id=filters.cohort_id,
        community_role=filters.community_role,
        refused=refused,
        created_at=now or utcnow(),
    )
    db.session.add(record)
    db.session.flush()
    return record


@dataclass(frozen=True)
class ExportEntry:
    record: ExportRecord
    email: str | None  # who asked (None once their account is gone)
    cohort: str | None


def export_records(limit: int = 100) -> list[ExportEntry]:
    """The latest exports, newest first, with who asked and the cohort's name (one query)."""
    rows = db.session.execute(
        select(ExportRecord, User.email, Cohort.name)
        .outerjoin(User, User.id == ExportRecord.user_id)
        .outerjoin(Cohort, Cohort.id == ExportRecord.cohort_id)
        .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc())
        .limit(limit)
    )
    return [ExportEntry(*row) for row in rows]


@dataclass(frozen=True)
class KnowledgeGain:
    """The knowledge check, paired: learners who answered it at the start and at the end, and
    their mean number of right answers each time (out of ``items``)."""

    learners: int
    before: float
    after: float
    items: int


def knowledge_gain(
    filters: Filters, baseline_id: str, end_id: str, right: dict[str, str]
) -> KnowledgeGain:
    """Mean right answers to the knowledge-check items (``right``: item id to the right option's
    id, as the content keys it) before and after, for paired learners only (one query): a
    learner counts when they sent both surveys with knowledge-check answers in each."""
    if not right:
        return KnowledgeGain(0, 0.0, 0.0, 0)
    rows = db.session.execute(
        select(SurveyResponse.user_id, SurveyResponse.survey_id, SurveyAnswer.item_id,
               SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(
            SurveyResponse.survey_id.in_([baseline_id, end_id]),
            SurveyResponse.status == ResponseStatus.SUBMITTED,
            SurveyResponse.user_id.in_(learners(filters)),
            SurveyAnswer.item_id.in_(list(right)),
        )
    )  # fmt: skip
    scores: dict[tuple[int, str], int] = {}
    for user_id, survey_id, item_id, value in rows:
        key = (user_id, survey_id)
        scores[key] = scores.get(key, 0) + (value == right[item_id])
    paired = [u for u, s in scores if s == baseline_id and (u, end_id) in scores]
    if not paired:
        return KnowledgeGain(0, 0.0, 0.0, len(right))
    before = sum(scores[(u, baseline_id)] for u in paired) / len(paired)
    after = sum(scores[(u, end_id)] for u in paired) / len(paired)
    return KnowledgeGain(len(paired), round(before, 2), round(after, 2), len(right))
