"""The outbox: statements land in the same transaction as the change, exactly as serialised."""

import io
import json
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.auth.models import User
from elearn.extensions import db
from elearn.xapi import statements as xs
from elearn.xapi.models import OutboxStatement
from elearn.xapi.outbox import (
    InvalidStatementError,
    enqueue,
    export_jsonl,
    retry_failed,
    serialise,
    status,
)
from tests.factories import make_user
from tests.integration.xapi.helpers import record, record_journey, rows
from tests.unit.xapi.examples import COURSE, H, new_learner


def _opaque(user: User) -> xs.Learner:
    return xs.Learner(opaque_id=user.opaque_id, registration=new_learner().registration)


def change_and_record(user_id: int, organisation: str, fail: bool = False) -> str:
    """A service as the design has it: change, enqueue, commit once."""
    user = db.session.get(User, user_id)
    user.organisation = organisation
    statement = xs.launched(xs.StatementContext(H, _opaque(user), COURSE))
    enqueue(db.session, [statement])
    if fail:
        raise RuntimeError("something went wrong after enqueue")
    db.session.commit()
    return statement["id"]


def test_change_and_statement_commit_together(session):
    user = make_user()
    statement_id = change_and_record(user.id, "Oxford Health")
    session.remove()
    assert session.get(User, user.id).organisation == "Oxford Health"
    row = session.scalar(select(OutboxStatement))
    assert row.statement_id == statement_id
    assert row.state == "pending"
    assert row.attempts == 0


def test_error_after_enqueue_rolls_back_change_and_statement(session):
    user = make_user()
    with pytest.raises(RuntimeError):
        change_and_record(user.id, "Never saved", fail=True)
    session.remove()  # what the end of the request does
    assert session.get(User, user.id).organisation is None
    assert session.scalars(select(OutboxStatement)).all() == []


def test_failed_commit_stores_neither(session):
    first, second = make_user(), make_user()
    user = session.get(User, second.id)
    user.email = first.email  # breaks the unique constraint at commit
    enqueue(session, [xs.launched(xs.StatementContext(H, _opaque(user), COURSE))])
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert session.scalars(select(OutboxStatement)).all() == []


def test_enqueue_does_not_commit(session):
    enqueue(session, [xs.launched(xs.StatementContext(H, new_learner(), COURSE))])
    session.rollback()
    assert session.scalars(select(OutboxStatement)).all() == []


def test_stored_bytes_are_the_serialised_statement(xapi_app):
    made = record_journey(xapi_app)
    stored = rows(xapi_app)
    for statement in made:
        text = stored[statement["id"]].statement_json
        assert text == serialise(statement)
        assert json.loads(text) == statement
        assert text.isascii()


def test_invalid_statement_fails_under_tests(session):
    statement = xs.launched(xs.StatementContext(H, new_learner(), COURSE))
    statement["result"] = {"score": {"scaled": 1.5}}
    with pytest.raises(InvalidStatementError, match="must be from 0 to 1"):
        enqueue(session, [statement])


def test_invalid_statement_is_kept_aside_in_production(xapi_app, session, caplog):
    xapi_app.config["XAPI_STRICT"] = False
    user = make_user()
    good = xs.launched(xs.StatementContext(H, _opaque(user), COURSE))
    bad = xs.launched(xs.StatementContext(H, _opaque(user), COURSE))
    bad["version"] = "1.0.3"
    session.get(User, user.id).organisation = "Still saved"
    with caplog.at_level(logging.ERROR, logger="elearn.xapi"):
        enqueue(session, [good, bad])
    session.commit()
    assert "Invalid xAPI statement kept aside" in caplog.text
    assert "version: must not be sent" in caplog.text
    session.remove()
    assert session.get(User, user.id).organisation == "Still saved"
    stored = {row.statement_id: row for row in session.scalars(select(OutboxStatement))}
    assert stored[good["id"]].state == "pending"
    assert stored[bad["id"]].state == "invalid"
    assert "version: must not be sent" in stored[bad["id"]].last_error


def test_reused_id_is_refused(session):
    statement = xs.launched(xs.StatementContext(H, new_learner(), COURSE))
    enqueue(session, [statement])
    session.commit()
    with pytest.raises(InvalidStatementError, match="already in the outbox"):
        enqueue(session, [statement])
    with pytest.raises(InvalidStatementError, match="already in the outbox"):
        other = xs.launched(xs.StatementContext(H, new_learner(), COURSE))
        enqueue(session, [other, dict(other)])


def test_reused_id_in_production_does_not_break_the_commit(xapi_app, session):
    xapi_app.config["XAPI_STRICT"] = False
    statement = xs.launched(xs.StatementContext(H, new_learner(), COURSE))
    enqueue(session, [statement, dict(statement)])
    session.commit()
    states = sorted(row.state for row in session.scalars(select(OutboxStatement)))
    assert states == ["invalid", "pending"]


def test_unserialisable_statement_is_invalid(session):
    statement = xs.launched(xs.StatementContext(H, new_learner(), COURSE))
    statement["context"]["extensions"] = {f"{H}/xapi/ext/x": float("nan")}
    with pytest.raises(InvalidStatementError, match="cannot be serialised"):
        enqueue(session, [statement])


def test_export_jsonl_writes_one_statement_per_line(xapi_app, session):
    made = record_journey(xapi_app)
    xapi_app.config["XAPI_STRICT"] = False
    broken = xs.launched(xs.StatementContext(H, new_learner(), COURSE))
    broken["id"] = broken["id"].upper()
    enqueue(session, [broken])
    session.commit()
    out = io.StringIO()
    assert export_jsonl(out) == len(made)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == made  # oldest first, invalid left out


def test_status_counts_and_oldest_pending(xapi_app, session):
    ids = record(xapi_app, 3)
    session.execute(
        OutboxStatement.__table__.update()
        .where(OutboxStatement.statement_id == ids[0])
        .values(state="failed", last_error="LRS answered 400")
    )
    session.commit()
    info = status()
    assert info.counts == {"pending": 2, "sending": 0, "sent": 0, "failed": 1, "invalid": 0}
    assert info.total == 3
    assert info.oldest_pending_at is not None
    assert info.oldest_pending_at.tzinfo is not None
    assert info.oldest_pending_age.total_seconds() >= 0
    assert info.last_error is None
    assert info.config_error is None


def test_status_when_empty(session):
    info = status()
    assert info.total == 0
    assert info.oldest_pending_at is None
    assert info.oldest_pending_age is None


def test_retry_failed_requeues_only_failed(xapi_app, session):
    ids = record(xapi_app, 3)
    session.execute(
        OutboxStatement.__table__.update()
        .where(OutboxStatement.statement_id.in_(ids[:2]))
        .values(state="failed", attempts=3, last_error="refused")
    )
    session.commit()
    assert retry_failed() == 2
    session.commit()
    stored = rows(xapi_app)
    assert {stored[i].state for i in ids} == {"pending"}
    assert stored[ids[0]].attempts == 0
    assert retry_failed() == 0
