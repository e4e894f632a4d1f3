"""A learner's progress through the course, loaded once for a request.

Status is always worked out against the course in use, so a page removed from a module no longer
counts and a page added to it makes the module in progress again.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from elearn.content.schema import Course, Module, Page
from elearn.learn import service as progress
from elearn.learn.models import PageProgress
from elearn.quiz import service as quizzes


class ModuleStatus(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"


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
    def status(self) -> ModuleStatus:
        """Completed = every page done and, if the module has a quiz, the quiz passed."""
        if self.pages_done and (self.quiz_passed or not self.has_quiz):
            return ModuleStatus.COMPLETED
        if self.quiz_passed or any(p.id in self.viewed for p in self.module.pages):
            return ModuleStatus.IN_PROGRESS
        return ModuleStatus.NOT_STARTED

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 100

    @property
    def next_page(self) -> Page:
        """The first page not done yet, or the first page when all are done."""
        return next((p for p in self.module.pages if p.id not in self.done), self.module.pages[0])


@dataclass(frozen=True)
class Place:
    """Where the learner should carry on: a page, or a module's quiz (page is None)."""

    module: Module
    page: Page | None


@dataclass
class CourseState:
    course: Course
    modules: list[ModuleState]
    resume: Place | None

    @property
    def completed(self) -> bool:
        return all(m.status == ModuleStatus.COMPLETED for m in self.modules)

    @property
    def modules_completed(self) -> int:
        return sum(1 for m in self.modules if m.status == ModuleStatus.COMPLETED)

    def module(self, module_id: str) -> ModuleState:
        return next(s for s in self.modules if s.module.id == module_id)

    def next_module(self) -> tuple[int, ModuleState] | None:
        """The first module not completed yet, with its number."""
        return next(
            (
                (number, s)
                for number, s in enumerate(self.modules, start=1)
                if s.status != ModuleStatus.COMPLETED
            ),
            None,
        )


def load(
    course: Course,
    user_id: int,
    rows: list[PageProgress] | None = None,
    passed: set[str] | None = None,
) -> CourseState:
    """Every module's status for a learner, and where to resume (two queries, fewer when the
    caller already has the rows or the passed quizzes)."""
    rows = progress.page_rows(user_id) if rows is None else rows
    passed = quizzes.passed_modules(user_id) if passed is None else passed
    done = {r.page_id for r in rows if r.completed_at is not None}
    viewed = {r.page_id for r in rows}
    states = [
        ModuleState(
            m, done & {p.id for p in m.pages}, viewed, m.id in course.quizzes, m.id in passed
        )
        for m in course.modules
    ]
    return CourseState(course, states, _resume(states, rows))


def _resume(states: list[ModuleState], rows: list[PageProgress]) -> Place | None:
    """Where the learner stopped: the page they viewed last if it is not done, else the next
    thing to do in that module (a page, or its quiz once every page is done), else the next
    module not completed. None for a learner who has not started, or has finished."""
    if not rows:
        return None
    last = max(rows, key=lambda r: r.last_viewed_at)
    state = next((s for s in states if s.module.id == last.module_id), None)
    if state is not None:
        page = next((p for p in state.module.pages if p.id == last.page_id), None)
        if page is not None and page.id not in state.done:
            return Place(state.module, page)
        place = _next_in(state)
        if place is not None:
            return place
    for state in states:
        place = _next_in(state)
        if place is not None:
            return place
    return None


def _next_in(state: ModuleState) -> Place | None:
    if state.status == ModuleStatus.COMPLETED:
        return None
    if state.pages_done and state.has_quiz and not state.quiz_passed:
        return Place(state.module, None)
    return Place(state.module, state.next_page)
