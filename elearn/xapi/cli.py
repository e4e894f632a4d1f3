"""`elearn xapi ...`: send, run the sender worker, show delivery status, export statements."""

import signal
import sys
import threading
from datetime import UTC

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn.auth.service import sweep_sessions
from elearn.config import base_url_problem
from elearn.unit_of_work import action
from elearn.xapi.circuit import Circuit, CircuitState
from elearn.xapi.outbox import export_jsonl, replay_since, status
from elearn.xapi.sender import SenderConfig, run_worker, send_once


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _age(delta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{seconds} seconds"
    if seconds < 3600:
        return f"{seconds // 60} minutes"
    if seconds < 86400:
        return f"{seconds // 3600} hours {seconds % 3600 // 60} minutes"
    return f"{seconds // 86400} days {seconds % 86400 // 3600} hours"


@click.group("xapi", help="Learning records: send xAPI statements to the LRS, status, export.")
def xapi_group():
    pass


@xapi_group.command("send")
@with_appcontext
def send_command():
    """Send every statement that is due to the Learning Record Store once, then print a summary."""

    summary = send_once(current_app._get_current_object())
    click.echo(str(summary))
    for failure in summary.failures:
        click.echo(f"Refused by the LRS: {failure}", err=True)
    if summary.config_error:
        _fail(f"{summary.config_error}. Statements are kept and will be sent once this is fixed.")


@xapi_group.command("worker")
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0.01),
    default=5.0,
    show_default=True,
    help="Seconds to wait between rounds when there is nothing due.",
)
@click.option(
    "--config-retry-interval",
    type=click.FloatRange(min=0.01),
    default=60.0,
    show_default=True,
    help="Seconds to wait before trying again after a configuration problem (401/403/404).",
)
@with_appcontext
def worker_command(poll_interval, config_retry_interval):
    """Keep sending statements as they are recorded, and every SESSION_SWEEP_SECONDS record the
    end of sessions that timed out; stops cleanly on SIGTERM or Ctrl+C."""

    app = current_app._get_current_object()
    if app.config["ENV"] not in ("development", "testing"):
        if problem := base_url_problem(app.config["BASE_URL"]):
            _fail(problem)
    if not SenderConfig.from_app(app).endpoint:
        _fail("no Learning Record Store is configured: set ELEARN_LRS_ENDPOINT.")
    stop = threading.Event()

    def _stop(signum, frame):
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    endpoint = SenderConfig.from_app(app).endpoint
    click.echo(f"Sending xAPI statements to {endpoint} (stop with Ctrl+C).")

    def _report(summary):
        if summary.sent or summary.failed:
            click.echo(str(summary))
        if summary.config_error:
            click.echo(f"Error: {summary.config_error}", err=True)

    def _sweep_sessions():
        # A fresh app context each time: nothing (the course read, the session) carries over.
        with app.app_context(), action():
            recorded = sweep_sessions()
        if recorded:
            click.echo(f"Recorded the end of {recorded} sessions.")

    try:
        rounds = run_worker(
            app,
            stop,
            poll_interval,
            config_retry_interval,
            on_round=_report,
            chore=_sweep_sessions,
            chore_every=float(app.config["SESSION_SWEEP_SECONDS"]),
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(f"Worker stopped after {rounds} rounds.")


@xapi_group.command("status")
@with_appcontext
def status_command():
    """Show statements by state, the oldest one still waiting and the latest problems."""

    info = status()
    endpoint = info.lrs_endpoint or "none (the outbox is the local learning record store)"
    click.echo(f"LRS: {endpoint}")
    for state, count in info.counts.items():
        click.echo(f"  {state:<8} {count}")
    if info.oldest_pending_age is not None:
        click.echo(f"Oldest waiting statement: {_age(info.oldest_pending_age)} old")
    else:
        click.echo("Oldest waiting statement: none waiting")
    if info.last_success_at:
        click.echo(f"Last delivery: {info.last_success_at:%Y-%m-%d %H:%M:%S} UTC")
    if info.last_error:
        click.echo(f"Last error ({info.last_error_at:%Y-%m-%d %H:%M:%S} UTC): {info.last_error}")
    if info.circuit_json:
        click.echo(circuit_line(Circuit.from_json(info.circuit_json)))
    if info.reclaimed:
        click.echo(f"Taken back ({info.reclaimed_at:%Y-%m-%d %H:%M:%S} UTC): {info.reclaimed}")
    problem = False
    if info.config_error:
        click.echo(
            f"Configuration problem since {info.config_error_at:%Y-%m-%d %H:%M:%S} UTC: "
            f"{info.config_error}. Sending is stopped; statements are kept.",
            err=True,
        )
        problem = True
    if info.backlog_too_old and info.oldest_pending_age is not None:
        click.echo(
            f"Backlog too old: a statement has waited {_age(info.oldest_pending_age)}, more "
            f"than XAPI_BACKLOG_ALERT_MINUTES ({info.backlog_alert_minutes:g}).",
            err=True,
        )
        problem = True
    if problem:
        sys.exit(1)


def circuit_line(state: Circuit) -> str:
    """What the sender last saw of the LRS, in one line."""
    since = f"{state.since:%Y-%m-%d %H:%M:%S} UTC" if state.since else "?"
    if state.state == CircuitState.PROBING:
        return f"LRS unavailable since {since}: a sender is probing it now ({state.reason})"
    until = f"{state.until:%Y-%m-%d %H:%M:%S} UTC" if state.until else "?"
    return (
        f"LRS unavailable since {since} ({state.failures} tries): nothing is sent before "
        f"{until}, then one probe. Last answer: {state.reason}"
    )


@xapi_group.command("replay")
@click.option(
    "--since",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    help="Re-send statements recorded from this date (UTC), e.g. 2026-11-01.",
)
@with_appcontext
def replay_command(since):
    """Send statements already sent once again (to a new LRS), from a date; ids are unchanged,
    so nothing is stored twice."""
    with action():
        count = replay_since(since.replace(tzinfo=UTC))
    click.echo(
        f"{count} sent statements recorded since {since:%Y-%m-%d %H:%M:%S} UTC will be sent "
        "again by `elearn xapi send` or the worker (statements already pruned cannot be)."
    )


@xapi_group.command("export")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File to write the JSON Lines to (default: standard output).",
)
@with_appcontext
def export_command(out):
    """Write every statement in the outbox (not the invalid ones) as JSON Lines."""

    if out is None:
        export_jsonl(click.get_text_stream("stdout"))
        return
    try:
        with open(out, "w", encoding="utf-8", newline="\n") as fp:
            count = export_jsonl(fp)
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror or error}")
    click.echo(f"Wrote {count} statements to {out}.")


def init_app(app) -> None:
    """Attach the `xapi` group to the app's CLI."""
    app.cli.add_command(xapi_group)
