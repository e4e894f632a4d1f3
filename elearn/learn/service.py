"""Progress rows: what a learner has viewed and finished, the modules they completed and their
certificate. Each function writes its rows, records the event that describes the change and
flushes; deciding what follows (is the module complete now?) is the journey's job.
"""

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from elearn import events
from elearn.content.lookup import NotInCourse, find_page
from elearn.content.schema import Course, DecisionChoice, DecisionPoint, Module, Page
from elearn.db import utcnow
from elearn.extensions import db
from elearn.learn.models import Certificate, ModuleProgress, PageProgress

SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)
CODE_LENGTH = 12  # letters in a verification code: 32**12 = 2**60 possible codes


def page_rows(user_id: int) -> list[PageProgress]:
    return list(db.session.scalars(select(PageProgress).where(PageProgress.user_id == user_id)))


# A page visit's progress row and its time on task so far, in seconds.
Visit = tuple[PageProgress, float]


def count_time_on_task(rows: list[PageProgress], now: datetime) -> Visit | None:
    """The learner acted (opened or finished a page): the page they were on gets the time since
    they opened it (or since its time was last counted), never negative and at most
    ``PAGE_TIME_ON_TASK_CAP_SECONDS`` a visit (someone who walked away is not learning).
    Returns that page's row and its visit's time on task so far (None before any page)."""
    current = max(rows, key=lambda r: r.last_viewed_at, default=None)
    if current is None:
        return None
    cap = float(current_app.config.get("PAGE_TIME_ON_TASK_CAP_SECONDS", 600))
    counted = (
        (current.timed_until - current.last_viewed_at).total_seconds()
        if current.timed_until is not None and current.timed_until > current.last_viewed_at
        else 0.0
    )
    start = max(current.last_viewed_at, current.timed_until or current.last_viewed_at)
    seconds = min(max((now - start).total_seconds(), 0.0), max(cap - counted, 0.0))
    current.seconds_on_task = (current.seconds_on_task or 0.0) + seconds
    current.timed_until = max(now, start)
    return current, min(counted, cap) + seconds


def _left_page(course: Course, learner: events.Learner, visit: Visit | None, now: datetime) -> None:
    """Opening a page ends the visit to the page the learner was on: record it with its time on
    task (a page no longer in the course is not recorded)."""
    if visit is None:
        return
    row, seconds = visit
    try:
        module, page = find_page(course, row.module_id, row.page_id)
    except NotInCourse:
        return
    events.record(events.PageLeft(learner, course, now, module, page, seconds))


def time_on_task(rows: list[PageProgress], module_id: str | None = None) -> float:
    """Seconds on task over the learner's pages (of one module, if given)."""
    return sum(
        r.seconds_on_task or 0.0 for r in rows if module_id is None or r.module_id == module_id
    )


def record_view(
    course: Course,
    learner: events.Learner,
    module: Module,
    page: Page,
    rows: list[PageProgress],
    now: datetime,
) -> PageProgress:
    """Record that the learner opened a page; the first page opened starts the module.
    ``rows`` are the learner's progress rows; a new one is appended to it."""
    _left_page(course, learner, count_time_on_task(rows, now), now)
    row = next((r for r in rows if r.page_id == page.id), None)
    module_started = any(r.module_id == module.id for r in rows)
    if row is None:
        row = PageProgress(
            user_id=learner.user_id,
            module_id=module.id,
            page_id=page.id,
            first_viewed_at=now,
            last_viewed_at=now,
        )
        db.session.add(row)
        rows.append(row)
    else:
        row.last_viewed_at = now
        row.timed_until = None  # a new visit
    if not module_started:
        events.record(events.ModuleStarted(learner, course, now, module))
    events.record(events.PageViewed(learner, course, now, module, page))
    db.session.flush()
    return row


def mark_done(
    course: Course,
    learner: events.Learner,
    module: Module,
    page: Page,
    rows: list[PageProgress],
    now: datetime,
) -> bool:
    """Mark a page done; False when it was done already (nothing changes then)."""
    count_time_on_task(rows, now)
    row = next((r for r in rows if r.page_id == page.id), None)
    if row is None:
        row = PageProgress(
            user_id=learner.user_id,
            module_id=module.id,
            page_id=page.id,
            first_viewed_at=now,
            last_viewed_at=now,
        )
        db.session.add(row)
        rows.append(row)
    if row.completed_at is not None:
        return False
    row.completed_at = now
    events.record(events.PageCompleted(learner, course, now, module, page))
    db.session.flush()
    return True


def answer_decision(
    course: Course,
    learner: events.Learner,
    module: Module,
    page: Page,
    decision: DecisionPoint,
    choice_id: str,
    now: datetime | None = None,
) -> DecisionChoice:
    """Record the learner's choice at a decision point (practice: no score, no rows of its own,
    only the learning record). Raises NotInCourse for a choice the decision point does not have."""
    choice = decision.choice(choice_id)
    if choice is None:
        raise NotInCourse(choice_id)
    event = events.DecisionAnswered(
        learner, course, now or utcnow(), module, page, decision, choice.id, choice.best
    )
    events.record(event)
    db.session.flush()
    return choice


def module_started_at(rows: list[PageProgress], module_id: str) -> datetime | None:
    viewed = [r.first_viewed_at for r in rows if r.module_id == module_id]
    return min(viewed) if viewed else None


def completed_modules(user_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(ModuleProgress.module_id).where(
                ModuleProgress.user_id == user_id, ModuleProgress.completed_at.is_not(None)
            )
        )
    )


def complete_module(
    course: Course,
    learner: events.Learner,
    module: Module,
    started_at: datetime,
    now: datetime,
    seconds: float | None = None,
) -> bool:
    """Store that the learner completed a module, once; False when it was stored already.
    ``seconds`` is its time on task (the sum of its pages'); without it, the time since it
    started."""
    progress = db.session.scalar(
        select(ModuleProgress).where(
            ModuleProgress.user_id == learner.user_id, ModuleProgress.module_id == module.id
        )
    )
    if progress is not None and progress.completed_at is not None:
        return False
    if progress is None:
        progress = ModuleProgress(
            user_id=learner.user_id, module_id=module.id, started_at=started_at
        )
        db.session.add(progress)
    progress.completed_at = now
    if seconds is None:
        seconds = (now - progress.started_at).total_seconds()
    events.record(events.ModuleCompleted(learner, course, now, module, max(seconds, 0.0)))
    db.session.flush()
    return True


def certificate_for(user_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.user_id == user_id))


def complete_course(
    course: Course, learner: events.Learner, now: datetime, seconds: float | None = None
) -> Certificate:
    """Record that the learner completed the course and issue their certificate, once.
    ``seconds`` is its time on task (the sum of its pages'); without it, the time since the
    learner joined."""
    certificate = certificate_for(learner.user_id)
    if certificate is not None:
        return certificate
    if seconds is None:
        seconds = (now - learner.joined_at).total_seconds()
    events.record(events.CourseCompleted(learner, course, now, max(seconds, 0.0)))
    certificate = Certificate(
        user_id=learner.user_id,
        serial=new_serial(now),
        verification_code=new_verification_code(),
        issued_at=now,
    )
    db.session.add(certificate)
    events.record(events.CertificateIssued(learner, course, now))
    db.session.flush()
    return certificate


def launch(course: Course, learner: events.Learner, now: datetime | None = None) -> None:
    """Record that a learner opened the course (at sign-in)."""
    events.record(events.Launched(learner, course, now or utcnow()))


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code (any spacing or case), or None."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == normalised))


def withdraw_certificate(user_id: int) -> bool:
    """Delete the learner's certificate (their account is being deleted): its code stops
    verifying. False when they had none."""
    certificate = certificate_for(user_id)
    if certificate is None:
        return False
    db.session.delete(certificate)
    db.session.flush()
    return True


def new_verification_code() -> str:
    """A random code printed on the certificate, like ABCD-EFGH-JKLM (60 bits)."""
    letters = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(letters[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str | None:
    """A code as stored (``ABCD-EFGH-JKLM``), or None when it cannot be one."""
    letters = "".join(ch for ch in code.upper() if ch not in " -")
    if len(letters) != CODE_LENGTH or any(ch not in SERIAL_ALPHABET for ch in letters):
        return None
    return "-".join(letters[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def new_serial(now: datetime) -> str:
    """A certificate number people can read out: HDG, the year and 8 letters and digits."""
    return f"HDG-{now:%Y}-" + "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(8))
