"""Helpers shared by the learning-records integration tests."""

from sqlalchemy import select, update

from elearn.db import utcnow
from elearn.extensions import db
from elearn.xapi import statements as xs
from elearn.xapi.models import OutboxStatement
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
    """Time passes: every waiting statement is due now (instead of sleeping through backoff)."""
    with app.app_context():
        db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.state == "pending")
            .values(next_attempt_at=utcnow())
        )
        db.session.commit()


def drain(app, rounds: int = 30):
    """Send until nothing is waiting, skipping the backoff waits; returns the summaries."""
    summaries = []
    for _ in range(rounds):
        summaries.append(send_once(app))
        if "pending" not in states(app).values():
            return summaries
        make_due(app)
    raise AssertionError(f"still pending after {rounds} rounds: {summaries}")
