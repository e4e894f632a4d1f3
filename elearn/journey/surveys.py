"""Which feedback surveys are open to a learner, and which one to offer next.

A survey opens at its trigger: at registration, once its module is completed (or its quiz
passed), or once the whole course is completed. A survey answered or skipped is not offered
again, but stays on the learner's survey list.
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from elearn.content.lookup import ordered_surveys
from elearn.content.schema import Course, SurveyFile, SurveyTrigger
from elearn.extensions import db
from elearn.feedback.models import ResponseStatus, SurveyResponse
from elearn.journey.state import CourseState, ModuleStatus


class SurveyStatusKind(StrEnum):
    """A survey's status for one learner, on the survey list."""

    TO_DO = "to-do"
    STARTED = "started"
    ANSWERED = "answered"
    SKIPPED = "skipped"
    NOT_YET = "not-yet"


@dataclass(frozen=True)
class SurveyStatus:
    survey: SurveyFile
    status: SurveyStatusKind
    unlocks: str | None = None  # when a survey that is not available yet opens

    @property
    def available(self) -> bool:
        return self.status != SurveyStatusKind.NOT_YET


def module_number(course: Course, module_id: str | None) -> int | None:
    ids = [m.id for m in course.modules]
    return ids.index(module_id) + 1 if module_id in ids else None


def unlocks(survey: SurveyFile, state: CourseState) -> str | None:
    """None when the learner can answer the survey now, else when they can."""
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
    """Every survey with its status for this learner (one query besides the course state)."""
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
        when = unlocks(survey, state)
        if when:
            found.append(SurveyStatus(survey, SurveyStatusKind.NOT_YET, when))
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
