"""Pilot statistics for the Data Literacy Advisory Group.

Only learners who agreed to the pilot evaluation are counted. Every figure is aggregated in SQL,
so the number of queries does not grow with the number of learners. A count from 1 to 4 is
suppressed (returned as None) so no small group can be picked out.
"""

from dataclasses import dataclass

from sqlalchemy import Float, String, and_, case, cast, extract, func, select

from elearn.auth.models import Cohort, User
from elearn.extensions import db
from elearn.learn.models import ModuleProgress, PageProgress
from elearn.quiz.models import QuizAnswer, QuizAttempt

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
    query = select(User.id).where(User.role == "learner", User.evaluation_consent.is_(True))
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
        ).all()
    )
    completed = dict(
        db.session.execute(
            select(ModuleProgress.module_id, func.count(ModuleProgress.completed_at))
            .where(ModuleProgress.user_id.in_(ids))
            .group_by(ModuleProgress.module_id)
        ).all()
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
    import json

    return list(json.loads(text))


def _seconds_between(start, end):
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return extract("epoch", end - start)


def median_minutes(filters: Filters) -> dict[str, tuple[float | None, int]]:
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
