"""Pacing per LRS: one circuit for the whole sender, counted at the LRS and at a fault proxy."""

import logging
import threading
import time
from datetime import timedelta

import pytest

from elearn.db import utcnow
from elearn.xapi.circuit import CircuitState
from elearn.xapi.models import OutboxState
from elearn.xapi.sender import run_worker, send_once
from tests.integration.xapi.helpers import circuit_state, drain, make_due, record, rows, states
from tests.integration.xapi.lrs import FaultProxy


def _down(lrs, code=503, headers=None, times=100):
    lrs.script.extend([("status", code, headers or {}, {"detail": "down"})] * times)


def _stored_once(lrs, ids):
    assert set(lrs.stored) == set(ids)
    assert all(lrs.store_count[i] == 1 for i in ids)


@pytest.fixture
def proxy(lrs, xapi_app):
    """A fault proxy between the sender and the scripted LRS."""
    server = FaultProxy(lrs.port).start()
    xapi_app.config["LRS_ENDPOINT"] = server.endpoint()
    yield server
    server.stop()


def test_an_outage_stops_the_whole_sender_until_the_circuit_is_due(xapi_app, lrs):
    xapi_app.config.update(LRS_BATCH_SIZE=10, LRS_BACKOFF_BASE=60, LRS_BACKOFF_MAX=120)
    record(xapi_app, 100)
    _down(lrs)
    first = send_once(xapi_app)
    assert first.requests == 1  # one POST, not one per batch or per statement
    assert first.circuit == CircuitState.OPEN
    for _ in range(5):  # more rounds (a worker, `elearn xapi send`): nothing is posted
        assert send_once(xapi_app).requests == 0
    assert len(lrs.requests) == 1
    state = circuit_state(xapi_app)
    assert state.failures == 1
    assert utcnow() + timedelta(seconds=29) <= state.until <= utcnow() + timedelta(seconds=61)
    assert set(states(xapi_app).values()) == {"pending"}


def test_one_probe_of_one_statement_then_full_batches(xapi_app, lrs):
    xapi_app.config.update(LRS_BATCH_SIZE=10)
    ids = record(xapi_app, 35)
    _down(lrs, times=1)
    send_once(xapi_app)
    make_due(xapi_app)
    _down(lrs, times=1)
    probe = send_once(xapi_app)  # the probe fails: still one statement, one request
    assert probe.probed and probe.requests == 1
    assert len(lrs.requests[-1][0]) == 1
    assert circuit_state(xapi_app).failures == 2
    make_due(xapi_app)
    recovered = send_once(xapi_app)
    assert recovered.circuit == CircuitState.CLOSED
    sizes = [len(request) for request, _ in lrs.requests[2:]]
    assert sizes == [1, 10, 10, 10, 4]
    _stored_once(lrs, ids)
    assert circuit_state(xapi_app).state == CircuitState.CLOSED


def test_only_one_sender_takes_the_probe(xapi_app, lrs):
    record(xapi_app, 20)
    lrs.delay = 0.3
    _down(lrs, times=1)
    send_once(xapi_app)
    make_due(xapi_app)
    _down(lrs, times=5)
    summaries = []
    threads = [
        threading.Thread(target=lambda: summaries.append(send_once(xapi_app))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(summary.requests for summary in summaries) == 1
    assert len(lrs.requests) == 2


@pytest.mark.parametrize("code", [429, 500, 502, 503, 504])
def test_each_unavailable_answer_opens_the_circuit(xapi_app, lrs, code):
    xapi_app.config.update(LRS_BACKOFF_BASE=60, LRS_BACKOFF_MAX=120)
    ids = record(xapi_app, 3)
    _down(lrs, code=code, times=1)
    summary = send_once(xapi_app)
    assert str(code) in summary.transient_error
    assert circuit_state(xapi_app).state == CircuitState.OPEN
    assert "one probe" in str(send_once(xapi_app))
    drain(xapi_app)
    _stored_once(lrs, ids)


def test_retry_after_in_seconds_holds_the_whole_sender(xapi_app, lrs):
    record(xapi_app, 30)
    _down(lrs, headers={"Retry-After": "120"}, times=1)
    before = utcnow()
    send_once(xapi_app)
    state = circuit_state(xapi_app)
    assert state.until >= before + timedelta(seconds=119)
    assert all(row.next_attempt_at >= state.until for row in rows(xapi_app).values())
    assert send_once(xapi_app).requests == 0


def test_retry_after_as_an_http_date(xapi_app, lrs):
    record(xapi_app, 2)
    when = (utcnow() + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    _down(lrs, headers={"Retry-After": when}, times=1)
    start = utcnow()
    send_once(xapi_app)
    until = circuit_state(xapi_app).until
    assert start + timedelta(seconds=85) <= until <= start + timedelta(seconds=95)


def test_a_malformed_retry_after_is_reported_and_the_backoff_applies(xapi_app, lrs):
    xapi_app.config.update(LRS_BACKOFF_BASE=10, LRS_BACKOFF_MAX=20)
    ids = record(xapi_app, 2)
    _down(lrs, headers={"Retry-After": "soon, honestly"}, times=1)
    start = utcnow()
    summary = send_once(xapi_app)
    assert "Retry-After 'soon, honestly' is neither seconds nor a date" in summary.transient_error
    until = circuit_state(xapi_app).until
    assert start + timedelta(seconds=4.5) <= until <= start + timedelta(seconds=10.5)
    assert "neither seconds nor a date" in rows(xapi_app)[ids[0]].last_error
    drain(xapi_app)
    _stored_once(lrs, ids)


def test_backoff_grows_to_the_cap_and_starts_again_after_a_success(xapi_app, lrs):
    xapi_app.config.update(LRS_BACKOFF_BASE=10, LRS_BACKOFF_MAX=40)
    record(xapi_app, 5)
    ceilings = [10, 20, 40, 40, 40, 40]
    for ceiling in ceilings:
        _down(lrs, times=1)
        start = utcnow()
        send_once(xapi_app)
        wait = (circuit_state(xapi_app).until - start).total_seconds()
        assert ceiling / 2 - 0.5 <= wait <= ceiling + 0.5
        make_due(xapi_app)
    send_once(xapi_app)  # the LRS is back
    assert circuit_state(xapi_app).state == CircuitState.CLOSED
    record(xapi_app, 1)
    _down(lrs, times=1)
    start = utcnow()
    send_once(xapi_app)
    state = circuit_state(xapi_app)
    assert state.failures == 1
    assert (state.until - start).total_seconds() <= 10.5


def test_one_log_line_per_change_of_state(xapi_app, lrs, caplog):
    xapi_app.config.update(LRS_BATCH_SIZE=5, LRS_BACKOFF_BASE=60, LRS_BACKOFF_MAX=120)
    record(xapi_app, 40)
    caplog.set_level(logging.WARNING, logger="elearn.xapi")
    _down(lrs, times=1)
    send_once(xapi_app)
    for _ in range(3):
        send_once(xapi_app)  # waiting: silent
    make_due(xapi_app)
    _down(lrs, times=1)
    send_once(xapi_app)
    make_due(xapi_app)
    send_once(xapi_app)
    messages = [record.getMessage() for record in caplog.records if record.name == "elearn.xapi"]
    assert len(messages) == 3, messages
    assert messages[0].startswith("The LRS is unavailable")
    assert messages[1].startswith("The LRS is still unavailable after 2 tries")
    assert messages[2].startswith("The LRS is available again")


def test_connection_resets_during_an_outage_are_few_and_recovery_sends_full_batches(
    xapi_app, lrs, proxy
):
    """A worker runs through a 2-second outage (every connection reset) while statements keep
    arriving; the proxy counts its tries, the LRS the batches after recovery."""
    xapi_app.config.update(LRS_BATCH_SIZE=10, LRS_BACKOFF_BASE=0.4, LRS_BACKOFF_MAX=0.8)
    ids = record(xapi_app, 5)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(xapi_app, stop, 0.05))
    worker.start()
    try:
        # Wait until the sender has the LRS's answer (the rows are marked sent), not just until
        # the LRS has stored them: an answer cut off in flight is, rightly, re-sent after the
        # outage and met with a 409, and the row-by-row resend would blur the batch sizes below.
        deadline = time.monotonic() + 10
        while set(states(xapi_app).values()) != {OutboxState.SENT} and time.monotonic() < deadline:
            time.sleep(0.02)
        proxy.set_mode("reset")
        outage_start = len(lrs.requests)
        for _ in range(10):  # statements keep arriving during the outage
            ids += record(xapi_app, 4)
            time.sleep(0.2)
        tries = proxy.attempts["reset"]
        proxy.set_mode("pass")
        deadline = time.monotonic() + 10
        while set(lrs.stored) != set(ids) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        worker.join(timeout=10)
    # Waits of 0.2-0.4 s, then 0.4-0.8 s: at most 1 + 2 / 0.2 tries in 2 s (the old sender
    # made one per round every 50 ms, about 40).
    assert 1 <= tries <= 8, tries
    assert len(lrs.requests) > outage_start
    sizes = [len(request) for request, _ in lrs.requests[outage_start:]]
    assert sizes[0] == 1  # the probe
    assert sizes[1:-1] == [10] * (len(sizes) - 2)  # then full batches
    assert sum(sizes) == 40
    _stored_once(lrs, ids)


def test_a_hanging_lrs_opens_the_circuit(xapi_app, lrs, proxy):
    xapi_app.config.update(LRS_TIMEOUT=0.3, LRS_BACKOFF_BASE=60, LRS_BACKOFF_MAX=120)
    ids = record(xapi_app, 3)
    proxy.set_mode("hang")
    summary = send_once(xapi_app)
    assert "No answer from the LRS within 0.3 s" in summary.transient_error
    assert send_once(xapi_app).requests == 0
    assert proxy.attempts["hang"] == 1
    proxy.set_mode("pass")
    drain(xapi_app)
    _stored_once(lrs, ids)
