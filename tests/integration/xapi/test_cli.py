"""`elearn xapi send | worker | status | export | replay`, through the CLI runner."""

import json
import os
import signal
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from elearn.db import utcnow
from elearn.extensions import db
from elearn.xapi.models import OutboxStatement
from elearn.xapi.outbox import status
from elearn.xapi.sender import send_once
from tests.integration.xapi.helpers import record, record_journey, states


def test_send_with_no_lrs_configured(xapi_app):
    record(xapi_app, 2)
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "send"])
    assert result.exit_code == 0
    assert "No Learning Record Store is configured" in result.output
    assert set(states(xapi_app).values()) == {"pending"}


def test_send_prints_a_summary(xapi_app, lrs):
    ids = record(xapi_app, 3)
    lrs.reject[ids[1]] = "bad statement"
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, failed 1" in result.stdout
    assert f"Refused by the LRS: {ids[1]}" in result.stderr
    assert "bad statement" in result.stderr


def test_send_with_a_configuration_problem_exits_1(xapi_app, lrs):
    record(xapi_app, 1)
    xapi_app.config["LRS_PASSWORD"] = "wrong"
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "send"])
    assert result.exit_code == 1
    assert "Error: Configuration problem: LRS answered 401" in result.stderr
    assert "Statements are kept" in result.stderr


def test_status(xapi_app, lrs):
    ids = record(xapi_app, 4)
    lrs.reject[ids[0]] = "no such verb"
    send_once(xapi_app)
    record(xapi_app, 2)
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "status"])
    assert result.exit_code == 0
    assert f"LRS: {lrs.endpoint}" in result.stdout
    assert "  pending  2" in result.stdout
    assert "  sent     3" in result.stdout
    assert "  failed   1" in result.stdout
    assert "Oldest waiting statement: 0 seconds old" in result.stdout
    assert "Last error" in result.stdout and "no such verb" in result.stdout


def test_status_reports_a_configuration_problem(xapi_app, lrs):
    record(xapi_app, 1)
    xapi_app.config["LRS_PASSWORD"] = "wrong"
    send_once(xapi_app)
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "status"])
    assert result.exit_code == 1
    assert "Configuration problem since" in result.stderr
    assert "401" in result.stderr


def test_status_with_no_lrs(xapi_app):
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "status"])
    assert result.exit_code == 0
    assert "LRS: none (the outbox is the local learning record store)" in result.stdout
    assert "none waiting" in result.stdout


def test_export_to_stdout(xapi_app):
    made = record_journey(xapi_app)
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "export"])
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == made


def test_export_to_a_file(xapi_app, tmp_path):
    made = record_journey(xapi_app)
    out = tmp_path / "records.jsonl"
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "export", "--out", str(out)])
    assert result.exit_code == 0
    assert f"Wrote {len(made)} statements to {out}." in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [s["id"] for s in made]


def test_export_to_an_unwritable_place(xapi_app, tmp_path):
    result = xapi_app.test_cli_runner().invoke(
        args=["xapi", "export", "--out", str(tmp_path / "missing" / "records.jsonl")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write")


def test_every_option_has_help(xapi_app):
    group = xapi_app.cli.commands["xapi"]
    for command in group.commands.values():
        assert command.help
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{command.name} {param.name}"


def test_worker_needs_an_lrs(xapi_app):
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "worker"])
    assert result.exit_code == 1
    assert "no Learning Record Store is configured" in result.stderr


def test_worker_sends_and_stops_cleanly_on_sigterm(xapi_app, lrs):
    ids = record(xapi_app, 5)
    original = signal.getsignal(signal.SIGTERM)

    def terminate_when_done():
        deadline = time.monotonic() + 10
        # Wait for the worker's own handler, then for the statements to arrive.
        while signal.getsignal(signal.SIGTERM) is original and time.monotonic() < deadline:
            time.sleep(0.01)
        while set(lrs.stored) != set(ids) and time.monotonic() < deadline:
            time.sleep(0.01)
        if signal.getsignal(signal.SIGTERM) is not original:
            os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=terminate_when_done)
    killer.start()
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "worker", "--poll-interval", "0.05"])
    killer.join(timeout=15)
    assert result.exit_code == 0, result.output
    assert "Sending xAPI statements to" in result.stdout
    assert "Sent 5" in result.stdout
    assert "Worker stopped after" in result.stdout
    assert signal.getsignal(signal.SIGTERM) is original  # handlers put back
    assert set(states(xapi_app).values()) == {"sent"}


@pytest.mark.parametrize("base_url", ["", "http://guides.example.org"])
def test_worker_refuses_to_start_without_an_https_base_url_outside_development(
    xapi_app, runner, base_url
):
    xapi_app.config.update(ENV="production", BASE_URL=base_url, LRS_ENDPOINT="https://lrs.test/")
    result = runner.invoke(args=["xapi", "worker"])
    assert result.exit_code == 1
    assert "must be the service's permanent https:// address" in result.stderr


def test_a_configuration_problem_is_dated_from_its_first_sighting(xapi_app, lrs):
    record(xapi_app, 1)
    xapi_app.config["LRS_PASSWORD"] = "wrong"
    send_once(xapi_app)
    with xapi_app.app_context():
        first = status().config_error_at
    time.sleep(0.05)
    send_once(xapi_app)  # the same problem again: still "since" the first time
    with xapi_app.app_context():
        assert status().config_error_at == first


def test_status_exits_1_when_the_backlog_is_too_old(xapi_app):
    record(xapi_app, 1)
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "status"])
    assert result.exit_code == 0
    with xapi_app.app_context():
        db.session.execute(
            update(OutboxStatement).values(created_at=utcnow() - timedelta(minutes=61))
        )
        db.session.commit()
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "status"])
    assert result.exit_code == 1
    assert "Backlog too old: a statement has waited 1 hours 1 minutes" in result.stderr
    assert "XAPI_BACKLOG_ALERT_MINUTES (60)" in result.stderr


def test_status_shows_what_the_sender_last_saw(xapi_app, lrs):
    xapi_app.config.update(LRS_BACKOFF_BASE=60, LRS_BACKOFF_MAX=120)
    record(xapi_app, 2)
    lrs.script.append(("status", 503, {}, {"detail": "maintenance"}))
    send_once(xapi_app)
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "status"])
    assert result.exit_code == 0
    assert "LRS unavailable since" in result.stdout
    assert "(1 tries): nothing is sent before" in result.stdout
    assert "maintenance" in result.stdout


def test_taken_back_statements_are_shown(xapi_app, lrs):
    ids = record(xapi_app, 2)
    with xapi_app.app_context():
        db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.statement_id == ids[0])
            .values(state="sending", claimed_by="dead", claimed_at=utcnow() - timedelta(hours=1))
        )
        db.session.commit()
    send_once(xapi_app)
    assert set(states(xapi_app).values()) == {"sent"}
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "status"])
    assert "Taken back" in result.stdout
    assert "1 statements: Taken back at" in result.stdout
    assert "from a sender that stopped while sending it" in result.stdout


def test_replay_sends_a_range_again_without_duplicates(xapi_app, lrs):
    ids = record(xapi_app, 3)
    send_once(xapi_app)
    lrs.stored.clear()  # a new, empty LRS
    lrs.store_count.clear()
    today = utcnow().strftime("%Y-%m-%d")
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "replay", "--since", today])
    assert result.exit_code == 0, result.output
    assert "3 sent statements recorded since" in result.stdout
    assert set(states(xapi_app).values()) == {"pending"}
    send_once(xapi_app)
    assert set(lrs.stored) == set(ids)
    xapi_app.test_cli_runner().invoke(args=["xapi", "replay", "--since", today])
    send_once(xapi_app)  # the same LRS again: 409, stored once
    assert all(lrs.store_count[i] == 1 for i in ids)
    tomorrow = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%d")
    later = xapi_app.test_cli_runner().invoke(args=["xapi", "replay", "--since", tomorrow])
    assert "0 sent statements" in later.stdout


def test_replay_refuses_a_date_it_cannot_read(xapi_app):
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "replay", "--since", "last week"])
    assert result.exit_code == 2
    assert "Invalid value for '--since'" in result.output
