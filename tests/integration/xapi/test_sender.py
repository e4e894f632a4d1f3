"""The sender against a scripted LRS: every answer in the catalogue's table, nothing lost."""

import json
import logging
import subprocess
import sys
import threading
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from elearn.config import ROOT
from elearn.db import utcnow
from elearn.extensions import db
from elearn.xapi.models import OutboxStatement
from elearn.xapi.outbox import retry_failed, status
from elearn.xapi.sender import SenderConfig, run_worker, send_once
from tests.helpers import free_port
from tests.integration.xapi.helpers import drain, make_due, record, record_journey, rows, states


def _every_statement_stored_once(lrs, ids):
    assert set(lrs.stored) == set(ids)
    assert all(lrs.store_count[i] == 1 for i in ids), lrs.store_count


def test_batches_are_posted_with_the_stored_bytes_and_headers(xapi_app, lrs):
    xapi_app.config["LRS_BATCH_SIZE"] = 4
    made = record_journey(xapi_app)
    ids = [statement["id"] for statement in made]
    summary = send_once(xapi_app)
    assert summary.sent == len(ids)
    assert summary.requests == len(lrs.requests) == -(-len(ids) // 4)
    assert lrs.received_ids == ids  # oldest first
    for _, headers in lrs.requests:
        assert headers["X-Experience-API-Version"] == "1.0.3"
        assert headers["Content-Type"] == "application/json"
        assert headers["Accept"] == "application/json"
        assert headers["Authorization"].startswith("Basic ")
    stored = rows(xapi_app)
    for statement in made:
        assert lrs.stored[statement["id"]] == json.loads(stored[statement["id"]].statement_json)
        assert stored[statement["id"]].state == "sent"
        assert stored[statement["id"]].sent_at is not None
        assert stored[statement["id"]].claimed_by is None
    _every_statement_stored_once(lrs, ids)


def test_body_is_the_exact_stored_text(xapi_app, lrs, monkeypatch):
    ids = record(xapi_app, 3)
    bodies = []
    real_post = httpx.Client.post

    def spy(self, url, **kwargs):
        bodies.append(kwargs["content"])
        return real_post(self, url, **kwargs)

    monkeypatch.setattr(httpx.Client, "post", spy)
    send_once(xapi_app)
    stored = rows(xapi_app)
    expected = "[" + ",".join(stored[i].statement_json for i in ids) + "]"
    assert bodies == [expected.encode()]


def test_no_lrs_configured_keeps_everything(xapi_app):
    record(xapi_app, 2)
    summary = send_once(xapi_app)
    assert not summary.lrs_configured
    assert "local learning record store" in str(summary)
    assert set(states(xapi_app).values()) == {"pending"}


def test_500_then_success(xapi_app, lrs):
    ids = record(xapi_app, 5)
    lrs.script.append(("status", 500, {}, {"detail": "database unavailable"}))
    first = send_once(xapi_app)
    assert first.sent == 0
    assert "500" in first.transient_error
    stored = rows(xapi_app)
    assert {row.state for row in stored.values()} == {"pending"}
    assert all(row.next_attempt_at > utcnow() - timedelta(seconds=1) for row in stored.values())
    assert "database unavailable" in stored[ids[0]].last_error
    drain(xapi_app)
    assert set(states(xapi_app).values()) == {"sent"}
    _every_statement_stored_once(lrs, ids)


def test_429_honours_retry_after(xapi_app, lrs):
    ids = record(xapi_app, 3)
    lrs.script.append(("status", 429, {"Retry-After": "120"}, {"detail": "slow down"}))
    before = utcnow()
    summary = send_once(xapi_app)
    assert summary.retry_later == 3
    stored = rows(xapi_app)
    for row in stored.values():
        assert row.state == "pending"
        assert row.next_attempt_at >= before + timedelta(seconds=119)
    assert summary.next_attempt_at >= before + timedelta(seconds=119)
    again = send_once(xapi_app)  # not due yet: nothing is sent
    assert again.requests == 0
    drain(xapi_app)
    _every_statement_stored_once(lrs, ids)


def test_retry_after_as_a_date_and_backoff_is_capped(xapi_app, lrs):
    xapi_app.config.update(LRS_BACKOFF_BASE=10, LRS_BACKOFF_MAX=20)
    record(xapi_app, 1)
    when = (utcnow() + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    lrs.script.append(("status", 503, {"Retry-After": when}, None))
    start = utcnow()
    send_once(xapi_app)
    (row,) = rows(xapi_app).values()
    assert start + timedelta(seconds=85) <= row.next_attempt_at <= start + timedelta(seconds=95)
    for _ in range(6):  # many failures: the wait never passes the cap
        make_due(xapi_app)
        lrs.script.append(("status", 502, {}, None))
        start = utcnow()
        send_once(xapi_app)
        (row,) = rows(xapi_app).values()
        assert row.next_attempt_at <= start + timedelta(seconds=20.5)
    assert row.attempts == 7
    assert row.next_attempt_at >= start + timedelta(seconds=9.5)  # at least half the cap


def test_one_bad_statement_in_a_batch_is_isolated(xapi_app, lrs):
    xapi_app.config["LRS_BATCH_SIZE"] = 8
    ids = record(xapi_app, 8)
    bad = ids[5]
    lrs.reject[bad] = "Statement is not valid: object.definition.type is unknown"
    summary = send_once(xapi_app)
    assert summary.sent == 7
    assert summary.failed == 1
    found = rows(xapi_app)
    assert found[bad].state == "failed"
    assert "400" in found[bad].last_error
    assert "object.definition.type is unknown" in found[bad].last_error
    assert {found[i].state for i in ids if i != bad} == {"sent"}
    _every_statement_stored_once(lrs, [i for i in ids if i != bad])
    with xapi_app.app_context():
        info = status()
        assert bad in info.last_error
        assert info.config_error is None
        # After the fix, an admin re-queues it and it goes.
        del lrs.reject[bad]
        assert retry_failed() == 1
        db.session.commit()
    send_once(xapi_app)
    assert set(states(xapi_app).values()) == {"sent"}
    _every_statement_stored_once(lrs, ids)


def test_422_is_treated_like_400(xapi_app, lrs):
    ids = record(xapi_app, 1)
    lrs.script.append(("status", 422, {}, {"detail": [{"msg": "Field required"}]}))
    send_once(xapi_app)
    (row,) = rows(xapi_app).values()
    assert row.state == "failed"
    assert "Field required" in row.last_error
    assert ids[0] not in lrs.stored


def test_409_for_a_batch_finds_which_are_stored(xapi_app, lrs):
    ids = record(xapi_app, 6)
    lrs.stored[ids[2]] = {"id": ids[2]}  # stored earlier, e.g. the reply was lost
    lrs.store_count[ids[2]] = 1
    summary = send_once(xapi_app)
    assert summary.sent == 6
    assert set(states(xapi_app).values()) == {"sent"}
    assert lrs.requests[0][0] == ids  # the batch, answered 409
    assert [request[0] for request in lrs.requests[1:]] == [[i] for i in ids]  # then one by one
    _every_statement_stored_once(lrs, ids)


def test_409_for_a_single_statement_is_sent_and_never_renamed(xapi_app, lrs):
    ids = record(xapi_app, 1)
    lrs.script.append(("status", 409, {}, {"detail": "Differing statements already exist"}))
    send_once(xapi_app)
    assert states(xapi_app) == {ids[0]: "sent"}
    assert lrs.received_ids == ids


def test_413_halves_the_batch(xapi_app, lrs):
    xapi_app.config["LRS_BATCH_SIZE"] = 10
    lrs.max_batch = 3
    ids = record(xapi_app, 10)
    summary = send_once(xapi_app)
    assert summary.sent == 10
    assert [len(request) for request, _ in lrs.requests] == [10, 5, 2, 3, 5, 2, 3]
    _every_statement_stored_once(lrs, ids)


def test_413_for_one_statement_fails_it(xapi_app, lrs):
    ids = record(xapi_app, 1)
    lrs.max_batch = 0
    send_once(xapi_app)
    assert rows(xapi_app)[ids[0]].state == "failed"
    assert "413" in rows(xapi_app)[ids[0]].last_error


def test_hang_past_the_timeout_after_storing(xapi_app, lrs):
    xapi_app.config["LRS_TIMEOUT"] = 0.3
    ids = record(xapi_app, 4)
    lrs.script.append(("store-then-hang",))  # stored, but the answer never comes
    started = time.monotonic()
    summary = send_once(xapi_app)
    assert time.monotonic() - started < 5
    assert "No answer from the LRS within 0.3 s" in summary.transient_error
    assert set(states(xapi_app).values()) == {"pending"}
    drain(xapi_app)  # the re-send gets 409: stored already
    assert set(states(xapi_app).values()) == {"sent"}
    _every_statement_stored_once(lrs, ids)


def test_hang_without_storing(xapi_app, lrs):
    xapi_app.config["LRS_TIMEOUT"] = 0.3
    ids = record(xapi_app, 2)
    lrs.script.append(("hang",))
    assert send_once(xapi_app).transient_error
    drain(xapi_app)
    _every_statement_stored_once(lrs, ids)


def test_refused_connection_waits_then_delivers(xapi_app, lrs):

    ids = record(xapi_app, 3)
    real = xapi_app.config["LRS_ENDPOINT"]
    xapi_app.config["LRS_ENDPOINT"] = f"http://127.0.0.1:{free_port()}/xAPI/statements"
    summary = send_once(xapi_app)
    assert "Could not connect to the LRS" in summary.transient_error
    assert summary.config_error is None
    assert set(states(xapi_app).values()) == {"pending"}
    with xapi_app.app_context():
        assert "Could not connect" in status().last_error
    xapi_app.config["LRS_ENDPOINT"] = real
    drain(xapi_app)
    _every_statement_stored_once(lrs, ids)


def test_wrong_credentials_stop_and_are_reported(xapi_app, lrs):
    ids = record(xapi_app, 3)
    xapi_app.config["LRS_PASSWORD"] = "wrong"
    summary = send_once(xapi_app)
    assert "401" in summary.config_error
    assert summary.requests == 1
    stored = rows(xapi_app)
    assert {row.state for row in stored.values()} == {"pending"}
    assert {row.attempts for row in stored.values()} == {0}  # not counted against them
    with xapi_app.app_context():
        info = status()
        assert "401" in info.config_error
        assert "Invalid authentication credentials" in info.config_error
    xapi_app.config["LRS_PASSWORD"] = lrs.password
    send_once(xapi_app)
    _every_statement_stored_once(lrs, ids)
    with xapi_app.app_context():
        assert status().config_error is None  # cleared once the LRS takes statements


@pytest.mark.parametrize(
    "code, headers, expected",
    [
        (403, {}, "403"),
        (404, {}, "404"),
        (405, {}, "405"),
        (301, {"Location": "https://lrs.example.org/xapi/statements"}, "redirected to"),
    ],
)
def test_other_refusals_are_configuration_problems(xapi_app, lrs, code, headers, expected):
    ids = record(xapi_app, 2)
    lrs.script.append(("status", code, headers, {"detail": "no"}))
    summary = send_once(xapi_app)
    assert expected in summary.config_error
    assert set(states(xapi_app).values()) == {"pending"}
    drain(xapi_app)
    _every_statement_stored_once(lrs, ids)


def test_unusable_endpoint_is_a_configuration_problem(xapi_app, lrs):
    record(xapi_app, 1)
    xapi_app.config["LRS_ENDPOINT"] = "ftp://lrs.example.org/statements"
    summary = send_once(xapi_app)
    assert "LRS_ENDPOINT is not a usable address" in summary.config_error
    assert set(states(xapi_app).values()) == {"pending"}


def test_200_with_ids_that_are_not_ours_is_failed_for_review(xapi_app, lrs):
    record(xapi_app, 2)
    lrs.script.append(("status", 200, {}, ["00000000-0000-4000-8000-000000000000"]))
    summary = send_once(xapi_app)
    assert summary.failed == 2
    assert all("without our statement ids" in row.last_error for row in rows(xapi_app).values())


def test_200_leaving_out_stored_ids_and_204_mean_sent(xapi_app, lrs):
    ids = record(xapi_app, 3)
    lrs.script.append(("status", 200, {}, [ids[0], ids[2]]))
    send_once(xapi_app)
    assert set(states(xapi_app).values()) == {"sent"}
    more = record(xapi_app, 2)
    lrs.script.append(("status", 204, {}, None))
    send_once(xapi_app)
    assert all(states(xapi_app)[i] == "sent" for i in more)


def test_every_failure_at_once_loses_nothing(xapi_app, lrs):
    """500, 429, a hang, 413, 409 and a refused statement in one drain."""
    xapi_app.config.update(LRS_BATCH_SIZE=5, LRS_TIMEOUT=0.3)
    ids = record(xapi_app, 23)
    lrs.max_batch = 4
    lrs.reject[ids[7]] = "Invalid statement: bad score"
    lrs.stored[ids[12]] = {"id": ids[12]}
    lrs.store_count[ids[12]] = 1
    lrs.script.extend(
        [
            ("status", 500, {}, None),
            ("status", 429, {"Retry-After": "0"}, None),
            ("store-then-hang",),
        ]
    )
    drain(xapi_app)
    final = states(xapi_app)
    assert final.pop(ids[7]) == "failed"
    assert set(final.values()) == {"sent"}
    _every_statement_stored_once(lrs, [i for i in ids if i != ids[7]])
    assert "bad score" in rows(xapi_app)[ids[7]].last_error


def test_two_senders_at_once_never_send_a_statement_twice(xapi_app, lrs):
    xapi_app.config["LRS_BATCH_SIZE"] = 5
    lrs.delay = 0.01
    ids = record(xapi_app, 80)
    summaries = []
    errors = []

    def sender():
        try:
            summaries.append(send_once(xapi_app))
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(lrs.received_ids) == sorted(ids)  # each id posted exactly once
    assert sum(summary.sent for summary in summaries) == 80
    assert all(summary.sent for summary in summaries), "both senders should have taken work"
    assert set(states(xapi_app).values()) == {"sent"}


def test_a_killed_sender_loses_nothing_and_makes_no_duplicates(xapi_app, lrs, database_url):
    xapi_app.config.update(LRS_BATCH_SIZE=5, LRS_CLAIM_TIMEOUT=0.5)
    ids = record(xapi_app, 12)
    lrs.script.append(("store-then-hang",))  # the LRS stores the first batch; then we kill
    child = (
        "import sys\n"
        "from elearn import create_app\n"
        "from elearn.xapi.sender import send_once\n"
        "app = create_app({'TESTING': True, 'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': "
        "sys.argv[1], 'BASE_URL': 'https://guides.example.org', 'LRS_ENDPOINT': sys.argv[2], "
        "'LRS_USERNAME': sys.argv[3], 'LRS_PASSWORD': sys.argv[4], 'LRS_BATCH_SIZE': 5, "
        "'LRS_TIMEOUT': 60})\n"
        "send_once(app)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", child, database_url, lrs.endpoint, lrs.username, lrs.password],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not lrs.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        assert lrs.requests, "the sender never posted"
    finally:
        process.kill()
        process.wait()
    assert len(lrs.stored) == 5
    in_flight = [i for i, state in states(xapi_app).items() if state == "sending"]
    assert sorted(in_flight) == sorted(ids[:5])
    time.sleep(0.6)  # the dead sender's claim expires
    drain(xapi_app)
    assert set(states(xapi_app).values()) == {"sent"}
    _every_statement_stored_once(lrs, ids)


def test_a_live_claim_is_left_alone(xapi_app, lrs):
    ids = record(xapi_app, 3)
    with xapi_app.app_context():
        db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.statement_id == ids[0])
            .values(state="sending", claimed_by="other-sender", claimed_at=utcnow())
        )
        db.session.commit()
    send_once(xapi_app)
    final = states(xapi_app)
    assert final[ids[0]] == "sending"
    assert final[ids[1]] == final[ids[2]] == "sent"


def test_worker_sends_as_statements_arrive_and_stops(xapi_app, lrs):
    stop = threading.Event()
    rounds = []
    worker = threading.Thread(
        target=lambda: rounds.append(run_worker(xapi_app, stop, poll_interval=0.05))
    )
    worker.start()
    try:
        ids = record(xapi_app, 3)
        deadline = time.monotonic() + 10
        while set(lrs.stored) != set(ids) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()
    assert rounds and rounds[0] >= 1
    _every_statement_stored_once(lrs, ids)


def test_config_from_app(xapi_app):
    xapi_app.config.update(LRS_ENDPOINT=" https://lrs.example.org/xapi/statements ")
    xapi_app.config.pop("LRS_BATCH_SIZE", None)
    config = SenderConfig.from_app(xapi_app)
    assert config.endpoint == "https://lrs.example.org/xapi/statements"
    assert config.batch_size == 50


def test_an_html_answer_is_summarised_not_pasted(xapi_app, lrs):
    record(xapi_app, 2)
    page = "<!doctype html><html><head><title>404 Not Found</title></head><body>" + "x" * 5000
    lrs.script.append(("html", 404, page))
    summary = send_once(xapi_app)
    assert "HTML page ('404 Not Found')" in summary.config_error
    assert "check LRS_ENDPOINT" in summary.config_error
    assert "<body>" not in summary.config_error
    with xapi_app.app_context():
        assert "<" not in status().config_error
    assert set(states(xapi_app).values()) == {"pending"}


def test_a_500_html_page_opens_the_circuit_with_its_title(xapi_app, lrs):
    record(xapi_app, 1)
    lrs.script.append(("html", 502, "<html><title>Bad gateway</title><p>nginx</p></html>"))
    summary = send_once(xapi_app)
    assert "HTML page ('Bad gateway')" in summary.transient_error


@pytest.mark.parametrize(
    "given, statements",
    [
        ("https://lrs.example.org/xapi/", "https://lrs.example.org/xapi/statements"),
        ("https://lrs.example.org/xapi", "https://lrs.example.org/xapi/statements"),
        ("https://lrs.example.org/xapi/statements", "https://lrs.example.org/xapi/statements"),
        ("https://lrs.example.org/xapi/statements/", "https://lrs.example.org/xapi/statements"),
        ("https://lrs.example.org", "https://lrs.example.org/statements"),
    ],
)
def test_the_base_address_or_the_statements_address(xapi_app, given, statements):
    xapi_app.config["LRS_ENDPOINT"] = given
    assert SenderConfig.from_app(xapi_app).endpoint == statements


def test_delivery_to_the_base_address(xapi_app, lrs):
    ids = record(xapi_app, 2)
    xapi_app.config["LRS_ENDPOINT"] = lrs.endpoint.removesuffix("statements")
    assert send_once(xapi_app).sent == 2
    _every_statement_stored_once(lrs, ids)


def test_a_404_names_the_address_forms(xapi_app, lrs):
    record(xapi_app, 1)
    lrs.script.append(("html", 404, "<html><title>Not Found</title></html>"))
    summary = send_once(xapi_app)
    assert "no statements resource at" in summary.config_error
    assert "xAPI base address or its statements address" in summary.config_error


def _one_worker_round(app):
    stop = threading.Event()
    summaries = []

    def on_round(summary):
        summaries.append(summary)
        stop.set()

    run_worker(app, stop, poll_interval=0.05, config_retry_interval=0.05, on_round=on_round)
    return summaries[0]


def test_the_worker_reads_about_at_start_and_sends(xapi_app, lrs, caplog):
    caplog.set_level(logging.INFO, logger="elearn.xapi")
    ids = record(xapi_app, 2)
    summary = _one_worker_round(xapi_app)
    assert lrs.about_reads == 1
    assert summary.sent == 2
    assert "The LRS speaks xAPI 1.0.3" in caplog.text
    _every_statement_stored_once(lrs, ids)


@pytest.mark.parametrize(
    "about, expected",
    [
        ({"version": ["0.95", "0.9"]}, "The LRS speaks xAPI 0.95, 0.9, not 1.0.x"),
        ({"hello": "world"}, "is not an xAPI LRS's About resource"),
    ],
)
def test_a_wrong_xapi_version_stops_the_worker(xapi_app, lrs, about, expected):
    record(xapi_app, 2)
    lrs.about = about
    summary = _one_worker_round(xapi_app)
    assert expected in summary.config_error
    assert lrs.requests == []  # nothing was posted
    with xapi_app.app_context():
        assert expected in status().config_error


def test_an_lrs_without_about_is_noted_and_used(xapi_app, lrs, caplog):
    lrs.about = None  # as Ralph
    ids = record(xapi_app, 1)
    summary = _one_worker_round(xapi_app)
    assert summary.sent == 1
    assert "No About resource at" in caplog.text
    _every_statement_stored_once(lrs, ids)
