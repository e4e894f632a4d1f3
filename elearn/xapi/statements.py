"""xAPI statement builders: one pure function per event in the catalogue.

Every builder returns the statement as a plain ``dict`` (JSON-ready): ``statement["id"]`` is its
id. Nothing is serialised here; :func:`elearn.xapi.outbox.enqueue` validates the dict and
serialises it exactly once, and those bytes are what the sender posts (rule 16).

The statement objects are made with ``tincan`` (TinCanPython) and turned into a dict with
``as_version()``, then three things tincan gets wrong for us are set by our own code:

- ``version`` is cleared (rule 13: tincan would add ``"1.0.3"``, which a client must not send);
- ``timestamp`` is the event time in UTC with millisecond precision and a ``Z`` (rule 2);
- ``result.duration`` comes from :func:`format_duration` (rule 14).

Builders are pure apart from the new statement id (a random lowercase UUIDv4, rule 1) and, when no
``when`` is given, the clock. Inputs are plain values: a :class:`Learner` (opaque id and the
registration of their course enrolment), the permanent ``base_url`` (``ELEARN_BASE_URL``, never the
request's host), stable content ids with their display titles (:class:`ContentRef`,
:class:`Question`, :class:`SurveyItem`) and the event time. Wrong inputs (an unknown option id, a
naive datetime, a negative duration, progress outside 0-100) raise ``ValueError``: they are bugs in
the caller.

A question whose correct answer changes must get a new id from the content (rule 5), because the
correct-responses pattern is part of the activity's definition.
"""

import hashlib
import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from tincan import (
    Activity,
    ActivityDefinition,
    ActivityList,
    Agent,
    AgentAccount,
    Context,
    ContextActivities,
    Extensions,
    InteractionComponent,
    InteractionComponentList,
    LanguageMap,
    Result,
    Score,
    Statement,
    StatementRef,
    Verb,
)

from elearn.config import FREE_TEXT_LIMIT

LANGUAGE = "en-GB"
PLATFORM = "Health Data Guides"
PROGRESS_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/progress"
# cmi5's pass mark, scaled 0-1, on passed/failed (sent beside our own pass-mark extension).
MASTERY_SCORE_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
RESPONSE_SEPARATOR = "[,]"
# cmi5's session id: every statement a learner makes while signed in carries the id of that
# sign-in session (a random UUID of ours, never the cookie's key).
SESSION_ID_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"

VERBS = {
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "progressed": "http://adlnet.gov/expapi/verbs/progressed",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "earned": "http://id.tincanapi.com/verb/earned",
    "voided": "http://adlnet.gov/expapi/verbs/voided",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "exited": "http://adlnet.gov/expapi/verbs/exited",
}

ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "page": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "survey": "http://id.tincanapi.com/activitytype/survey",
    "certificate": "http://id.tincanapi.com/activitytype/certificate",
    "profile": "http://adlnet.gov/expapi/activities/profile",
    "objective": "http://adlnet.gov/expapi/activities/objective",
}

QUESTION_KINDS = ("single", "multiple", "true-false")
# Survey item kinds, as the content schema names them, and the interaction each becomes.
SURVEY_ITEM_KINDS = {
    "likert": "likert",  # answered with one scale id
    "rating": "likert",  # a rating scale is a Likert scale of its points
    "single": "choice",  # one option id; no correct answer
    "multiple": "choice",  # option ids, sorted and joined with "[,]"; no correct answer
    "free-text": "long-fill-in",  # the learner's text, capped
    "text": "long-fill-in",
}

# Content ids become path segments of permanent IRIs: keep them plain.
_CONTENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Interaction component ids go into responses joined by "[,]": no spaces, no brackets.
_COMPONENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# C0 control characters other than tab and newline, and DEL: never useful in a learner's answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Learner:
    """Who the statement is about, as the LRS may know them.

    ``opaque_id`` is the random UUID stored on the user (``User.opaque_id``), never the email or
    primary key; ``registration`` is the UUID of the learner's course enrolment (rule 9).
    """

    opaque_id: str
    registration: str


@dataclass(frozen=True)
class ContentRef:
    """A course, module, page or survey: its stable id and display title.

    ``description`` defaults to the title.
    """

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Option:
    """An interaction component: a quiz option or a Likert scale point (id and display text)."""

    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """A quiz question. ``kind`` is "single", "multiple" or "true-false".

    ``correct`` holds the ids of the correct options ("true" or "false" for true/false questions,
    which need no ``options``).
    """

    id: str
    text: str
    kind: str
    correct: tuple[str, ...]
    options: tuple[Option, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class SurveyItem:
    """A survey item. ``kind`` is one of the content schema's item types: "likert" or "rating"
    (``options`` are the scale points), "single" or "multiple" (``options`` are the choices; there
    is no correct answer) or "free-text" (no options)."""

    id: str
    text: str
    kind: str
    options: tuple[Option, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class StatementContext:
    """What every statement of one event shares: the permanent ``base_url``
    (``ELEARN_BASE_URL``, never the request's host), the learner, the course and the event time
    (``None``: now)."""

    base_url: str
    learner: Learner
    course: ContentRef
    when: datetime | None = None
    # The published content revision the learner was using (``context.revision``; xAPI allows it
    # only when the object is an Activity, so a voiding statement has none).
    revision: str | None = None
    # The learner's sign-in session (cmi5's session id extension), when they were signed in.
    session: str | None = None


@dataclass
class _Parts:
    """What differs between events; the rest is the same for every statement."""

    verb: str
    object: Activity | StatementRef
    result: Result | None = None
    duration: str | None = None
    parent: list[Activity] = field(default_factory=list)
    grouping: list[Activity] = field(default_factory=list)
    extensions: dict | None = None
    category: list[Activity] = field(default_factory=list)  # beside our profile


# -- formatting helpers -------------------------------------------------------------------------


def format_duration(seconds: float) -> str:
    """An ISO 8601 duration in seconds, rounded to 0.01 s: 390 → "PT390S", 12.345 → "PT12.35S".

    Raises ``ValueError`` for negative, infinite or non-numeric values.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ValueError(f"duration must be a number of seconds, not {seconds!r}")
    if not math.isfinite(seconds):
        raise ValueError(f"duration must be finite, not {seconds!r}")
    try:
        rounded = Decimal(str(seconds)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise ValueError(f"duration is out of range: {seconds!r}") from error
    if rounded < 0:
        raise ValueError(f"duration must not be negative, not {seconds!r}")
    text = format(abs(rounded), "f").rstrip("0").rstrip(".")
    return f"PT{text}S"


def format_timestamp(when: datetime) -> str:
    """UTC, RFC 3339, millisecond precision: ``2026-03-01T10:15:30.123Z`` (truncated, not rounded,
    so it is never later than the event)."""
    if when.tzinfo is None:
        raise ValueError("naive datetime given; use datetime.now(UTC)")
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def cap_text(text: str, limit: int = FREE_TEXT_LIMIT) -> str:
    """A learner's free text made safe for a statement: control characters and unpaired
    surrogates removed, ends trimmed, "[,]" (the xAPI response separator) broken up, and capped
    at ``limit`` characters (rule 19)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub("", text).strip()
    text = text.replace(RESPONSE_SEPARATOR, "[ ,]")
    return text[:limit].rstrip()


def new_statement_id() -> str:
    """A lowercase UUIDv4 (rule 1)."""
    return str(uuid.uuid4())


def derived_statement_id(*parts: str) -> str:
    """A lowercase UUID in version-4 form made from ``parts`` (rule 1): the same event always
    gives the same id, so recording or replaying it again cannot make a second statement, and
    a later correction can name the statement it voids without looking it up."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


# -- identifiers --------------------------------------------------------------------------------


def _root(base_url: str) -> str:
    base = base_url.rstrip("/")
    if not re.match(r"^https?://[^\s/]+", base):
        raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
    return base


def _segment(kind: str, value: str) -> str:
    if not isinstance(value, str) or not _CONTENT_ID.match(value):
        raise ValueError(f"{kind} id {value!r} must be letters, digits, '.', '_' or '-'")
    return value


def course_iri(base_url: str, course_id: str) -> str:
    return f"{_root(base_url)}/xapi/activities/course/{_segment('course', course_id)}"


def module_iri(base_url: str, course_id: str, module_id: str) -> str:
    return f"{course_iri(base_url, course_id)}/module/{_segment('module', module_id)}"


def page_iri(base_url: str, course_id: str, module_id: str, page_id: str) -> str:
    return f"{module_iri(base_url, course_id, module_id)}/page/{_segment('page', page_id)}"


def helpful_iri(base_url: str, course_id: str, module_id: str, page_id: str) -> str:
    return f"{page_iri(base_url, course_id, module_id, page_id)}/helpful"


def decision_iri(
    base_url: str, course_id: str, module_id: str, page_id: str, decision_id: str
) -> str:
    page = page_iri(base_url, course_id, module_id, page_id)
    return f"{page}/decision/{_segment('decision point', decision_id)}"


def quiz_iri(base_url: str, course_id: str, module_id: str) -> str:
    return f"{module_iri(base_url, course_id, module_id)}/quiz"


def question_iri(base_url: str, course_id: str, module_id: str, question_id: str) -> str:
    quiz = quiz_iri(base_url, course_id, module_id)
    return f"{quiz}/question/{_segment('question', question_id)}"


def survey_iri(base_url: str, survey_id: str) -> str:
    return f"{_root(base_url)}/xapi/activities/survey/{_segment('survey', survey_id)}"


def survey_item_iri(base_url: str, survey_id: str, item_id: str) -> str:
    return f"{survey_iri(base_url, survey_id)}/item/{_segment('survey item', item_id)}"


def certificate_iri(base_url: str, course_id: str) -> str:
    return f"{_root(base_url)}/xapi/activities/certificate/{_segment('course', course_id)}"


def objective_iri(base_url: str, course_id: str, module_id: str, outcome_id: str) -> str:
    """A module's learning outcome, as an xAPI objective."""
    module = module_iri(base_url, course_id, module_id)
    return f"{module}/objective/{_segment('outcome', outcome_id)}"


def profile_iri(base_url: str) -> str:
    return f"{_root(base_url)}/xapi/profile/v1"


def extension_iri(base_url: str, name: str) -> str:
    return f"{_root(base_url)}/xapi/ext/{name}"


# -- tincan objects -----------------------------------------------------------------------------


def _lang(text: str) -> LanguageMap:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"display text must be a non-empty string, not {text!r}")
    return LanguageMap({LANGUAGE: text.strip()})


def _activity(iri: str, kind: str, name: str, description: str | None, **extra) -> Activity:
    definition = ActivityDefinition(
        type=ACTIVITY_TYPES[kind],
        name=_lang(name),
        description=_lang(description or name),
        **extra,
    )
    return Activity(id=iri, object_type="Activity", definition=definition)


def _components(options: Sequence[Option]) -> InteractionComponentList:
    ids = [option.id for option in options]
    for option_id in ids:
        if not isinstance(option_id, str) or not _COMPONENT_ID.match(option_id):
            raise ValueError(f"component id {option_id!r} must be letters, digits, '.', '_', '-'")
    if len(set(ids)) != len(ids):
        raise ValueError(f"component ids must be unique: {ids}")
    return InteractionComponentList(
        [InteractionComponent(id=option.id, description=_lang(option.text)) for option in options]
    )


def _course(base_url: str, course: ContentRef) -> Activity:
    return _activity(course_iri(base_url, course.id), "course", course.title, course.description)


def _module(base_url: str, course: ContentRef, module: ContentRef) -> Activity:
    iri = module_iri(base_url, course.id, module.id)
    return _activity(iri, "module", module.title, module.description)


def _page(base_url: str, course: ContentRef, module: ContentRef, page: ContentRef) -> Activity:
    iri = page_iri(base_url, course.id, module.id, page.id)
    return _activity(iri, "page", page.title, page.description)


def _quiz(base_url: str, course: ContentRef, module: ContentRef) -> Activity:
    iri = quiz_iri(base_url, course.id, module.id)
    return _activity(
        iri, "quiz", f"{module.title}: quiz", f"The end-of-module quiz for {module.title}"
    )


def _survey(base_url: str, survey: ContentRef) -> Activity:
    return _activity(survey_iri(base_url, survey.id), "survey", survey.title, survey.description)


def _learner_agent(base_url: str, learner: Learner) -> Agent:
    if not isinstance(learner.opaque_id, str) or not _UUID.match(learner.opaque_id):
        raise ValueError("the learner's opaque id must be a lowercase UUID")
    return Agent(
        object_type="Agent",
        account=AgentAccount(home_page=_root(base_url), name=learner.opaque_id),
    )


def _event_time(when: datetime | None) -> datetime:
    now = datetime.now(UTC)
    if when is None:
        return now
    if when.tzinfo is None:
        raise ValueError("naive datetime given; use datetime.now(UTC)")
    return min(when.astimezone(UTC), now)  # never in the future (rule 2)


def _build(c: StatementContext, parts: _Parts) -> dict:
    """Assemble the statement with tincan, then apply our id, timestamp, duration and version."""
    base_url, learner, when = c.base_url, c.learner, c.when
    if not isinstance(learner.registration, str) or not _UUID.match(learner.registration):
        raise ValueError("the registration must be a lowercase UUID")
    timestamp = format_timestamp(_event_time(when))
    is_activity = isinstance(parts.object, Activity)
    profile = Activity(
        id=profile_iri(base_url),
        object_type="Activity",
        definition=ActivityDefinition(type=ACTIVITY_TYPES["profile"]),
    )
    context_activities = ContextActivities(category=ActivityList([profile, *parts.category]))
    extensions = dict(parts.extensions or {})
    if c.session is not None:
        if not isinstance(c.session, str) or not _UUID.match(c.session):
            raise ValueError("the session id must be a lowercase UUID")
        extensions[SESSION_ID_EXTENSION] = c.session
    if parts.parent:
        context_activities.parent = ActivityList(parts.parent)
    if parts.grouping:
        context_activities.grouping = ActivityList(parts.grouping)
    context = Context(
        registration=learner.registration,
        language=LANGUAGE,
        # xAPI 1.0.3 allows `platform` only when the object is an Activity (not a StatementRef).
        platform=PLATFORM if is_activity else None,
        context_activities=context_activities,
        extensions=Extensions(extensions) if extensions else None,
        revision=c.revision if is_activity and c.revision else None,
    )
    statement = Statement(
        id=new_statement_id(),
        actor=_learner_agent(base_url, learner),
        verb=Verb(id=VERBS[parts.verb], display=_lang(parts.verb)),
        object=parts.object,
        result=parts.result,
        context=context,
    )
    statement.version = None  # rule 13
    data = statement.as_version()
    data.pop("version", None)
    score = data.get("result", {}).get("score")
    if score:  # tincan makes floats of whole numbers; keep raw/min/max as given
        for key in ("raw", "min", "max"):
            if isinstance(score.get(key), float) and score[key].is_integer():
                score[key] = int(score[key])
    if parts.duration is not None:
        data.setdefault("result", {})["duration"] = parts.duration
    ordered = {"id": data["id"], "timestamp": timestamp}
    for key in ("actor", "verb", "object", "result", "context"):
        if key in data:
            ordered[key] = data[key]
    return ordered


def _score(raw: int, max_score: int) -> Score:
    for name, value in (("raw", raw), ("max", max_score)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"score {name} must be an integer, not {value!r}")
    if max_score <= 0 or not 0 <= raw <= max_score:
        raise ValueError(f"score must satisfy 0 <= raw <= max and max > 0 ({raw}/{max_score})")
    return Score(scaled=round(raw / max_score, 4), raw=raw, min=0, max=max_score)


def _duration(seconds: float | None, required: bool) -> str | None:
    if seconds is None:
        if required:
            raise ValueError("this event needs a duration in seconds")
        return None
    return format_duration(seconds)


# -- the catalogue ------------------------------------------------------------------------------
# Each builder takes the event's StatementContext and only what differs for its event.


def registered(c: StatementContext) -> dict:
    """Joined the course: starts the enrolment whose registration is ``learner.registration``."""
    return _build(c, _Parts("registered", _course(c.base_url, c.course)))


def launched(c: StatementContext) -> dict:
    """Opened the course."""
    return _build(c, _Parts("launched", _course(c.base_url, c.course)))


def initialized_module(c: StatementContext, module: ContentRef) -> dict:
    """Started a module."""
    parts = _Parts(
        "initialized",
        _module(c.base_url, c.course, module),
        parent=[_course(c.base_url, c.course)],
    )
    return _build(c, parts)


def experienced_page(
    c: StatementContext,
    module: ContentRef,
    page: ContentRef,
    duration_seconds: float | None = None,
) -> dict:
    """Viewed a page; ``duration_seconds`` only if it was measured."""
    parts = _Parts(
        "experienced",
        _page(c.base_url, c.course, module, page),
        duration=_duration(duration_seconds, required=False),
        parent=[_module(c.base_url, c.course, module)],
        grouping=[_course(c.base_url, c.course)],
    )
    return _build(c, parts)


def progressed(c: StatementContext, module: ContentRef, progress: int) -> dict:
    """Progressed in a module: ``progress`` is a whole percentage, 0-100. Not sent after the
    module is completed (the caller knows)."""
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValueError(f"progress must be an integer from 0 to 100, not {progress!r}")
    parts = _Parts(
        "progressed",
        _module(c.base_url, c.course, module),
        result=Result(extensions=Extensions({PROGRESS_EXTENSION: progress})),
        parent=[_course(c.base_url, c.course)],
    )
    return _build(c, parts)


def _question_response(question: Question, response: str | bool | Sequence[str]) -> str:
    if question.kind == "true-false":
        if isinstance(response, bool):
            response = "true" if response else "false"
        if response not in ("true", "false"):
            raise ValueError(f"a true/false response must be 'true' or 'false', not {response!r}")
        return response
    if isinstance(response, bool):
        raise ValueError(f"a {question.kind} response is option ids, not {response!r}")
    ids = [response] if isinstance(response, str) else list(response)
    known = {option.id for option in question.options}
    if not ids or any(option_id not in known for option_id in ids) or len(set(ids)) != len(ids):
        raise ValueError(f"response {ids!r} must be distinct option ids from {sorted(known)}")
    if question.kind == "single" and len(ids) != 1:
        raise ValueError("a single-choice response must be exactly one option id")
    return RESPONSE_SEPARATOR.join(sorted(ids))


def _question_activity(base_url: str, course: ContentRef, module: ContentRef, q: Question):
    if q.kind not in QUESTION_KINDS:
        raise ValueError(f"question kind must be one of {QUESTION_KINDS}, not {q.kind!r}")
    iri = question_iri(base_url, course.id, module.id, q.id)
    if q.kind == "true-false":
        if len(q.correct) != 1 or q.correct[0] not in ("true", "false"):
            raise ValueError("a true/false question's correct answer must be 'true' or 'false'")
        return _activity(
            iri,
            "interaction",
            q.text,
            q.description,
            interaction_type="true-false",
            correct_responses_pattern=[q.correct[0]],
        )
    choices = _components(q.options)
    known = {option.id for option in q.options}
    correct = sorted(set(q.correct))
    if not correct or not set(correct) <= known:
        raise ValueError(f"correct answers {q.correct!r} must be option ids from {sorted(known)}")
    if q.kind == "single" and len(correct) != 1:
        raise ValueError("a single-choice question has exactly one correct option")
    return _activity(
        iri,
        "interaction",
        q.text,
        q.description,
        interaction_type="choice",
        correct_responses_pattern=[RESPONSE_SEPARATOR.join(correct)],
        choices=choices,
    )


def answered_question(
    c: StatementContext,
    module: ContentRef,
    question: Question,
    response: str | bool | Sequence[str],
    *,
    success: bool,
    attempt_id: str | int,
    include_score: bool = True,
    attempt_number: int | None = None,
    objectives: Sequence[ContentRef] = (),
) -> dict:
    """Answered a quiz question. ``response`` is the chosen option id (single), the chosen ids
    (multiple) or True/False ("true"/"false"); ``success`` is whether it was right, as scoring
    decided it (never worked out again here). A 0/1 score is added unless ``include_score`` is
    False."""
    base = c.base_url
    activity = _question_activity(base, c.course, module, question)
    answer = _question_response(question, response)
    result = Result(response=answer, success=success)
    if include_score:
        result.score = _score(1 if success else 0, 1)
    parts = _Parts(
        "answered",
        activity,
        result=result,
        parent=[_quiz(base, c.course, module)],
        grouping=[_module(base, c.course, module), _course(base, c.course)],
        extensions={
            extension_iri(base, "attempt-id"): _attempt(attempt_id),
            **_attempt_number(base, attempt_number),
        },
        category=[_objective(base, c.course, module, outcome) for outcome in objectives],
    )
    return _build(c, parts)


def _objective(base_url: str, course: ContentRef, module: ContentRef, outcome: ContentRef):
    """A learning outcome the question tests, linked in ``contextActivities.category``."""
    iri = objective_iri(base_url, course.id, module.id, outcome.id)
    return _activity(iri, "objective", outcome.title, outcome.description)


def _attempt_number(base_url: str, number: int | None) -> dict:
    """The attempt-number extension (1 for a learner's first attempt at a quiz), if known."""
    if number is None:
        return {}
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"attempt_number must be a whole number from 1, not {number!r}")
    return {extension_iri(base_url, "attempt-number"): number}


def _attempt(attempt_id: str | int) -> str:
    if isinstance(attempt_id, int) and not isinstance(attempt_id, bool):
        return str(attempt_id)
    if not isinstance(attempt_id, str) or not attempt_id.strip():
        raise ValueError("attempt_id must be a non-empty string or an integer")
    return attempt_id


@dataclass(frozen=True)
class QuizResult:
    """A submitted attempt's decided result: ``pass_mark`` is scaled, 0-1 (0.8 for 80%)."""

    raw: int
    max_score: int
    pass_mark: float
    attempt_id: str | int
    duration_seconds: float
    attempt_number: int | None = None


def _quiz_result(verb: str, c: StatementContext, module: ContentRef, quiz: QuizResult) -> dict:
    pass_mark = quiz.pass_mark
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int | float):
        raise ValueError(f"pass_mark must be a number from 0 to 1, not {pass_mark!r}")
    if not 0 <= pass_mark <= 1:
        raise ValueError(f"pass_mark is scaled: a number from 0 to 1 (0.8 = 80%), not {pass_mark}")
    score = _score(quiz.raw, quiz.max_score)
    passed = Fraction(quiz.raw, quiz.max_score) >= Fraction(str(pass_mark))
    if passed != (verb == "passed"):
        score_text = f"{quiz.raw}/{quiz.max_score}"
        raise ValueError(f"{score_text} against pass mark {pass_mark} is not '{verb}'")
    base = c.base_url
    parts = _Parts(
        verb,
        _quiz(base, c.course, module),
        result=Result(score=score, success=passed, completion=True),
        duration=_duration(quiz.duration_seconds, required=True),
        parent=[_module(base, c.course, module)],
        grouping=[_course(base, c.course)],
        extensions={
            extension_iri(base, "attempt-id"): _attempt(quiz.attempt_id),
            extension_iri(base, "pass-mark"): pass_mark,
            MASTERY_SCORE_EXTENSION: pass_mark,
            **_attempt_number(base, quiz.attempt_number),
        },
    )
    return _build(c, parts)


def passed_quiz(c: StatementContext, module: ContentRef, quiz: QuizResult) -> dict:
    """Passed a module's quiz (one per attempt); ``raw / max_score`` must reach the pass mark."""
    return _quiz_result("passed", c, module, quiz)


def failed_quiz(c: StatementContext, module: ContentRef, quiz: QuizResult) -> dict:
    """Failed a module's quiz (one per attempt); ``raw / max_score`` is below the pass mark."""
    return _quiz_result("failed", c, module, quiz)


def completed_module(c: StatementContext, module: ContentRef, duration_seconds: float) -> dict:
    """Completed a module."""
    parts = _Parts(
        "completed",
        _module(c.base_url, c.course, module),
        result=Result(completion=True),
        duration=_duration(duration_seconds, required=True),
        parent=[_course(c.base_url, c.course)],
    )
    return _build(c, parts)


def _survey_item_activity(base_url: str, survey: ContentRef, item: SurveyItem) -> Activity:
    iri = survey_item_iri(base_url, survey.id, item.id)
    interaction = SURVEY_ITEM_KINDS.get(item.kind)
    if interaction is None:
        raise ValueError(f"survey item kind must be one of {list(SURVEY_ITEM_KINDS)}")
    if interaction == "long-fill-in":
        return _activity(
            iri, "interaction", item.text, item.description, interaction_type="long-fill-in"
        )
    if not item.options:
        raise ValueError(f"a {item.kind} survey item needs its options")
    components = {"likert": "scale", "choice": "choices"}[interaction]
    return _activity(
        iri,
        "interaction",
        item.text,
        item.description,
        interaction_type=interaction,
        **{components: _components(item.options)},
    )


def _survey_response(item: SurveyItem, response: str | Sequence[str]) -> str:
    interaction = SURVEY_ITEM_KINDS[item.kind]
    if interaction == "long-fill-in":
        answer = cap_text(response if isinstance(response, str) else "")
        if not answer:
            raise ValueError("a blank free-text answer is not sent")
        return answer
    known = {option.id for option in item.options}
    ids = [response] if isinstance(response, str) else list(response)
    if not ids or any(i not in known for i in ids) or len(set(ids)) != len(ids):
        raise ValueError(f"response {ids!r} must be distinct ids from {sorted(known)}")
    if item.kind != "multiple" and len(ids) != 1:
        raise ValueError(f"a {item.kind} item is answered with exactly one id")
    return RESPONSE_SEPARATOR.join(sorted(ids))


def answered_survey_item(
    c: StatementContext, survey: ContentRef, item: SurveyItem, response: str | Sequence[str]
) -> dict:
    """Answered a survey item: a scale id (likert, rating), option ids (single, multiple) or the
    learner's text (free-text; capped at 2,000 characters, and a blank answer is not an answer:
    it raises ``ValueError``). Survey items have no correct answer, so no ``success``."""
    parts = _Parts(
        "answered",
        _survey_item_activity(c.base_url, survey, item),
        result=Result(response=_survey_response(item, response)),
        parent=[_survey(c.base_url, survey)],
        grouping=[_course(c.base_url, c.course)],
    )
    return _build(c, parts)


def completed_survey(c: StatementContext, survey: ContentRef) -> dict:
    """Submitted a survey."""
    parts = _Parts(
        "completed",
        _survey(c.base_url, survey),
        result=Result(completion=True),
        grouping=[_course(c.base_url, c.course)],
    )
    return _build(c, parts)


def answered_page_helpful(
    c: StatementContext, module: ContentRef, page: ContentRef, helpful: bool
) -> dict:
    """Said whether a page helped (the page's "Was this page helpful?" prompt)."""
    if not isinstance(helpful, bool):
        raise ValueError(f"helpful must be True or False, not {helpful!r}")
    base, course = c.base_url, c.course
    activity = _activity(
        helpful_iri(base, course.id, module.id, page.id),
        "interaction",
        "Was this page helpful?",
        f"Whether the page '{page.title}' was helpful",
        interaction_type="true-false",
    )
    parts = _Parts(
        "answered",
        activity,
        result=Result(response="true" if helpful else "false"),
        parent=[_page(base, course, module, page)],
        grouping=[_module(base, course, module), _course(base, course)],
    )
    return _build(c, parts)


def completed_course(c: StatementContext, duration_seconds: float) -> dict:
    """Completed the course."""
    parts = _Parts(
        "completed",
        _course(c.base_url, c.course),
        result=Result(completion=True),
        duration=_duration(duration_seconds, required=True),
    )
    return _build(c, parts)


def terminated(c: StatementContext, duration_seconds: float) -> dict:
    """A sign-in session ended (signed out, ended from elsewhere or timed out): its duration
    runs from sign-in to the learner's last activity. The statement carries the session's id."""
    if c.session is None:
        raise ValueError("terminated needs the session id")
    parts = _Parts(
        "terminated",
        _course(c.base_url, c.course),
        duration=_duration(duration_seconds, required=True),
    )
    return _build(c, parts)


def exited_page(
    c: StatementContext, module: ContentRef, page: ContentRef, duration_seconds: float
) -> dict:
    """Left a page visit (the learner's next action opened a page): the visit's time on task."""
    parts = _Parts(
        "exited",
        _page(c.base_url, c.course, module, page),
        duration=_duration(duration_seconds, required=True),
        parent=[_module(c.base_url, c.course, module)],
        grouping=[_course(c.base_url, c.course)],
    )
    return _build(c, parts)


def earned_certificate(c: StatementContext) -> dict:
    """Earned the course certificate. It carries no certificate number or verification code: a
    code printed beside the learner's name would tie a shared certificate to their records."""
    base, course = c.base_url, c.course
    certificate = _activity(
        certificate_iri(base, course.id),
        "certificate",
        f"{course.title}: certificate",
        f"The certificate for completing {course.title}",
    )
    parts = _Parts("earned", certificate, grouping=[_course(base, course)])
    return _build(c, parts)


def voided(c: StatementContext, statement_id: str) -> dict:
    """Voids an earlier statement of this learner's enrolment (rule 18): enqueue it together with
    the corrected statement. Has no ``context.platform``: xAPI allows it only for Activities."""
    if not isinstance(statement_id, str) or not _UUID.match(statement_id):
        raise ValueError(f"statement_id must be a lowercase UUID, not {statement_id!r}")
    target = StatementRef(object_type="StatementRef", id=statement_id)
    return _build(c, _Parts("voided", target))


def answered_decision(
    c: StatementContext,
    module: ContentRef,
    page: ContentRef,
    decision: Question,
    response: str,
    *,
    success: bool,
) -> dict:
    """Chose a reply at a decision point on a page (practice, so no score). ``decision`` is a
    single-choice question whose ``correct`` is the best reply; ``success`` is whether the chosen
    reply is that one, as the content decided it."""
    if decision.kind != "single":
        raise ValueError("a decision point is a single-choice interaction")
    base, course = c.base_url, c.course
    choices = _components(decision.options)
    known = {option.id for option in decision.options}
    if len(decision.correct) != 1 or decision.correct[0] not in known:
        raise ValueError(f"the best reply {decision.correct!r} must be one of {sorted(known)}")
    if response not in known:
        raise ValueError(f"response {response!r} must be one of {sorted(known)}")
    activity = _activity(
        decision_iri(base, course.id, module.id, page.id, decision.id),
        "interaction",
        decision.text,
        decision.description,
        interaction_type="choice",
        correct_responses_pattern=[decision.correct[0]],
        choices=choices,
    )
    parts = _Parts(
        "answered",
        activity,
        result=Result(response=response, success=success),
        parent=[_page(base, course, module, page)],
        grouping=[_module(base, course, module), _course(base, course)],
    )
    return _build(c, parts)
