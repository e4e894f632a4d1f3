"""Delivery to a real LRS (Ralph, started on 127.0.0.1) and read back from it."""

from collections import Counter

from sqlalchemy import select, update

from elearn.content import provider
from elearn.extensions import db
from elearn.feedback import service as feedback
from elearn.feedback.models import PageFeedback
from elearn.unit_of_work import action
from elearn.xapi.models import OutboxStatement
from elearn.xapi.outbox import status
from elearn.xapi.sender import send_once
from tests.factories import learner, make_user
from tests.integration.xapi.helpers import record, record_journey, rows, states
from tests.integration.xapi.lrs import RALPH_PASSWORD


def _held(ralph, ids) -> dict[str, dict]:
    wanted = set(ids)
    return {s["id"]: s for s in ralph.statements() if s["id"] in wanted}


def _count(ralph, ids) -> dict[str, int]:
    counts = dict.fromkeys(ids, 0)
    for statement in ralph.statements():
        if statement["id"] in counts:
            counts[statement["id"]] += 1
    return counts


def test_a_learner_journey_reaches_the_lrs_and_reads_back(ralph_app, ralph):
    ralph_app.config["LRS_BATCH_SIZE"] = 7
    made = record_journey(ralph_app)
    summary = send_once(ralph_app)
    assert summary.sent == len(made)
    assert summary.failed == 0
    assert set(states(ralph_app).values()) == {"sent"}
    held = _held(ralph, [s["id"] for s in made])
    assert set(held) == {s["id"] for s in made}
    for statement in made:
        stored = dict(held[statement["id"]])
        assert stored.pop("stored") and stored.pop("authority")  # the LRS's own additions
        assert stored == statement  # exactly what we recorded


def test_one_at_a_time_and_batched_both_arrive_once(ralph_app, ralph):
    ralph_app.config["LRS_BATCH_SIZE"] = 1
    singles = record(ralph_app, 3)
    assert send_once(ralph_app).requests == 3
    ralph_app.config["LRS_BATCH_SIZE"] = 50
    batched = record(ralph_app, 20)
    assert send_once(ralph_app).requests == 1
    assert _count(ralph, singles + batched) == dict.fromkeys(singles + batched, 1)


def test_resending_stored_statements_makes_no_duplicates(ralph_app, ralph):
    """A sender that crashed after the LRS stored a batch sends it again: no duplicates."""
    ids = record(ralph_app, 5)
    send_once(ralph_app)
    with ralph_app.app_context():
        db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.statement_id.in_(ids[:3]))
            .values(state="pending", sent_at=None)
        )
        db.session.commit()
    more = record(ralph_app, 2)
    summary = send_once(ralph_app)
    assert summary.sent == 5  # the 3 re-sent (stored already) and the 2 new
    assert summary.failed == 0
    assert set(states(ralph_app).values()) == {"sent"}
    assert _count(ralph, ids + more) == dict.fromkeys(ids + more, 1)


def test_wrong_password_is_a_configuration_problem(ralph_app, ralph):
    ids = record(ralph_app, 2)
    ralph_app.config["LRS_PASSWORD"] = "wrong"
    summary = send_once(ralph_app)
    assert "401" in summary.config_error
    assert set(states(ralph_app).values()) == {"pending"}
    with ralph_app.app_context():
        assert "401" in status().config_error

    ralph_app.config["LRS_PASSWORD"] = RALPH_PASSWORD
    assert send_once(ralph_app).sent == 2
    assert _count(ralph, ids) == dict.fromkeys(ids, 1)
    assert all(row.last_error is None for row in rows(ralph_app).values())


def test_changed_ratings_counted_at_the_lrs_equal_the_database(ralph_app, ralph, published):
    """Three learners rate pages, change their minds and repeat themselves; read back from the
    LRS, the answers not voided equal the database's current ratings."""
    pages = [(m.id, p.id) for m in published.modules for p in m.pages][:3]
    choices = [True, False, True, True, False, False, True]  # changes and repeats
    with ralph_app.app_context():
        users = [make_user(email=f"rater{n}@example.org") for n in range(3)]
        actors = {user.opaque_id for user in users}
        user_ids = [user.id for user in users]
    for n, user_id in enumerate(user_ids):
        for step, helpful in enumerate(choices[n:] + choices[:n]):
            module_id, page_id = pages[step % len(pages)]
            with ralph_app.test_request_context(), action():
                feedback.give_page_feedback(
                    provider.course(), learner(user_id), module_id, page_id, helpful, None
                )
    ralph_app.config["LRS_BATCH_SIZE"] = 5
    assert send_once(ralph_app).failed == 0
    held = [s for s in ralph.statements() if s["actor"]["account"]["name"] in actors]
    voided = {s["object"]["id"] for s in held if s["verb"]["id"].endswith("/voided")}
    current = Counter(
        s["result"]["response"]
        for s in held
        if s["object"].get("id", "").endswith("/helpful") and s["id"] not in voided
    )
    with ralph_app.app_context():
        in_database = Counter(
            "true" if helpful else "false"
            for helpful in db.session.scalars(
                select(PageFeedback.helpful).where(PageFeedback.user_id.in_(user_ids))
            )
        )
    assert voided  # some answers were changed
    assert current == in_database
    assert sum(in_database.values()) == 9  # three pages for each of three learners
