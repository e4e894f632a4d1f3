"""The actions that move a learner on, and what follows each one.

Each function carries out one action through the feature services (which write rows, record
events and flush) and then settles what follows: the module completed once every page is done
and its quiz passed, the course completed and the certificate issued once every module is. The
result says what to offer next, so views only turn it into a page or a redirect.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from elearn import events
from elearn.auth.models import User
from elearn.content import provider
from elearn.content.lookup import find_page
from elearn.content.schema import Course, Module, Page, SurveyFile
from elearn.content.store import NoContent
from elearn.db import utcnow
from elearn.journey import state as states
from elearn.journey import surveys
from elearn.journey.state import CourseState, ModuleStatus
from elearn.learn import service as progress
from elearn.learn.models import PageProgress
from elearn.quiz import service as quizzes
from elearn.quiz.scoring import Score
from elearn.roles import Role


@dataclass(frozen=True)
class PageVisit:
    module: Module
    page: Page
    state: CourseState


@dataclass(frozen=True)
class NextStep:
    """What to offer after an action in ``module``: a survey first, else the next page, else the
    module's quiz; with none of these the module is finished (``module_completed`` and
    ``course_completed`` say what just happened, so the next page can say so plainly)."""

    module: Module
    page: Page | None = None
    quiz: bool = False
    survey: SurveyFile | None = None
    module_completed: bool = False
    course_completed: bool = False


def view_page(
    course: Course,
    learner: events.Learner,
    module_id: str,
    page_id: str,
    now: datetime | None = None,
) -> PageVisit:
    """Open a page: recorded as progress (raises NotInCourse for an unknown page)."""
    module, page = find_page(course, module_id, page_id)
    rows = progress.page_rows(learner.user_id)
    progress.record_view(course, learner, module, page, rows, now or utcnow())
    return PageVisit(module, page, states.load(course, learner.user_id, rows, passed=set()))


def complete_page(
    course: Course,
    learner: events.Learner,
    module_id: str,
    page_id: str,
    now: datetime | None = None,
) -> NextStep:
    """Finish a page (with Next, or on to the quiz from the last page) and settle the module."""
    module, page = find_page(course, module_id, page_id)
    now = now or utcnow()
    rows = progress.page_rows(learner.user_id)
    newly_done = progress.mark_done(course, learner, module, page, rows, now)
    state = states.load(course, learner.user_id, rows)
    module_state = state.module(module.id)
    completed = False
    if newly_done:
        if module_state.status != ModuleStatus.COMPLETED:
            events.record(
                events.ModuleProgressed(learner, course, now, module, module_state.percent)
            )
        completed = _settle(course, learner, state, module, rows, now)
    following = _page_after(module, page, module_state)
    if following is not None:
        return NextStep(module, page=following)
    if module_state.has_quiz and not module_state.quiz_passed:
        return NextStep(module, quiz=True)
    return _after_module(state, learner, module, completed)


def submit_quiz(
    course: Course,
    learner: events.Learner,
    view: quizzes.AttemptView,
    now: datetime | None = None,
) -> Score | None:
    """Submit a quiz attempt once; a pass completes the module if every page is done."""
    now = now or utcnow()
    result = quizzes.submit(course, learner, view, now)
    if result is not None and result.passed:
        module = next(m for m in course.modules if m.id == view.attempt.module_id)
        rows = progress.page_rows(learner.user_id)
        state = states.load(course, learner.user_id, rows)
        _settle(course, learner, state, module, rows, now)
    return result


def after_quiz(course: Course, learner: events.Learner, module: Module) -> NextStep:
    """What to offer on a passed quiz's result page."""
    state = states.load(course, learner.user_id)
    completed = state.module(module.id).status == ModuleStatus.COMPLETED
    return _after_module(state, learner, module, completed)


class Landing(StrEnum):
    """Where someone lands after signing in or joining."""

    COURSE = "course"
    REVIEW = "review"
    ADMIN = "admin"


LANDINGS = {Role.ADMIN: Landing.ADMIN, Role.REVIEWER: Landing.REVIEW, Role.LEARNER: Landing.COURSE}


def signed_in(user: User, now: datetime | None = None) -> Landing:
    """Someone signed in: a learner launched the course (when there is one). Where they land."""
    if user.role == Role.LEARNER:
        try:
            progress.launch(provider.course(), user.as_learner(), now)
        except NoContent:
            pass
    return LANDINGS[Role(user.role)]


def joined(user: User, now: datetime | None = None) -> SurveyFile | None:
    """A learner registered: record it on the course, and offer the start-of-course survey."""
    try:
        course = provider.course()
    except NoContent:
        return None
    events.record(events.Registered(user.as_learner(), course, now or utcnow()))
    return surveys.after_registration(course, user.id)


def _settle(
    course: Course,
    learner: events.Learner,
    state: CourseState,
    module: Module,
    rows: list[PageProgress],
    now: datetime,
) -> bool:
    """Store the module's completion (and the course's, with its certificate) if it is due."""
    if state.module(module.id).status != ModuleStatus.COMPLETED:
        return False
    started = progress.module_started_at(rows, module.id) or now
    seconds = progress.time_on_task(rows, module.id)
    if not progress.complete_module(course, learner, module, started, now, seconds):
        return False
    if state.completed:
        progress.complete_course(course, learner, now, progress.time_on_task(rows))
    return True


def _page_after(module: Module, page: Page, module_state: states.ModuleState) -> Page | None:
    """The next page not done after this one; else the page after it; None at the end."""
    index = [p.id for p in module.pages].index(page.id)
    following = module.pages[index + 1 :]
    return next((p for p in following if p.id not in module_state.done), None) or next(
        iter(following), None
    )


def _after_module(
    state: CourseState, learner: events.Learner, module: Module, completed: bool
) -> NextStep:
    survey = surveys.after_module(state, learner.user_id, module.id)
    return NextStep(
        module, survey=survey, module_completed=completed, course_completed=state.completed
    )
