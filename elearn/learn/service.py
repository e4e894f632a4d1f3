"""Progress: what a learner has viewed and finished, and what to show them next.

This is the single place that writes progress (and, with it, the xAPI statements that describe
it, in the same transaction). Status is always worked out against the live content, so a page
removed from a module no longer counts and a page added to it makes the module in progress again.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from elearn.auth.models import User
from elearn.content.schema import Course, Module, Page
from elearn.db import utcnow
from elearn.extensions import db
from elearn.learn import records
from elearn.learn.models import Certificate, ModuleProgress, PageProgress
from elearn.xapi import statements as xs

NOT_STARTED, IN_PROGRESS, COMPLETED = "not-started", "in-progress", "completed"


class NotFound(LookupError):
    """No such module or page in the live content."""


@dataclass
class ModuleState:
    module: Module
    done: set[str] = field(default_factory=set)
    viewed: set[str] = field(default_factory=set)
    has_quiz: bool = False
    quiz_passed: bool = False

    @property
    def total(self) -> int:
        return len(self.module.pages)

    @property
    def done_count(self) -> int:
        return sum(1 for p in self.module.pages if p.id in self.done)

    @property
    def pages_done(self) -> bool:
        return self.done_count == self.total

    @property
    def status(self) -> str:
        """Completed = every page done and, if the module has a quiz, the quiz passed."""
        if self.pages_done and (self.quiz_passed or not self.has_quiz):
            return COMPLETED
        if self.quiz_passed:
            return IN_PROGRESS
        if any(p.id in self.viewed for p in self.module.pages):
            return IN_PROGRESS
        return NOT_STARTED

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 100

    @property
    def next_page(self) -> Page:
        """The first page not done yet, or the first page when all are done."""
        return next((p for p in self.module.pages if p.id not in self.done), self.module.pages[0])


@dataclass
class CourseState:
    modules: list[ModuleState]
    resume: tuple[Module, Page] | None

    @property
    def completed(self) -> bool:
        return all(m.status == COMPLETED for m in self.modules)

    @property
    def modules_completed(self) -> int:
        return sum(1 for m in self.modules if m.status == COMPLETED)


def find_page(
    course: Course, module_id: str, page_id: str | None = None
) -> tuple[Module, Page | None]:
    module = next((m for m in course.modules if m.id == module_id), None)
    if module is None:
        raise NotFound(module_id)
    if page_id is None:
        return module, None
    page = next((p for p in module.pages if p.id == page_id), None)
    if page is None:
        raise NotFound(page_id)
    return module, page


def page_rows(user_id: int) -> list[PageProgress]:
    return list(db.session.scalars(select(PageProgress).where(PageProgress.user_id == user_id)))


def course_state(
    course: Course,
    user_id: int,
    rows: list[PageProgress] | None = None,
    passed: set[str] | None = None,
) -> CourseState:
    """Every module's status for a learner, and where to resume (two queries)."""
    from elearn.quiz.service import passed_modules

    rows = page_rows(user_id) if rows is None else rows
    passed = passed_modules(user_id) if passed is None else passed
    done = {r.page_id for r in rows if r.completed_at is not None}
    viewed = {r.page_id for r in rows}
    states = [
        ModuleState(
            m, done & {p.id for p in m.pages}, viewed, m.id in course.quizzes, m.id in passed
        )
        for m in course.modules
    ]
    return CourseState(states, _resume(course, states, rows))


def _resume(course: Course, states: list[ModuleState], rows) -> tuple[Module, Page] | None:
    """Where the learner stopped: the last page they viewed, or the next unfinished one."""
    if not rows:
        return None
    by_module = {s.module.id: s for s in states}
    last = max(rows, key=lambda r: r.last_viewed_at)
    state = by_module.get(last.module_id)
    if state is not None:
        page = next((p for p in state.module.pages if p.id == last.page_id), None)
        if page is not None and page.id not in state.done:
            return state.module, page
        if state.status != COMPLETED:
            return state.module, state.next_page
    for state in states:
        if state.status != COMPLETED:
            return state.module, state.next_page
    return None


def view_page(
    course: Course, user_id: int, module_id: str, page_id: str, now: datetime | None = None
):
    """Record that the learner opened a page; the first page opened starts the module."""
    module, page = find_page(course, module_id, page_id)
    now = now or utcnow()
    user = db.session.get(User, user_id)  # already loaded for the request: no query
    rows = page_rows(user_id)
    row = next((r for r in rows if r.page_id == page.id), None)
    module_started = any(r.module_id == module.id for r in rows)
    if row is None:
        row = PageProgress(
            user_id=user_id,
            module_id=module.id,
            page_id=page.id,
            first_viewed_at=now,
            last_viewed_at=now,
        )
        db.session.add(row)
        rows.append(row)
    else:
        row.last_viewed_at = now
    actor, course_ref = records.learner(user), records.course_ref(course)
    statements = []
    if not module_started:
        statements.append(
            xs.initialized_module(
                records.base_url(), actor, course_ref, records.module_ref(module), now
            )
        )
    statements.append(
        xs.experienced_page(
            records.base_url(),
            actor,
            course_ref,
            records.module_ref(module),
            records.page_ref(page),
            now,
        )
    )
    records.record(statements)
    db.session.commit()
    return module, page, course_state(course, user_id, rows, passed=set())


def complete_page(
    course: Course, user_id: int, module_id: str, page_id: str, now: datetime | None = None
) -> tuple[Module, Page | None]:
    """Mark a page done. Returns the module and the next page to show (None at the end)."""
    module, page = find_page(course, module_id, page_id)
    now = now or utcnow()
    rows = page_rows(user_id)
    row = next((r for r in rows if r.page_id == page.id), None)
    if row is None:
        row = PageProgress(
            user_id=user_id, module_id=module.id, page_id=page.id,
            first_viewed_at=now, last_viewed_at=now,
        )  # fmt: skip
        db.session.add(row)
        rows.append(row)
    newly_done = row.completed_at is None
    if newly_done:
        row.completed_at = now
    state = course_state(course, user_id, rows)
    module_state = next(s for s in state.modules if s.module.id == module.id)
    if newly_done:
        statements = []
        user = db.session.get(User, user_id)
        if module_state.status != COMPLETED:
            statements.append(
                xs.progressed(
                    records.base_url(),
                    records.learner(user),
                    records.course_ref(course),
                    records.module_ref(module),
                    module_state.percent,
                    now,
                )  # fmt: skip
            )
        statements += mark_completed(course, user, state, module.id, rows, now)
        records.record(statements)
    db.session.commit()
    index = [p.id for p in module.pages].index(page.id)
    following = module.pages[index + 1 :]
    next_page = next((p for p in following if p.id not in module_state.done), None)
    if next_page is None and following:
        next_page = following[0]
    return module, next_page


def mark_completed(
    course: Course, user: User, state: CourseState, module_id: str, rows, now: datetime
) -> list[dict]:
    """If the module is now complete, store it (once) and return its statements, with the
    course's when every module is complete. The caller records them and commits."""
    module_state = next(s for s in state.modules if s.module.id == module_id)
    if module_state.status != COMPLETED:
        return []
    progress = db.session.scalar(
        select(ModuleProgress).where(
            ModuleProgress.user_id == user.id, ModuleProgress.module_id == module_id
        )
    )
    if progress is not None and progress.completed_at is not None:
        return []
    viewed = [r.first_viewed_at for r in rows if r.module_id == module_id]
    started = min(viewed) if viewed else now
    if progress is None:
        progress = ModuleProgress(user_id=user.id, module_id=module_id, started_at=started)
        db.session.add(progress)
    progress.completed_at = now
    actor, course_ref = records.learner(user), records.course_ref(course)
    statements = [
        xs.completed_module(
            records.base_url(),
            actor,
            course_ref,
            records.module_ref(module_state.module),
            records.seconds_between(progress.started_at, now),
            now,
        )  # fmt: skip
    ]
    if state.completed:
        statements.append(
            xs.completed_course(
                records.base_url(),
                actor,
                course_ref,
                records.seconds_between(user.created_at, now),
                now,
            )
        )
        certificate = Certificate(user_id=user.id, serial=new_serial(now), issued_at=now)
        db.session.add(certificate)
        statements.append(
            xs.earned_certificate(records.base_url(), actor, course_ref, certificate.serial, now)
        )
    return statements


def launch(course: Course, user: User, now: datetime | None = None) -> None:
    """Record that a learner opened the course (at sign-in)."""
    now = now or utcnow()
    records.record(
        [xs.launched(records.base_url(), records.learner(user), records.course_ref(course), now)]
    )
    db.session.commit()


def new_serial(now: datetime) -> str:
    """A certificate number people can read out: HDG, the year and 8 letters and digits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"HDG-{now:%Y}-" + "".join(secrets.choice(alphabet) for _ in range(8))


def certificate_for(user_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.user_id == user_id))
