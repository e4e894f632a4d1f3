"""Pilot feedback: answering and skipping surveys, and "was this page helpful?".

A get-or-create write that meets a row another request made first fails its flush with a
unique-constraint conflict; the request edge then runs the action once more and finds the row
(``elearn.unit_of_work``). No savepoints, so SQLite keeps one plain transaction per action.

Each action is one function that changes rows, records its event and flushes; the edge commits once,
so the learning records that describe it are stored with it. Answers are kept as a draft response
until the learner confirms them on the check-your-answers page; submitting flips the draft to
submitted with a conditional UPDATE, so a double click, a replayed POST or two tabs record one
response. Free text over its limit is refused with a message, never cut.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from elearn import events
from elearn.content import lookup
from elearn.content.schema import Course, Module, Page, SurveyFile, SurveyItem
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback import items
from elearn.feedback.models import PageFeedback, ResponseStatus, SurveyAnswer, SurveyResponse


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


# Surveys


def response_for(user_id: int, survey_id: str) -> SurveyResponse | None:
    return db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.user_id == user_id, SurveyResponse.survey_id == survey_id
        )
    )


def find_survey(course: Course, survey_id: str) -> SurveyFile:
    try:
        return lookup.find_survey(course, survey_id)
    except lookup.NotInCourse as error:
        raise SurveyNotFound(survey_id) from error


def draft_answers(response: SurveyResponse | None) -> dict[str, str]:
    """Stored answers by item id (empty when there is no response)."""
    return {a.item_id: a.value for a in response.answers} if response else {}


def save_answers(
    course: Course,
    user_id: int,
    survey_id: str,
    answers: dict,
    now: datetime | None = None,
    on_page: set[str] | None = None,
) -> SurveyResponse:
    """Keep the learner's answers as a draft until they confirm them.

    ``answers`` maps item ids to a string (a scale point, an option id, free text) or a list
    of option ids. ``on_page`` names the items of the page answered (all items unless given):
    answers to other pages are kept. Raises AnswerProblems (free text over its limit),
    ValueError (an option that is not in the item: a tampered form) or AlreadySubmitted.
    Nothing is written then.
    """
    survey = find_survey(course, survey_id)
    values: dict[str, str] = {}
    problems: dict[str, str] = {}
    asked = [i for i in survey.items if on_page is None or i.id in on_page]
    current = {i.id for i in survey.items}  # an answer to an item no longer asked is dropped
    for item in asked:
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
        if response is not None and response.status == ResponseStatus.SUBMITTED:
            raise AlreadySubmitted("You have already sent your answers to this survey.")
        if response is None:
            response = SurveyResponse(
                user_id=user_id, survey_id=survey_id, started_at=now, updated_at=now
            )
            db.session.add(response)
        response.status = ResponseStatus.DRAFT
        response.updated_at = now
        existing = {a.item_id: a for a in response.answers}
        for item_id, answer in existing.items():
            if item_id in values:
                continue
            if on_page is None or item_id in on_page or item_id not in current:
                response.answers.remove(answer)
        for item_id, value in values.items():
            if item_id in existing:
                existing[item_id].value = value
            else:
                response.answers.append(SurveyAnswer(item_id=item_id, value=value))
        db.session.flush()
        return response

    return write()


def submit(
    course: Course,
    revision_id: int,
    learner: events.Learner,
    survey_id: str,
    now: datetime | None = None,
) -> bool:
    """Submit the learner's draft exactly once. False when it was already submitted.

    Raises FeedbackError when there is nothing to submit, or MissingAnswer when a required
    item has no answer (for example one added to the survey since the draft was saved).
    """
    survey = find_survey(course, survey_id)
    response = response_for(learner.user_id, survey_id)
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        return False
    if response is None or response.status != ResponseStatus.DRAFT:
        raise FeedbackError("Answer the questions before you send your answers.")
    answered = {a.item_id for a in response.answers}
    missing = next((i for i in survey.items if i.required and i.id not in answered), None)
    if missing is not None:
        raise MissingAnswer(missing)
    now = now or utcnow()
    flipped = cast(
        CursorResult[Any],
        db.session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.id == response.id, SurveyResponse.status == ResponseStatus.DRAFT)
            .values(
                status=ResponseStatus.SUBMITTED,
                submitted_at=now,
                updated_at=now,
                revision_id=revision_id,
            )
        ),
    ).rowcount
    if flipped != 1:
        return False  # another request submitted it first: nothing was written here
    by_id = {i.id: i for i in survey.items}
    answers = []
    for answer in list(response.answers):
        item = by_id.get(answer.item_id)
        if item is None:  # an item removed from the survey since the draft
            response.answers.remove(answer)
            continue
        value = answer.value
        answers.append(
            events.SurveyAnswer(
                item, tuple(value.split(items.SEPARATOR)) if item.type == "multiple" else value
            )
        )
    events.record(events.SurveySubmitted(learner, course, now, survey, tuple(answers)))
    db.session.flush()
    return True


def skip(course: Course, user_id: int, survey_id: str, now: datetime | None = None) -> bool:
    """Skip a survey: no answers are kept and it is not offered again (it stays on the list).

    False when it was already submitted (nothing changes then).
    """
    find_survey(course, survey_id)
    now = now or utcnow()

    def write() -> bool:
        response = response_for(user_id, survey_id)
        if response is not None and response.status == ResponseStatus.SUBMITTED:
            return False
        if response is None:
            response = SurveyResponse(
                user_id=user_id, survey_id=survey_id, started_at=now, updated_at=now
            )
            db.session.add(response)
        response.status = ResponseStatus.SKIPPED
        response.updated_at = now
        response.answers.clear()
        db.session.flush()
        return True

    return write()


# Page feedback


def page_feedback_for(user_id: int, page_id: str) -> PageFeedback | None:
    """The learner's feedback on a page, if any (one query)."""
    return db.session.scalar(
        select(PageFeedback).where(PageFeedback.user_id == user_id, PageFeedback.page_id == page_id)
    )


def give_page_feedback(
    course: Course,
    learner: events.Learner,
    module_id: str,
    page_id: str,
    helpful: bool,
    comment: str | None,
    now: datetime | None = None,
) -> tuple[Module, Page, PageFeedback]:
    """Record or change "was this page helpful?" and its optional comment.

    Raises NotInCourse for an unknown module or page, AnswerProblems for a comment over the limit.
    """
    module, page = lookup.find_page(course, module_id, page_id)
    text = items.normalise_text(comment) or None
    if text is not None and len(text) > items.PAGE_COMMENT_LIMIT:
        raise AnswerProblems({"comment": items.comment_too_long_message(len(text))})
    now = now or utcnow()

    def write() -> tuple[PageFeedback, bool, datetime | None]:
        row = page_feedback_for(learner.user_id, page.id)
        if row is None:
            row = PageFeedback(
                user_id=learner.user_id, module_id=module.id, page_id=page.id, created_at=now
            )
            db.session.add(row)
            changed, replaces_at = True, None
        else:
            changed = row.helpful != helpful
            replaces_at = row.rated_at or row.updated_at
        row.module_id = module.id
        row.helpful = helpful
        row.comment = text
        row.updated_at = now
        if changed:
            row.rated_at = now
        db.session.flush()
        return row, changed, replaces_at

    row, changed, replaces_at = write()
    if changed:  # the same answer again is not a new learning record
        events.record(
            events.PageRated(learner, course, now, module, page, helpful, replaces_at=replaces_at)
        )
    return module, page, row


# Deleting an account


def erase_free_text(surveys: Iterable[SurveyFile], user_id: int) -> int:
    """Remove everything the learner typed: free-text survey answers and page comments. Chosen
    answers (scale points, options, helpful or not) stay, so the pilot's figures stay right.
    An answer whose item is no longer in the course is removed too (it may have been free
    text). Returns how many pieces of text were removed."""
    chosen = {
        (survey.id, item.id)
        for survey in surveys
        for item in survey.items
        if item.type != "free-text"
    }
    removed = 0
    responses = db.session.scalars(select(SurveyResponse).where(SurveyResponse.user_id == user_id))
    for response in responses:
        for answer in list(response.answers):
            if (response.survey_id, answer.item_id) not in chosen:
                response.answers.remove(answer)
                removed += 1
    rated = db.session.scalars(
        select(PageFeedback).where(
            PageFeedback.user_id == user_id, PageFeedback.comment.is_not(None)
        )
    )
    for feedback in rated:
        feedback.comment = None
        removed += 1
    db.session.flush()
    return removed
