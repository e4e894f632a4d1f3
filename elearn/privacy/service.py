"""Learners' data rights, carried out through the feature services.

- ``your_data``: everything held about a learner, as plain JSON-ready values.
- ``delete_account``: personal details, free text and the certificate are removed and the link
  to the learner's xAPI actor is cut; what they chose (scale answers, quiz results, progress)
  stays, anonymous, so the pilot's figures stay right. The same path serves a learner deleting
  their own account, an admin carrying out a request, and the retention purge.
- ``plan_purge`` / ``purge``: accounts inactive for a number of days, and learning records the
  LRS has stored for longer than the retention setting.

Like every service these change rows and flush; the edge (a request, or a command's
``unit_of_work.action``) commits once.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from elearn import events
from elearn.auth import service as accounts
from elearn.auth.models import Cohort, User
from elearn.auth.passwords import verify_password
from elearn.content import provider
from elearn.content.schema import Course
from elearn.content.store import NoContent
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback import service as feedback
from elearn.feedback.models import PageFeedback, SurveyResponse
from elearn.learn import service as progress
from elearn.learn.models import ModuleProgress, PageProgress
from elearn.quiz.models import QuizAttempt
from elearn.roles import Role
from elearn.xapi import outbox


class DeletionError(Exception):
    """The deletion cannot go ahead; the message says why, for one form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# Your data


def your_data(user: User) -> dict[str, Any]:
    """Everything the service holds about this person, including the learning records whose
    actor is their random id."""
    cohort = db.session.get(Cohort, user.cohort_id) if user.cohort_id else None
    certificate = progress.certificate_for(user.id)
    return {
        "account": {
            "name": user.display_name,
            "email": user.email,
            "account_type": str(user.role),
            "role": user.community_role,
            "organisation": user.organisation,
            "cohort": cohort.name if cohort else None,
            "created_at": _when(user.created_at),
            "learning_records_id": user.opaque_id,
            "course_registration": user.course_registration,
        },
        "consent": {"pilot_evaluation": user.evaluation_consent},
        "progress": {
            "pages": [
                {
                    "module": row.module_id,
                    "page": row.page_id,
                    "first_viewed_at": _when(row.first_viewed_at),
                    "last_viewed_at": _when(row.last_viewed_at),
                    "completed_at": _when(row.completed_at),
                }
                for row in db.session.scalars(
                    select(PageProgress)
                    .where(PageProgress.user_id == user.id)
                    .order_by(PageProgress.first_viewed_at, PageProgress.id)
                )
            ],
            "modules": [
                {
                    "module": row.module_id,
                    "started_at": _when(row.started_at),
                    "completed_at": _when(row.completed_at),
                }
                for row in db.session.scalars(
                    select(ModuleProgress)
                    .where(ModuleProgress.user_id == user.id)
                    .order_by(ModuleProgress.started_at, ModuleProgress.id)
                )
            ],
        },
        "quiz_attempts": [
            {
                "module": attempt.module_id,
                "attempt": attempt.number,
                "status": attempt.status,
                "started_at": _when(attempt.started_at),
                "submitted_at": _when(attempt.submitted_at),
                "score": attempt.score,
                "out_of": attempt.max_score,
                "pass_mark_percent": attempt.pass_mark,
                "passed": attempt.passed,
                "answers": [
                    {
                        "question": answer.question_id,
                        "chosen": list(answer.option_ids),
                        "correct": answer.correct,
                        "answered_at": _when(answer.answered_at),
                    }
                    for answer in attempt.answers
                ],
            }
            for attempt in db.session.scalars(
                select(QuizAttempt)
                .where(QuizAttempt.user_id == user.id)
                .order_by(QuizAttempt.module_id, QuizAttempt.number)
            )
        ],
        "survey_responses": [
            {
                "survey": response.survey_id,
                "status": response.status,
                "started_at": _when(response.started_at),
                "submitted_at": _when(response.submitted_at),
                "answers": [{"item": a.item_id, "value": a.value} for a in response.answers],
            }
            for response in db.session.scalars(
                select(SurveyResponse)
                .where(SurveyResponse.user_id == user.id)
                .order_by(SurveyResponse.started_at, SurveyResponse.id)
            )
        ],
        "page_feedback": [
            {
                "module": row.module_id,
                "page": row.page_id,
                "helpful": row.helpful,
                "comment": row.comment,
                "updated_at": _when(row.updated_at),
            }
            for row in db.session.scalars(
                select(PageFeedback)
                .where(PageFeedback.user_id == user.id)
                .order_by(PageFeedback.created_at, PageFeedback.id)
            )
        ],
        "certificate": (
            {
                "issued_at": _when(certificate.issued_at),
                "verification_code": certificate.verification_code,
                "number": certificate.serial,
            }
            if certificate is not None
            else None
        ),
        "learning_records": [
            {
                "state": row.state,
                "recorded_at": _when(row.created_at),
                "sent_at": _when(row.sent_at),
                "statement": json.loads(row.statement_json),
            }
            for row in outbox.about_actor(user.opaque_id)
        ],
    }


# Deleting an account


def delete_account(
    user: User, now: datetime | None = None, *, deleted_by: int | None = None
) -> None:
    """Delete a learner's account: see the module docstring for what goes and what stays. The
    free text they typed is also withdrawn from their learning records (``AccountDeleted``).
    The audit log records who asked: the learner, an admin, or nobody (``deleted_by`` None: the
    retention purge)."""
    if user.role != Role.LEARNER:
        raise DeletionError("email", "Only learner accounts can be deleted here")
    if user.deleted_at is not None:
        return
    now = now or utcnow()
    try:
        course: Course | None = provider.course()
    except NoContent:
        course = None
    was = user.as_learner()
    feedback.erase_free_text(course.surveys if course else [], user.id)
    progress.withdraw_certificate(user.id)
    accounts.erase_account(user, now, deleted_by=deleted_by)
    if course is not None:
        events.record(events.AccountDeleted(was, course, now))


def delete_own_account(user: User, password: str, now: datetime | None = None) -> None:
    """A learner deletes their own account, after entering their password again."""
    if not verify_password(user.password_hash, password):
        raise DeletionError("password", "Your password is not right")
    delete_account(user, now, deleted_by=user.id)


def find_learner(email: str) -> User:
    """The learner an admin was asked to delete, by their email address."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise DeletionError("email", "There is no account with this email address")
    if user.role != Role.LEARNER:
        raise DeletionError(
            "email", "This is a staff account. Only learner accounts can be deleted here"
        )
    return user


# Retention


@dataclass(frozen=True)
class PurgePlan:
    cutoff: datetime  # accounts with no activity since then are deleted
    accounts: list[User]
    records_cutoff: datetime  # statements the LRS stored before then are removed
    records: int


def _latest(column: InstrumentedAttribute, user_column: InstrumentedAttribute) -> dict:
    return dict(
        db.session.execute(select(user_column, func.max(column)).group_by(user_column))
        .tuples()
        .all()
    )


def last_active() -> dict[int, datetime]:
    """When each learner last did anything: joined, opened a page, took a quiz, answered a
    survey or rated a page."""
    latest: dict[int, datetime] = {}
    learners = select(User.id, User.created_at).where(User.role == Role.LEARNER)
    for user_id, created_at in db.session.execute(learners).tuples():
        latest[user_id] = created_at
    sources = [
        _latest(PageProgress.last_viewed_at, PageProgress.user_id),
        _latest(QuizAttempt.started_at, QuizAttempt.user_id),
        _latest(QuizAttempt.submitted_at, QuizAttempt.user_id),
        _latest(SurveyResponse.updated_at, SurveyResponse.user_id),
        _latest(PageFeedback.updated_at, PageFeedback.user_id),
    ]
    for source in sources:
        for user_id, at in source.items():
            if user_id in latest and at is not None and at > latest[user_id]:
                latest[user_id] = at
    return latest


def plan_purge(older_than_days: int, retention_days: int, now: datetime | None = None) -> PurgePlan:
    """What a purge would remove, changing nothing."""
    now = now or utcnow()
    cutoff = now - timedelta(days=older_than_days)
    latest = last_active()
    learners = db.session.scalars(
        select(User).where(User.role == Role.LEARNER, User.deleted_at.is_(None)).order_by(User.id)
    )
    users = [user for user in learners if latest.get(user.id, user.created_at) < cutoff]
    records_cutoff = now - timedelta(days=retention_days)
    return PurgePlan(cutoff, users, records_cutoff, outbox.sent_before(records_cutoff))


def purge(older_than_days: int, retention_days: int, now: datetime | None = None) -> PurgePlan:
    """Delete the accounts inactive that long (as "Delete my account" does) and remove sent
    learning records older than the retention period; returns what was removed."""
    now = now or utcnow()
    plan = plan_purge(older_than_days, retention_days, now)
    for user in plan.accounts:
        delete_account(user, now)
    removed = outbox.prune_sent(plan.records_cutoff)
    return PurgePlan(plan.cutoff, plan.accounts, plan.records_cutoff, removed)
