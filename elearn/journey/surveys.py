"""Which feedback surveys are open to a learner, and which one to offer next.

A survey opens at its trigger: at registration, once its module is completed (or its quiz
passed), or once the whole course is completed. A survey answered or skipped is not offered
again, but stays on the learner's survey list. The surveys offered when a learner comes back
("what got in the way?", the follow-up) close for that learner ``open_for_days`` after they
opened, when their file sets it: after that they are not offered and their page says so.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select

from elearn.content.lookup import ordered_surveys
from elearn.content.schema import RETURN_TRIGGERS, Course, SurveyFile, SurveyTrigger
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import ResponseStatus, SurveyResponse
from elearn.journey.state import CourseState, ModuleStatus
from elearn.learn.models import Certificate, PageProgress
from elearn.quiz.models import AttemptStatus, QuizAttempt

STUCK_AFTER = timedelta(days=14)  # no progress for this long: "what got in the way?"
FAILS_BEFORE_ASKING = 2  # failed attempts at one module's quiz, not passed since
FOLLOW_UP_AFTER = timedelta(weeks=6)  # after completing the course


@dataclass(frozen=True)
class Signals:
    """What opens the surveys offered when a learner comes back: when they last made progress,
    when they last failed a module's quiz that has beaten them twice (None when none has),
    when they completed the course, and now."""

    last_active: datetime | None
    failed_twice_at: datetime | None
    completed_at: datetime | None
    now: datetime


def signals(user_id: int, now: datetime | None = None) -> Signals:
    """The learner's signals, in one query."""
    passed = select(QuizAttempt.module_id).where(
        QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True)
    )
    failed_twice = (
        select(func.max(QuizAttempt.submitted_at).label("failed_at"))
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.status == AttemptStatus.SUBMITTED,
            QuizAttempt.passed.is_(False),
            QuizAttempt.module_id.not_in(passed),
        )
        .group_by(QuizAttempt.module_id)
        .having(func.count() >= FAILS_BEFORE_ASKING)
    )
    last_failed = select(func.max(failed_twice.subquery().c.failed_at)).scalar_subquery()
    last_active, failed_at, completed_at = db.session.execute(
        select(
            select(func.max(PageProgress.last_viewed_at))
            .where(PageProgress.user_id == user_id)
            .scalar_subquery(),
            last_failed,
            select(Certificate.issued_at).where(Certificate.user_id == user_id).scalar_subquery(),
        )
    ).one()
    return Signals(last_active, failed_at, completed_at, now or utcnow())


def _aware(when: datetime) -> datetime:
    """SQLite hands datetimes back without their UTC zone; they were stored in UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class SurveyStatusKind(StrEnum):
    """A survey's status for one learner, on the survey list."""

    TO_DO = "to-do"
    STARTED = "started"
    ANSWERED = "answered"
    SKIPPED = "skipped"
    NOT_YET = "not-yet"
    CLOSED = "closed"


@dataclass(frozen=True)
class SurveyStatus:
    survey: SurveyFile
    status: SurveyStatusKind
    unlocks: str | None = None  # when a survey that is not available yet opens
    closed_on: datetime | None = None  # when a survey offered on return closed

    @property
    def available(self) -> bool:
        return self.status not in (SurveyStatusKind.NOT_YET, SurveyStatusKind.CLOSED)


def module_number(course: Course, module_id: str | None) -> int | None:
    ids = [m.id for m in course.modules]
    return ids.index(module_id) + 1 if module_id in ids else None


def opened_at(survey: SurveyFile, state: CourseState, seen: Signals) -> datetime | None:
    """When a survey offered on return opened for this learner (the latest reason, when there
    are two), or None while it has not opened."""
    if survey.trigger == SurveyTrigger.STUCK:
        if state.completed:
            return None
        reasons = [_aware(seen.failed_twice_at)] if seen.failed_twice_at else []
        if seen.last_active and seen.now - _aware(seen.last_active) >= STUCK_AFTER:
            reasons.append(_aware(seen.last_active) + STUCK_AFTER)
        return max(reasons, default=None)
    if survey.trigger == SurveyTrigger.FOLLOW_UP and seen.completed_at is not None:
        if seen.now - _aware(seen.completed_at) >= FOLLOW_UP_AFTER:
            return _aware(seen.completed_at) + FOLLOW_UP_AFTER
    return None


def closed_on(survey: SurveyFile, state: CourseState, seen: Signals | None) -> datetime | None:
    """When a survey offered on return closed for this learner: ``open_for_days`` after it
    opened. None while it is open, not yet open, or has no time limit."""
    if survey.open_for_days is None or seen is None:
        return None
    opened = opened_at(survey, state, seen)
    if opened is None:
        return None
    closes = opened + timedelta(days=survey.open_for_days)
    return closes if seen.now >= closes else None


def unlocks(survey: SurveyFile, state: CourseState, seen: Signals | None = None) -> str | None:
    """None when the learner can answer the survey now (or could, before it closed: see
    ``closed_on``), else when they can. The surveys offered on a learner's return need their
    ``seen`` signals; without them they stay closed."""
    if survey.trigger == SurveyTrigger.STUCK:
        if seen is not None and opened_at(survey, state, seen) is not None:
            return None
        return (
            "We offer this if the course becomes hard going: after two tries at a quiz, or "
            "two weeks without progress."
        )
    if survey.trigger == SurveyTrigger.FOLLOW_UP:
        if seen is not None and opened_at(survey, state, seen) is not None:
            return None
        return "You can answer this 6 weeks after you finish the course."
    if survey.trigger == SurveyTrigger.AFTER_MODULE:
        module_state = next((s for s in state.modules if s.module.id == survey.module), None)
        if module_state is None:
            return "This survey is not part of the course at the moment."
        if module_state.quiz_passed or module_state.status == ModuleStatus.COMPLETED:
            return None
        number = module_number(state.course, survey.module)
        return f"You can answer this after you finish module {number}."
    if survey.trigger == SurveyTrigger.AFTER_COURSE and not state.completed:
        return "You can answer this when you have finished all the modules."
    return None


def statuses(user_id: int, state: CourseState) -> list[SurveyStatus]:
    """Every survey with its status for this learner (a few queries besides the course state)."""
    seen = signals(user_id)
    rows = dict(
        db.session.execute(
            select(SurveyResponse.survey_id, SurveyResponse.status).where(
                SurveyResponse.user_id == user_id
            )
        )
        .tuples()
        .all()
    )
    found = []
    for survey in ordered_surveys(state.course):
        row = rows.get(survey.id)
        if row == ResponseStatus.SUBMITTED:
            found.append(SurveyStatus(survey, SurveyStatusKind.ANSWERED))
            continue
        when = unlocks(survey, state, seen)
        closed = closed_on(survey, state, seen)
        if when:
            found.append(SurveyStatus(survey, SurveyStatusKind.NOT_YET, when))
        elif closed is not None:
            found.append(SurveyStatus(survey, SurveyStatusKind.CLOSED, closed_on=closed))
        elif row == ResponseStatus.SKIPPED:
            found.append(SurveyStatus(survey, SurveyStatusKind.SKIPPED))
        elif row == ResponseStatus.DRAFT:
            found.append(SurveyStatus(survey, SurveyStatusKind.STARTED))
        else:
            found.append(SurveyStatus(survey, SurveyStatusKind.TO_DO))
    return found


def first_open(user_id: int, candidates: list[SurveyFile]) -> SurveyFile | None:
    """The first of these surveys the learner has neither answered nor skipped (one query)."""
    if not candidates:
        return None
    closed = set(
        db.session.scalars(
            select(SurveyResponse.survey_id).where(
                SurveyResponse.user_id == user_id,
                SurveyResponse.survey_id.in_([s.id for s in candidates]),
                SurveyResponse.status.in_([ResponseStatus.SUBMITTED, ResponseStatus.SKIPPED]),
            )
        )
    )
    return next((s for s in candidates if s.id not in closed), None)


def after_registration(course: Course, user_id: int) -> SurveyFile | None:
    """The start-of-course survey, offered once after registration (it can be skipped)."""
    starts = [s for s in ordered_surveys(course) if s.trigger == SurveyTrigger.AFTER_REGISTRATION]
    return first_open(user_id, starts)


def after_module(state: CourseState, user_id: int, module_id: str) -> SurveyFile | None:
    """After a module is completed (or its quiz passed): its own survey, then, when that was the
    last module, the end-of-course survey (only surveys open to the learner now)."""
    candidates = [
        s
        for s in ordered_surveys(state.course)
        if s.module == module_id or (s.trigger == SurveyTrigger.AFTER_COURSE)
    ]
    return first_open(user_id, [s for s in candidates if unlocks(s, state) is None])


def after_survey(state: CourseState, user_id: int) -> SurveyFile | None:
    """After a survey is sent: the end-of-course survey, once the course is completed."""
    if not state.completed:
        return None
    ends = [s for s in ordered_surveys(state.course) if s.trigger == SurveyTrigger.AFTER_COURSE]
    return first_open(user_id, ends)


def on_return(state: CourseState, user_id: int, now: datetime | None = None) -> SurveyFile | None:
    """The survey to offer a learner on their course home page when they come back: "what got
    in the way?" once the course became hard going, or the follow-up weeks after completing it
    (neither once answered, skipped or closed)."""
    candidates = [s for s in ordered_surveys(state.course) if s.trigger in RETURN_TRIGGERS]
    if not candidates:
        return None
    seen = signals(user_id, now)
    open_now = [
        s
        for s in candidates
        if unlocks(s, state, seen) is None and closed_on(s, state, seen) is None
    ]
    return first_open(user_id, open_now) if open_now else None
