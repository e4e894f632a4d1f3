"""Pilot feedback: answering and skipping surveys, and "was this page helpful?".

Each action is one function and one transaction, so the xAPI statements that describe it can be
written in the same commit. Answers are kept as a draft response until the learner confirms them
on the check-your-answers page; submitting flips the draft to submitted with a conditional
UPDATE, so a double click, a replayed POST or two tabs record one response. Free text over its
limit is refused with a message, never cut.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from elearn.auth.models import User
from elearn.content.schema import Course, Module, Page, SurveyFile, SurveyItem
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback import items
from elearn.feedback.models import (
    DRAFT,
    SKIPPED,
    SUBMITTED,
    PageFeedback,
    SurveyAnswer,
    SurveyResponse,
)
from elearn.learn import records
from elearn.learn.service import COMPLETED, CourseState, find_page
from elearn.xapi import statements as xs

# A survey's status for one learner, on the survey list.
TO_DO, STARTED, ANSWERED, SKIPPED_STATUS, NOT_YET = (
    "to-do",
    "started",
    "answered",
    "skipped",
    "not-yet",
)
TRIGGER_ORDER = {"after-registration": 0, "after-module": 1, "after-course": 2}


class SurveyNotFound(LookupError):
    """No such survey in the live content."""


class FeedbackError(Exception):
    """A rule stops the action; the message says why in plain English."""


class AlreadySubmitted(FeedbackError):
    pass


class AnswerProblems(FeedbackError):
    """Answers refused, with a message per item id (shown on the item's field)."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(next(iter(problems.values())))
        self.problems = problems


class MissingAnswer(FeedbackError):
    """A required item has no answer at submission (the content may have changed)."""

    def __init__(self, item: SurveyItem):
        super().__init__(items.required_message(item))
        self.item = item


@dataclass(frozen=True)
class SurveyStatus:
    survey: SurveyFile
    status: str
    unlocks: str | None = None  # when a survey that is not available yet opens

    @property
    def available(self) -> bool:
        return self.status != NOT_YET


# Surveys


def ordered(course: Course) -> list[SurveyFile]:
    """Surveys in the order a learner meets them: start, each module in order, end."""
    modules = {m.id: n for n, m in enumerate(course.modules)}
    return sorted(
        course.surveys,
        key=lambda s: (TRIGGER_ORDER[s.trigger], modules.get(s.module or "", 0), s.id),
    )


def find_survey(course: Course, survey_id: str) -> SurveyFile:
    survey = next((s for s in course.surveys if s.id == survey_id), None)
    if survey is None:
        raise SurveyNotFound(survey_id)
    return survey


def module_number(course: Course, module_id: str | None) -> int | None:
    ids = [m.id for m in course.modules]
    return ids.index(module_id) + 1 if module_id in ids else None


def unlocks(course: Course, survey: SurveyFile, state: CourseState) -> str | None:
    """None when the learner can answer the survey now, else when they can."""
    if survey.trigger == "after-module":
        module_state = next((s for s in state.modules if s.module.id == survey.module), None)
        if module_state is None:
            return "This survey is not part of the course at the moment."
        if module_state.quiz_passed or module_state.status == COMPLETED:
            return None
        return (
            f"You can answer this after you finish module {module_number(course, survey.module)}."
        )
    if survey.trigger == "after-course" and not state.completed:
        return "You can answer this when you have finished all the modules."
    return None


def response_for(user_id: int, survey_id: str) -> SurveyResponse | None:
    return db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.user_id == user_id, SurveyResponse.survey_id == survey_id
        )
    )


def survey_statuses(course: Course, user_id: int, state: CourseState) -> list[SurveyStatus]:
    """Every survey with its status for this learner (one query besides the course state)."""
    rows = dict(
        db.session.execute(
            select(SurveyResponse.survey_id, SurveyResponse.status).where(
                SurveyResponse.user_id == user_id
            )
        ).all()
    )
    statuses = []
    for survey in ordered(course):
        row = rows.get(survey.id)
        if row == SUBMITTED:
            statuses.append(SurveyStatus(survey, ANSWERED))
            continue
        when = unlocks(course, survey, state)
        if when:
            statuses.append(SurveyStatus(survey, NOT_YET, when))
        elif row == SKIPPED:
            statuses.append(SurveyStatus(survey, SKIPPED_STATUS))
        elif row == DRAFT:
            statuses.append(SurveyStatus(survey, STARTED))
        else:
            statuses.append(SurveyStatus(survey, TO_DO))
    return statuses


def next_survey_for(user_id: int, course: Course, event: str) -> SurveyFile | None:
    """The survey to offer after an event, or None if there is none or it was answered or
    skipped (at most one query).

    event: "registered", "module-completed:<module id>" or "course-completed".
    """
    if event == "registered":
        candidates = [s for s in ordered(course) if s.trigger == "after-registration"]
    elif event == "course-completed":
        candidates = [s for s in ordered(course) if s.trigger == "after-course"]
    elif event.startswith("module-completed:"):
        module_id = event.removeprefix("module-completed:")
        candidates = [
            s for s in ordered(course) if s.trigger == "after-module" and s.module == module_id
        ]
    else:
        raise ValueError(f"unknown event {event!r}")
    if not candidates:
        return None
    closed = set(
        db.session.scalars(
            select(SurveyResponse.survey_id).where(
                SurveyResponse.user_id == user_id,
                SurveyResponse.survey_id.in_([s.id for s in candidates]),
                SurveyResponse.status.in_([SUBMITTED, SKIPPED]),
            )
        )
    )
    return next((s for s in candidates if s.id not in closed), None)


def draft_answers(response: SurveyResponse | None) -> dict[str, str]:
    """Stored answers by item id (empty when there is no response)."""
    return {a.item_id: a.value for a in response.answers} if response else {}


def save_answers(
    course: Course, user_id: int, survey_id: str, answers: dict, now: datetime | None = None
) -> SurveyResponse:
    """Keep the learner's answers as a draft until they confirm them.

    ``answers`` maps item ids to a string (a scale point, an option id, free text) or a list
    of option ids. Raises AnswerProblems (free text over its limit), ValueError (an option
    that is not in the item: a tampered form) or AlreadySubmitted. Nothing is written then.
    """
    survey = find_survey(course, survey_id)
    values: dict[str, str] = {}
    problems: dict[str, str] = {}
    for item in survey.items:
        value = items.stored_value(item, answers.get(item.id))
        if value is None:
            continue
        if item.type == "free-text" and len(value) > items.limit(item):
            problems[item.id] = items.too_long_message(item, len(value))
        values[item.id] = value
    if problems:
        raise AnswerProblems(problems)
    now = now or utcnow()

    def write() -> SurveyResponse:
        response = response_for(user_id, survey_id)
        if response is not None and response.status == SUBMITTED:
            raise AlreadySubmitted("You have already sent your answers to this survey.")
        if response is None:
            response = SurveyResponse(
                user_id=user_id, survey_id=survey_id, started_at=now, updated_at=now
            )
            db.session.add(response)
        response.status = DRAFT
        response.updated_at = now
        existing = {a.item_id: a for a in response.answers}
        for item_id, answer in existing.items():
            if item_id not in values:
                response.answers.remove(answer)
        for item_id, value in values.items():
            if item_id in existing:
                existing[item_id].value = value
            else:
                response.answers.append(SurveyAnswer(item_id=item_id, value=value))
        db.session.commit()
        return response

    return _once_more_on_conflict(write)


def submit(
    course: Course, revision_id: int, user_id: int, survey_id: str, now: datetime | None = None
) -> bool:
    """Submit the learner's draft exactly once. False when it was already submitted.

    Raises FeedbackError when there is nothing to submit, or MissingAnswer when a required
    item has no answer (for example one added to the survey since the draft was saved).
    """
    survey = find_survey(course, survey_id)
    response = response_for(user_id, survey_id)
    if response is not None and response.status == SUBMITTED:
        return False
    if response is None or response.status != DRAFT:
        raise FeedbackError("Answer the questions before you send your answers.")
    answered = {a.item_id for a in response.answers}
    missing = next((i for i in survey.items if i.required and i.id not in answered), None)
    if missing is not None:
        raise MissingAnswer(missing)
    now = now or utcnow()
    flipped = db.session.execute(
        update(SurveyResponse)
        .where(SurveyResponse.id == response.id, SurveyResponse.status == DRAFT)
        .values(status=SUBMITTED, submitted_at=now, updated_at=now, revision_id=revision_id)
    ).rowcount
    if flipped != 1:
        db.session.rollback()
        return False
    current = {i.id for i in survey.items}
    for answer in list(response.answers):
        if answer.item_id not in current:  # an item removed from the survey since the draft
            response.answers.remove(answer)
    records.record(_survey_statements(course, survey, user_id, response, now))
    db.session.commit()
    return True


def _survey_statements(
    course: Course, survey: SurveyFile, user_id: int, response, now
) -> list[dict]:
    """Answered for each answered item, then completed for the survey."""
    user = db.session.get(User, user_id)
    base, actor, course_ref = records.base_url(), records.learner(user), records.course_ref(course)
    survey_ref = xs.ContentRef(survey.id, survey.title, survey.description)
    by_id = {i.id: i for i in survey.items}
    statements = []
    for answer in response.answers:
        item = by_id[answer.item_id]
        value = answer.value.split(items.SEPARATOR) if item.type == "multiple" else answer.value
        ref = xs.SurveyItem(
            id=item.id,
            text=item.text,
            kind=item.type,
            options=tuple(xs.Option(i, t) for i, t in items.scale(item)),
        )
        statements.append(
            xs.answered_survey_item(base, actor, course_ref, survey_ref, ref, value, now)
        )
    statements.append(xs.completed_survey(base, actor, course_ref, survey_ref, now))
    return statements


def skip(course: Course, user_id: int, survey_id: str, now: datetime | None = None) -> bool:
    """Skip a survey: no answers are kept and it is not offered again (it stays on the list).

    False when it was already submitted (nothing changes then).
    """
    find_survey(course, survey_id)
    now = now or utcnow()

    def write() -> bool:
        response = response_for(user_id, survey_id)
        if response is not None and response.status == SUBMITTED:
            return False
        if response is None:
            response = SurveyResponse(
                user_id=user_id, survey_id=survey_id, started_at=now, updated_at=now
            )
            db.session.add(response)
        response.status = SKIPPED
        response.updated_at = now
        response.answers.clear()
        db.session.commit()
        return True

    return _once_more_on_conflict(write)


def _once_more_on_conflict(write):
    """Run a get-or-create write; if another request created the row first, run it again."""
    try:
        return write()
    except IntegrityError:
        db.session.rollback()
        return write()


# Page feedback


def page_feedback_for(user_id: int, page_id: str) -> PageFeedback | None:
    """The learner's feedback on a page, if any (one query)."""
    return db.session.scalar(
        select(PageFeedback).where(PageFeedback.user_id == user_id, PageFeedback.page_id == page_id)
    )


def give_page_feedback(
    course: Course,
    user_id: int,
    module_id: str,
    page_id: str,
    helpful: bool,
    comment: str | None,
    now: datetime | None = None,
) -> tuple[Module, Page, PageFeedback]:
    """Record or change "was this page helpful?" and its optional comment.

    Raises NotFound for an unknown module or page, AnswerProblems for a comment over the limit.
    """
    module, page = find_page(course, module_id, page_id)
    text = items.normalise_text(comment) or None
    if text is not None and len(text) > items.PAGE_COMMENT_LIMIT:
        raise AnswerProblems({"comment": items.comment_too_long_message(len(text))})
    now = now or utcnow()

    def write() -> PageFeedback:
        row = page_feedback_for(user_id, page.id)
        if row is None:
            row = PageFeedback(
                user_id=user_id, module_id=module.id, page_id=page.id, created_at=now
            )
            db.session.add(row)
        row.module_id = module.id
        row.helpful = helpful
        row.comment = text
        row.updated_at = now
        user = db.session.get(User, user_id)
        statement = xs.answered_page_helpful(
            records.base_url(),
            records.learner(user),
            records.course_ref(course),
            records.module_ref(module),
            records.page_ref(page),
            helpful,
            now,
        )
        records.record([statement])
        db.session.commit()
        return row

    return module, page, _once_more_on_conflict(write)
