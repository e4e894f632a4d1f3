"""Sign-in sessions in learning records: cmi5's session id on every statement a signed-in learner
makes, `terminated` once per session with the time to the learner's last activity, and `exited`
for each page visit with its time on task."""

import json
from datetime import timedelta

from ralph.models.xapi.base.statements import BaseXapiStatement
from sqlalchemy import select

from elearn.auth.models import User, UserSession
from elearn.auth.service import sweep_sessions
from elearn.content import provider
from elearn.db import utcnow
from elearn.extensions import db
from elearn.journey import progression
from elearn.learn.models import PageProgress
from elearn.unit_of_work import action
from elearn.xapi import statements as xs
from elearn.xapi.models import OutboxStatement
from elearn.xapi.validation import validate_statement
from tests.factories import DEFAULT_PASSWORD, learner, make_user

SESSION = xs.SESSION_ID_EXTENSION


def _statements(app) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id)).all()
        return [json.loads(r.statement_json) for r in rows]


def _verb(statement) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[1]


def _valid(app, statement) -> None:
    assert validate_statement(statement, app.config["BASE_URL"]) == [], statement
    BaseXapiStatement.model_validate(statement)


def _sessions(app, email) -> list[UserSession]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        return list(
            db.session.scalars(
                select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.id)
            )
        )


def _age_sessions(app, **columns) -> None:
    """Move every session's times back by these amounts."""
    with app.app_context():
        for record in db.session.scalars(select(UserSession)):
            for column, delta in columns.items():
                setattr(record, column, getattr(record, column) - delta)
        db.session.commit()


def _sign_in(app, email):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def test_statements_made_while_signed_in_carry_the_sessions_id(app, users, published):
    module = published.modules[0]
    first = _sign_in(app, users["learner"])
    first.get(f"/learn/modules/{module.id}/pages/{module.pages[0].id}")
    first.get(f"/learn/modules/{module.id}/pages/{module.pages[1].id}")
    first.post(f"/learn/modules/{module.id}/pages/{module.pages[1].id}/complete")
    second = _sign_in(app, users["learner"])  # a second sign-in is a second session
    second.get(f"/learn/modules/{module.id}/pages/{module.pages[2].id}")

    statements = _statements(app)
    records = _sessions(app, users["learner"])
    assert len(records) == 2
    first_id, second_id = (r.record_id for r in records)
    assert first_id != second_id
    ids = [s["context"]["extensions"][SESSION] for s in statements]
    launched = [i for i, s in enumerate(statements) if _verb(s) == "launched"]
    assert launched[0] == 0 and len(launched) == 2
    assert set(ids[: launched[1]]) == {first_id}
    assert set(ids[launched[1] :]) == {second_id}
    for statement in statements:
        _valid(app, statement)
    # The id is not the cookie's key or its hash: nothing in the cookie or the row's key_hash.
    text = json.dumps(statements)
    assert all(r.key_hash not in text for r in records)
    for cookie in first._cookies.values():
        assert first_id not in cookie.value


def test_statements_not_made_in_a_signed_in_request_have_no_session_id(app, published):
    with app.app_context():
        user_id = make_user().id
    module = published.modules[0]
    with app.test_request_context(), action():  # no one is signed in (a command, a tool)
        progression.view_page(provider.course(), learner(user_id), module.id, module.pages[0].id)
    statements = _statements(app)
    assert statements
    for statement in statements:
        assert SESSION not in statement["context"].get("extensions", {})
        _valid(app, statement)


def test_signing_out_records_terminated_with_the_time_to_the_last_activity(app, users, published):
    client = _sign_in(app, users["learner"])
    # Signed in 40 minutes ago, last request 30 minutes ago: 10 minutes of activity.
    _age_sessions(app, created_at=timedelta(minutes=40), last_seen_at=timedelta(minutes=30))
    before = utcnow()
    assert client.post("/sign-out").status_code == 302
    terminated = [s for s in _statements(app) if _verb(s) == "terminated"]
    assert len(terminated) == 1
    statement = terminated[0]
    _valid(app, statement)
    assert statement["result"]["duration"] == "PT600S"  # not the 40 minutes to the sign-out
    assert statement["object"]["id"] == xs.course_iri(app.config["BASE_URL"], published.id)
    (record,) = _sessions(app, users["learner"])
    assert statement["context"]["extensions"][SESSION] == record.record_id
    assert record.ended_at is not None and record.terminated_at is not None
    assert statement["timestamp"] >= xs.format_timestamp(before - timedelta(seconds=1))
    # The sweep finds nothing more to record for it.
    with app.app_context(), action():
        assert sweep_sessions() == 0
    assert len([s for s in _statements(app) if _verb(s) == "terminated"]) == 1


def test_sessions_ended_by_an_admin_are_terminated_each_once(app, users, published):
    _sign_in(app, users["learner"])
    _sign_in(app, users["learner"])
    _age_sessions(app, created_at=timedelta(minutes=5), last_seen_at=timedelta(minutes=5))
    admin = _sign_in(app, users["admin"])
    learner_id = _sessions(app, users["learner"])[0].user_id
    response = admin.post(f"/admin/accounts/{learner_id}/end-sessions")
    assert response.status_code == 302
    terminated = [s for s in _statements(app) if _verb(s) == "terminated"]
    records = _sessions(app, users["learner"])
    assert len(terminated) == 2  # two sessions ended at the same moment: two statements
    assert len({s["id"] for s in terminated}) == 2
    assert {s["context"]["extensions"][SESSION] for s in terminated} == {
        r.record_id for r in records
    }
    for statement in terminated:
        _valid(app, statement)
        assert statement["result"]["duration"] == "PT0S"  # no request after signing in
    assert all(r.terminated_at is not None for r in records)
    # The admin's own session is a staff session: never in learning records.
    admin_records = _sessions(app, users["admin"])
    assert {s["context"]["extensions"][SESSION] for s in _statements(app)}.isdisjoint(
        r.record_id for r in admin_records
    )


def test_a_timed_out_session_is_terminated_once_by_the_sweep(app, users, published):
    client = _sign_in(app, users["learner"])
    module = published.modules[0]
    client.get(f"/learn/modules/{module.id}/pages/{module.pages[0].id}")
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES_LEARNER"])
    # Signed in, active for 25 minutes, then gone for longer than the idle limit.
    signed_in = utcnow() - idle - timedelta(minutes=30)
    with app.app_context():
        for row in db.session.scalars(select(UserSession)):
            row.created_at, row.last_seen_at = signed_in, signed_in + timedelta(minutes=25)
        db.session.commit()
    (record,) = _sessions(app, users["learner"])
    assert record.last_seen_at - record.created_at == timedelta(minutes=25)

    with app.app_context(), action():
        assert sweep_sessions() == 1
    with app.app_context(), action():
        assert sweep_sessions() == 0  # swept again (another worker, the next round): once
    terminated = [s for s in _statements(app) if _verb(s) == "terminated"]
    assert len(terminated) == 1
    statement = terminated[0]
    _valid(app, statement)
    assert statement["result"]["duration"] == "PT1500S"
    assert statement["context"]["extensions"][SESSION] == record.record_id
    assert statement["timestamp"] == xs.format_timestamp(record.last_seen_at + idle)
    (swept,) = _sessions(app, users["learner"])
    assert swept.ended_at == record.last_seen_at + idle and swept.terminated_at is not None
    # The cookie no longer signs anyone in.
    assert client.get("/account").status_code == 302


def test_an_open_session_is_not_swept(app, users, published):
    _sign_in(app, users["learner"])
    with app.app_context(), action():
        assert sweep_sessions() == 0
    assert not [s for s in _statements(app) if _verb(s) == "terminated"]
    (record,) = _sessions(app, users["learner"])
    assert record.ended_at is None and record.terminated_at is None


def test_leaving_a_page_records_exited_with_the_visits_time_on_task(app, published):
    app.config["PAGE_TIME_ON_TASK_CAP_SECONDS"] = 600
    with app.app_context():
        user_id = make_user().id
    module = published.modules[0]
    first, second, third = (p.id for p in module.pages[:3])
    start = utcnow() - timedelta(hours=2)

    def act(step, seconds, page_id):
        with app.test_request_context(), action():
            course, who = provider.course(), learner(user_id)
            when = start + timedelta(seconds=seconds)
            if step == "view":
                progression.view_page(course, who, module.id, page_id, now=when)
            else:
                progression.complete_page(course, who, module.id, page_id, now=when)

    act("view", 0, first)
    act("view", 120, second)  # left the first page after 120 s
    act("done", 150, second)  # finishing a page is not leaving it
    act("view", 5000, third)  # left the second: 600 s (capped), 30 of them before "done"
    exited = [s for s in _statements(app) if _verb(s) == "exited"]
    base = app.config["BASE_URL"]
    assert [(s["object"]["id"], s["result"]["duration"]) for s in exited] == [
        (xs.page_iri(base, published.id, module.id, first), "PT120S"),
        (xs.page_iri(base, published.id, module.id, second), "PT600S"),
    ]
    assert exited[0]["timestamp"] == xs.format_timestamp(start + timedelta(seconds=120))
    for statement in exited:
        _valid(app, statement)
        assert statement["context"]["contextActivities"]["parent"][0]["id"] == xs.module_iri(
            base, published.id, module.id
        )
    # Each visit's exited duration is what the page's time on task gained from it.
    with app.app_context():
        rows = {r.page_id: r for r in db.session.scalars(select(PageProgress))}
    assert rows[first].seconds_on_task == 120 and rows[second].seconds_on_task == 600


def test_staff_page_visits_record_no_exited(app, users, published):
    client = _sign_in(app, users["reviewer"])
    module = published.modules[0]
    client.get(f"/learn/modules/{module.id}/pages/{module.pages[0].id}")
    client.get(f"/learn/modules/{module.id}/pages/{module.pages[1].id}")
    client.post("/sign-out")
    assert [_verb(s) for s in _statements(app)] == []
