"""The one translator from learning events to xAPI statements (the catalogue: docs/xapi.md).

The app factory registers :func:`record_statements` as an event handler, so every event recorded
by a service is turned into its statements and added to the outbox in the same session: the
learner's change and the statements that describe it are committed together or not at all.
Every statement of one event shares one context: the permanent base IRI (``ELEARN_BASE_URL``,
never the request's host), the learner's opaque actor and registration, and the course.

Consent is honoured here, from what the event carries: what a learner wrote in a survey's free
text goes to learning records only if they agreed to the pilot evaluation (page comments never
do), and a reviewer's or admin's page views are not learner activity, so they are not recorded.
"""

import json
from datetime import datetime
from functools import singledispatch

from flask import current_app

from elearn import events as ev
from elearn.content.schema import Course, DecisionPoint, Module, Page, SurveyFile
from elearn.content.schema import Question as ContentQuestion
from elearn.extensions import db
from elearn.feedback import items
from elearn.xapi import statements as xs
from elearn.xapi.models import SENDING, SENT
from elearn.xapi.outbox import about_actor, enqueue


def record_statements(event: ev.Event) -> None:
    """Event handler: add the event's statements to the current transaction's outbox.

    Each statement's id is derived from the event (:func:`statement_id`), so recording the same
    event twice cannot make two statements (the outbox refuses a taken id), and a correction can
    name the statement it voids."""
    base_url = current_app.config["BASE_URL"]
    statements = translate(event, context_for(event, base_url))
    # Two sessions of one learner can end at the same moment ("sign out everywhere"): the
    # session's id tells their statements apart.
    extra = (event.learner.session or "",) if isinstance(event, ev.SessionEnded) else ()
    for statement in statements:
        statement["id"] = statement_id(event.learner, event.at, statement, *extra)
    if statements:
        enqueue(db.session, statements, base_url, fresh=True)


def statement_id(learner: ev.Learner, at: datetime, statement: dict, *extra: str) -> str:
    """The id of the statement with this verb and object made for this learner's event at
    ``at`` (and any ``extra`` parts): the same inputs always give the same id."""
    target = statement["object"]["id"]
    return xs.derived_statement_id(
        learner.opaque_id,
        learner.registration,
        at.isoformat(),
        statement["verb"]["id"],
        target,
        *extra,
    )


def withdraw_typed_text(event: ev.Event) -> None:
    """Event handler: when an account is deleted, the free text the learner typed leaves the
    learning records. Statements not sent yet are dropped; sent ones are voided at the LRS (the
    xAPI way to withdraw a statement); the outbox keeps no copy of either."""
    if not isinstance(event, ev.AccountDeleted):
        return
    base_url = current_app.config["BASE_URL"]
    context = context_for(event, base_url)
    voids = []
    for row in about_actor(event.learner.opaque_id):
        statement = json.loads(row.statement_json)
        definition = statement.get("object", {}).get("definition", {})
        if definition.get("interactionType") != "long-fill-in":
            continue
        if row.state in (SENT, SENDING):
            voids.append(xs.voided(context, statement["id"]))
        db.session.delete(row)
    db.session.flush()
    if voids:
        enqueue(db.session, voids, base_url, fresh=True)


def context_for(event: ev.Event, base_url: str) -> xs.StatementContext:
    learner = xs.Learner(event.learner.opaque_id, event.learner.registration)
    revision = None if event.revision is None else str(event.revision)
    return xs.StatementContext(
        base_url,
        learner,
        course_ref(event.course),
        event.at,
        revision,
        session=event.learner.session,
    )


def course_ref(course: Course) -> xs.ContentRef:
    return xs.ContentRef(course.id, course.title, course.summary)


def module_ref(module: Module) -> xs.ContentRef:
    return xs.ContentRef(module.id, module.title, module.summary)


def page_ref(page: Page) -> xs.ContentRef:
    return xs.ContentRef(page.id, page.title)


def question_ref(question: ContentQuestion) -> xs.Question:
    if question.type == "true-false":
        kind = "true-false"
    else:
        kind = "multiple" if question.multiple else "single"
    text = f"{question.scenario}\n\n{question.text}" if question.scenario else question.text
    return xs.Question(
        id=question.id,
        text=text,
        kind=kind,
        correct=tuple(o.id for o in question.options if o.correct),
        options=tuple(xs.Option(o.id, o.text) for o in question.options),
    )


def survey_ref(survey: SurveyFile) -> xs.ContentRef:
    return xs.ContentRef(survey.id, survey.title, survey.description)


@singledispatch
def translate(event: ev.Event, c: xs.StatementContext) -> list[dict]:
    """The statements that describe one event (none for events the catalogue does not list)."""
    return []


@translate.register
def _(event: ev.Registered, c: xs.StatementContext) -> list[dict]:
    return [xs.registered(c)]


@translate.register
def _(event: ev.Launched, c: xs.StatementContext) -> list[dict]:
    return [xs.launched(c)]


@translate.register
def _(event: ev.ModuleStarted, c: xs.StatementContext) -> list[dict]:
    if event.learner.staff:  # a reviewer or admin looking at the course is not learning
        return []
    return [xs.initialized_module(c, module_ref(event.module))]


@translate.register
def _(event: ev.PageViewed, c: xs.StatementContext) -> list[dict]:
    if event.learner.staff:
        return []
    module, page = module_ref(event.module), page_ref(event.page)
    return [xs.experienced_page(c, module, page)]


@translate.register
def _(event: ev.PageLeft, c: xs.StatementContext) -> list[dict]:
    if event.learner.staff:
        return []
    module, page = module_ref(event.module), page_ref(event.page)
    return [xs.exited_page(c, module, page, event.seconds)]


@translate.register
def _(event: ev.SessionEnded, c: xs.StatementContext) -> list[dict]:
    if event.learner.staff or event.learner.session is None:  # staff sessions are not learning
        return []
    return [xs.terminated(c, event.seconds)]


@translate.register
def _(event: ev.ModuleProgressed, c: xs.StatementContext) -> list[dict]:
    module = module_ref(event.module)
    return [xs.progressed(c, module, event.percent)]


def _response(question: ContentQuestion, chosen: tuple[str, ...]) -> str | bool | list[str]:
    if question.type == "true-false":
        return chosen[0] == "true"
    return list(chosen) if question.multiple else chosen[0]


@translate.register
def _(event: ev.QuestionAnswered, c: xs.StatementContext) -> list[dict]:
    question = question_ref(event.question)
    response = _response(event.question, event.chosen)
    module = module_ref(event.module)
    return [
        xs.answered_question(
            c,
            module,
            question,
            response,
            success=event.correct,
            attempt_id=attempt_ref(event.learner, event.module, event.attempt_id),
            attempt_number=event.attempt_number,
            objectives=outcome_refs(event.module, event.question),
        )
    ]


def outcome_refs(module: Module, question: ContentQuestion) -> tuple[xs.ContentRef, ...]:
    """The module's learning outcome the question tests (none if the content lost it)."""
    return tuple(
        xs.ContentRef(o.id, f"{module.title}: outcome {o.id}", f"Learners can {o.text}")
        for o in module.outcomes
        if o.id == question.outcome
    )


def attempt_ref(learner: ev.Learner, module: Module, attempt_id: int) -> str:
    """The attempt-id extension: a UUID made from the attempt, not our database key."""
    return xs.derived_statement_id(
        "quiz-attempt", learner.opaque_id, learner.registration, module.id, str(attempt_id)
    )


@translate.register
def _(event: ev.QuizSubmitted, c: xs.StatementContext) -> list[dict]:
    result = xs.QuizResult(
        raw=event.raw,
        max_score=event.maximum,
        pass_mark=event.pass_mark / 100,
        attempt_id=attempt_ref(event.learner, event.module, event.attempt_id),
        duration_seconds=event.seconds,
        attempt_number=event.attempt_number,
    )
    build = xs.passed_quiz if event.passed else xs.failed_quiz
    return [build(c, module_ref(event.module), result)]


@translate.register
def _(event: ev.ModuleCompleted, c: xs.StatementContext) -> list[dict]:
    module = module_ref(event.module)
    return [xs.completed_module(c, module, event.seconds)]


@translate.register
def _(event: ev.CourseCompleted, c: xs.StatementContext) -> list[dict]:
    return [xs.completed_course(c, event.seconds)]


@translate.register
def _(event: ev.CertificateIssued, c: xs.StatementContext) -> list[dict]:
    return [xs.earned_certificate(c)]


@translate.register
def _(event: ev.SurveySubmitted, c: xs.StatementContext) -> list[dict]:
    survey = survey_ref(event.survey)
    statements = []
    for answer in event.answers:
        item = answer.item
        if item.type == "free-text" and not event.learner.consented:
            continue
        ref = xs.SurveyItem(
            id=item.id,
            text=item.text,
            kind=item.type,
            options=tuple(xs.Option(i, t) for i, t in items.scale(item)),
        )
        value = list(answer.value) if isinstance(answer.value, tuple) else answer.value
        statements.append(xs.answered_survey_item(c, survey, ref, value))
    statements.append(xs.completed_survey(c, survey))
    return statements


@translate.register
def _(event: ev.PageRated, c: xs.StatementContext) -> list[dict]:
    module, page = module_ref(event.module), page_ref(event.page)
    answer = xs.answered_page_helpful(c, module, page, event.helpful)
    if event.replaces_at is None:
        return [answer]
    # A changed answer (rule 18): void the earlier one, named by the id its event gave it.
    earlier = statement_id(event.learner, event.replaces_at, answer)
    return [xs.voided(c, earlier), answer]


def decision_ref(decision: DecisionPoint) -> xs.Question:
    return xs.Question(
        id=decision.id,
        text=decision.question,
        kind="single",
        correct=tuple(c.id for c in decision.choices if c.best),
        options=tuple(xs.Option(c.id, c.text) for c in decision.choices),
        description=f"{decision.title}: {decision.situation}",
    )


@translate.register
def _(event: ev.DecisionAnswered, c: xs.StatementContext) -> list[dict]:
    if event.learner.staff:  # a reviewer or admin trying a decision point is not learning
        return []
    module, page = module_ref(event.module), page_ref(event.page)
    decision = decision_ref(event.decision)
    return [xs.answered_decision(c, module, page, decision, event.choice, success=event.best)]
