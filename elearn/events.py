"""Learning events: what happened to a learner, as small frozen facts.

Services record an event when they change what a learner has done, in the same transaction as
the change. Each event carries the facts already decided (a score, whether it passed, whether an
answer was correct) so that nothing downstream works them out again. Handlers registered by the
app factory (the learning-records translator) see every event as it is recorded and add their
rows to the same session, so the change and what describes it are committed together, once, at
the edge (see ``elearn.unit_of_work``).

While a draft course is being previewed, events are not recorded at all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from flask import Flask, current_app

from elearn.content import provider, store
from elearn.content.schema import (
    Course,
    DecisionPoint,
    Module,
    Page,
    Question,
    SurveyFile,
    SurveyItem,
)

EXTENSION = "elearn.events"


@dataclass(frozen=True)
class Learner:
    """Who an event is about, as other systems may know them: never a name or email.

    ``consented`` (they agreed to the pilot evaluation) and ``staff`` (a reviewer or admin) are
    decided once, when the learner is made from their account, so every event of one action
    agrees on them (and on ``session``).
    """

    user_id: int
    opaque_id: str
    registration: str
    joined_at: datetime
    consented: bool = False
    staff: bool = False
    # The id of the sign-in session the learner acted in (``UserSession.record_id``): None when
    # the event was not made by the learner in a signed-in request (an admin, a command).
    session: str | None = None


@dataclass(frozen=True)
class Event:
    """``revision`` is the published content revision the learner was using: :func:`record`
    fills it in from the request's course (``provider.revision_id()``) when the service did not,
    so the learning records say which version of the content an answer was given on."""

    learner: Learner
    course: Course
    at: datetime
    revision: int | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class Registered(Event):
    pass


@dataclass(frozen=True)
class Launched(Event):
    """The learner signed in to the course."""


class SessionEndReason(StrEnum):
    SIGNED_OUT = "signed-out"
    ENDED = "ended"  # ended from elsewhere: another session, an admin, a password change
    TIMED_OUT = "timed-out"


@dataclass(frozen=True)
class SessionEnded(Event):
    """A learner's sign-in session ended (recorded once per session). ``at`` is when it ended
    (for a time-out, when the idle or absolute limit was reached); ``seconds`` runs from sign-in
    to the learner's last activity in it, never to the sign-out or the sweep."""

    seconds: float
    reason: SessionEndReason


@dataclass(frozen=True)
class ModuleStarted(Event):
    module: Module


@dataclass(frozen=True)
class PageViewed(Event):
    module: Module
    page: Page


@dataclass(frozen=True)
class PageLeft(Event):
    """The learner left a page visit: their next action opened a page (another, or the same one
    again). ``seconds`` is the visit's time on task as ``learn.service`` counted it (capped);
    ``at`` is when they left."""

    module: Module
    page: Page
    seconds: float


@dataclass(frozen=True)
class PageCompleted(Event):
    module: Module
    page: Page


@dataclass(frozen=True)
class ModuleProgressed(Event):
    """A page was done and the module is not complete yet: how far through it the learner is."""

    module: Module
    percent: int


@dataclass(frozen=True)
class QuestionAnswered(Event):
    module: Module
    question: Question
    chosen: tuple[str, ...]
    correct: bool
    attempt_id: int
    attempt_number: int | None = None  # the learner's 1st, 2nd... attempt at this quiz


@dataclass(frozen=True)
class QuizSubmitted(Event):
    module: Module
    attempt_id: int
    raw: int
    maximum: int
    pass_mark: int
    passed: bool
    seconds: float
    attempt_number: int | None = None


@dataclass(frozen=True)
class ModuleCompleted(Event):
    module: Module
    seconds: float


@dataclass(frozen=True)
class CourseCompleted(Event):
    seconds: float


@dataclass(frozen=True)
class CertificateIssued(Event):
    """The learner earned the certificate. Its verification code is deliberately not here: it
    is printed beside the learner's name, so it must never reach the learning records."""


@dataclass(frozen=True)
class SurveyAnswer:
    item: SurveyItem
    value: str | tuple[str, ...]


@dataclass(frozen=True)
class SurveySubmitted(Event):
    survey: SurveyFile
    answers: tuple[SurveyAnswer, ...] = field(default=())


@dataclass(frozen=True)
class PageRated(Event):
    """The learner said whether a page helped. A changed answer names the time of the answer it
    replaces (``replaces_at``), so that one is voided; the same answer again is no event."""

    module: Module
    page: Page
    helpful: bool
    replaces_at: datetime | None = None


@dataclass(frozen=True)
class DecisionAnswered(Event):
    """The learner chose what the guide could say at a decision point on a page. ``best`` is
    whether the content marks that choice as the best reply (decided once, here)."""

    module: Module
    page: Page
    decision: DecisionPoint
    choice: str
    best: bool


@dataclass(frozen=True)
class AccountDeleted(Event):
    """The learner's account was deleted; ``learner`` is who they were in learning records until
    then. What they typed is withdrawn from those records."""


Handler = Callable[[Event], None]


def init_app(app: Flask, handlers: list[Handler]) -> None:
    """Every recorded event goes to these handlers, in order."""
    app.extensions[EXTENSION] = list(handlers)


def record(event: Event) -> None:
    """Hand the event to every handler, unless a draft is being previewed."""
    if provider.is_preview():
        return
    if event.revision is None:
        try:
            event = replace(event, revision=provider.revision_id())
        except store.NoContent:
            pass  # a course made in code (tests, tools), not a published revision

    for handler in current_app.extensions[EXTENSION]:
        handler(event)
