"""Helpers shared by the learning-records integration tests."""

from sqlalchemy import select, update

from elearn.db import utcnow
from elearn.extensions import db
from elearn.xapi import circuit
from elearn.xapi import statements as xs
from elearn.xapi.models import OutboxStatement, SenderStatus
from elearn.xapi.outbox import enqueue
from elearn.xapi.sender import send_once
from tests.unit.xapi.examples import COURSE, MODULE, PAGE, H, journey, new_learner


def record(app, count: int) -> list[str]:
    """Enqueue and commit ``count`` page views; returns their statement ids, oldest first."""
    learner = new_learner()
    with app.app_context():
        made = [
            xs.experienced_page(xs.StatementContext(H, learner, COURSE), MODULE, PAGE, n)
            for n in range(count)
        ]
        enqueue(db.session, made)
        db.session.commit()
    return [statement["id"] for statement in made]


def record_journey(app) -> list[dict]:
    with app.app_context():
        made = journey()
        enqueue(db.session, made)
        db.session.commit()
    return made


def rows(app) -> dict[str, OutboxStatement]:
    """Every outbox row by statement id, read fresh."""
    with app.app_context():
        found = {row.statement_id: row for row in db.session.scalars(select(OutboxStatement))}
        db.session.expunge_all()
        return found


def states(app) -> dict[str, str]:
    return {statement_id: row.state for statement_id, row in rows(app).items()}


def make_due(app) -> None:
    """Time passes: every waiting statement and the circuit are due now (instead of sleeping
    through the backoff); the circuit keeps its state and failure count."""
    with app.app_context():
        db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.state == "pending")
            .values(next_attempt_at=utcnow())
        )
        current, stored = circuit.load()
        if stored is not None and current.until is not None:
            due = circuit.Circuit(
                current.state, current.failures, utcnow(), current.since, current.reason
            )
            db.session.execute(
                update(SenderStatus)
                .where(SenderStatus.key == circuit.CIRCUIT)
                .values(value=due.to_json())
            )
        db.session.commit()


def circuit_state(app) -> circuit.Circuit:
    with app.app_context():
        return circuit.load()[0]


def drain(app, rounds: int = 30):
    """Send until nothing is waiting, skipping the backoff waits; returns the summaries."""
    summaries = []
    for _ in range(rounds):
        summaries.append(send_once(app))
        if "pending" not in states(app).values():
            return summaries
        make_due(app)
    raise AssertionError(f"still pending after {rounds} rounds: {summaries}")
