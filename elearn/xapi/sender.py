"""Delivers the outbox to the Learning Record Store.

We send with ``httpx``, not tincan's ``RemoteLRS``: that client has no timeout, raises raw
exceptions on connection errors, switches to PUT whenever an id is set and rewrites ids from the
reply. Here every request has a timeout, statements are POSTed in batches as the exact bytes stored
when they were recorded (rule 16), and every answer is acted on as the catalogue's sender table
says:

======================  ======================================================================
answer                  what happens
======================  ======================================================================
200 / 204               sent (a 200's ids must be ours; ids left out were already stored)
409                     already stored: sent (a batch is re-sent one by one to find which)
400 / 422               halve the batch until the bad statements are isolated; they are marked
                        failed with the LRS's message, the rest go on
413                     halve the batch (a single statement too large is failed)
401 / 403 / 404, other  configuration problem: stop, keep everything pending, record it for
3xx and 4xx             ``elearn xapi status`` and the admin page
429 / 5xx / timeout /   the LRS is unavailable: the circuit opens and the *whole sender* waits
refused connection      (capped exponential backoff with jitter, no sooner than ``Retry-After``),
                        then sends one small probe batch before full batches resume; never
                        dropped (``elearn.xapi.circuit``)
======================  ======================================================================

Claims are safe with several senders: on PostgreSQL the due rows are picked with
``FOR UPDATE SKIP LOCKED``; on SQLite one atomic ``UPDATE ... WHERE state = 'pending'`` claims
them with this sender's token. A sender that dies mid-batch leaves rows in "sending"; once their
claim is older than ``LRS_CLAIM_TIMEOUT`` any sender takes them back, and re-sending them is
harmless because the ids are fixed (the LRS answers 409 or leaves them out of its 200).
"""

import json
import logging
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
from flask import Flask, current_app
from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult

from elearn.config import Defaults
from elearn.db import utcnow
from elearn.extensions import db
from elearn.xapi import circuit
from elearn.xapi.circuit import Circuit, CircuitState
from elearn.xapi.models import FAILED, PENDING, SENDING, SENT, OutboxStatement
from elearn.xapi.outbox import (
    CONFIG_ERROR,
    LAST_ERROR,
    LAST_SUCCESS,
    RECLAIMED,
    set_status_value,
)

logger = logging.getLogger("elearn.xapi")

XAPI_VERSION = "1.0.3"
MESSAGE_LIMIT = 1000


def statements_address(endpoint: str) -> str:
    """The statements resource for ``LRS_ENDPOINT``, which may be the LRS's xAPI base address (what
    most LRSs publish, e.g. ``https://lrs.example.org/xapi/``) or its statements address."""
    endpoint = endpoint.strip()
    if not endpoint:
        return ""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def about_address(statements: str) -> str:
    """The LRS's About resource, beside its statements resource."""
    parts = urlsplit(statements)
    base = parts.path[: -len("statements")]
    return urlunsplit((parts.scheme, parts.netloc, base + "about", "", ""))


@dataclass(frozen=True)
class SenderConfig:
    """Delivery settings, read from the app's config (``LRS_*`` keys)."""

    endpoint: str = ""
    username: str = ""
    password: str = ""
    batch_size: int = Defaults.LRS_BATCH_SIZE
    timeout: float = Defaults.LRS_TIMEOUT
    backoff_base: float = Defaults.LRS_BACKOFF_BASE
    backoff_max: float = Defaults.LRS_BACKOFF_MAX
    retry_after_max: float = Defaults.LRS_RETRY_AFTER_MAX
    claim_timeout: float = Defaults.LRS_CLAIM_TIMEOUT
    probe_batch_size: int = Defaults.LRS_PROBE_BATCH_SIZE

    @classmethod
    def from_app(cls, app: Flask) -> "SenderConfig":
        config = app.config
        return cls(
            endpoint=statements_address(config.get("LRS_ENDPOINT") or ""),
            username=config.get("LRS_USERNAME") or "",
            password=config.get("LRS_PASSWORD") or "",
            batch_size=max(1, int(config.get("LRS_BATCH_SIZE", Defaults.LRS_BATCH_SIZE))),
            timeout=float(config.get("LRS_TIMEOUT", Defaults.LRS_TIMEOUT)),
            backoff_base=float(config.get("LRS_BACKOFF_BASE", Defaults.LRS_BACKOFF_BASE)),
            backoff_max=float(config.get("LRS_BACKOFF_MAX", Defaults.LRS_BACKOFF_MAX)),
            retry_after_max=float(config.get("LRS_RETRY_AFTER_MAX", Defaults.LRS_RETRY_AFTER_MAX)),
            claim_timeout=float(config.get("LRS_CLAIM_TIMEOUT", Defaults.LRS_CLAIM_TIMEOUT)),
            probe_batch_size=max(
                1, int(config.get("LRS_PROBE_BATCH_SIZE", Defaults.LRS_PROBE_BATCH_SIZE))
            ),
        )


@dataclass
class SendSummary:
    """What one :func:`send_once` did."""

    lrs_configured: bool = True
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    requests: int = 0
    retry_later: int = 0
    config_error: str | None = None
    transient_error: str | None = None
    next_attempt_at: datetime | None = None
    failures: list[str] = field(default_factory=list)
    circuit: CircuitState = CircuitState.CLOSED  # as this round left it
    probed: bool = False  # this round sent the probe after an outage
    waiting_until: datetime | None = None  # the circuit was open: nothing was posted

    def __str__(self) -> str:
        if self.waiting_until is not None and not self.requests:
            return (
                f"The LRS is unavailable ({self.transient_error}); nothing is sent before "
                f"{self.waiting_until:%Y-%m-%d %H:%M:%S} UTC, then one probe."
            )
        return self._text()

    def _text(self) -> str:
        if not self.lrs_configured:
            return (
                "No Learning Record Store is configured (LRS_ENDPOINT): statements stay in the "
                "outbox, the local learning record store."
            )
        text = (
            f"Sent {self.sent}, failed {self.failed}, waiting to retry {self.retry_later} "
            f"({self.requests} requests)."
        )
        if self.transient_error:
            text += f" The LRS is unavailable, will retry: {self.transient_error}"
        return text


class _Stop(Exception):
    """Stop this round: the LRS cannot take statements now."""

    def __init__(self, message: str, config: bool, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.config = config
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Row:
    id: int
    statement_id: str
    payload: bytes
    attempts: int


def _message(response: httpx.Response) -> str:
    """The LRS's reason, from its JSON (``detail``/``message``/``error``) or its text; an HTML
    page (a web server or proxy answering, not an LRS) is summarised by its title."""
    text = response.text.strip()
    if "html" in response.headers.get("Content-Type", "") or text[:1].startswith("<"):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        heading = " ".join(title.group(1).split())[:200] if title else "no title"
        reason = response.reason_phrase or ""
        return (
            f"LRS answered {response.status_code} {reason} with an HTML page ({heading!r}), "
            "not an LRS's JSON: check LRS_ENDPOINT"
        )
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("detail", "message", "error", "errors"):
            if body.get(key):
                value = body[key]
                text = value if isinstance(value, str) else json.dumps(value)
                break
    reason = response.reason_phrase or ""
    text = text[:MESSAGE_LIMIT] or reason
    return f"LRS answered {response.status_code} {reason}: {text}".strip()


def _retry_after(response: httpx.Response, cap: float) -> tuple[float | None, str]:
    """The LRS's ``Retry-After`` in seconds (a number of seconds or an HTTP date), capped, and a
    note for the status when the header could not be read (the backoff applies instead)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None, ""
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            seconds = (parsedate_to_datetime(value) - utcnow()).total_seconds()
        except (TypeError, ValueError, IndexError):
            shown = value[:40]
            return None, f" (its Retry-After {shown!r} is neither seconds nor a date: ignored)"
    return min(max(seconds, 0.0), cap), ""


class Sender:
    """One round of delivery for one app, identified by a claim token."""

    def __init__(self, app: Flask, config: SenderConfig, client: httpx.Client | None = None):
        self.app = app
        self.config = config
        self.token = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.client = client
        self.summary = SendSummary()
        self._resolved: set[int] = set()

    # -- the database side ------------------------------------------------------------------------

    def release_stale_claims(self) -> int:
        """Take back rows claimed by a sender that died (claim older than the claim timeout)."""
        now = utcnow()
        cutoff = now - timedelta(seconds=self.config.claim_timeout)
        note = (
            f"Taken back at {now:%Y-%m-%d %H:%M:%S} UTC from a sender that stopped while "
            f"sending it (claimed over {self.config.claim_timeout:g} s before)"
        )
        result = cast(
            CursorResult[Any],
            db.session.execute(
                update(OutboxStatement)
                .where(OutboxStatement.state == SENDING, OutboxStatement.claimed_at < cutoff)
                .values(state=PENDING, claimed_by=None, claimed_at=None, last_error=note)
                .execution_options(synchronize_session=False)
            ),
        )
        count = result.rowcount or 0
        if count:
            set_status_value(RECLAIMED, f"{count} statements: {note}")
        db.session.commit()
        if count:
            logger.warning("Took back %d xAPI statements from a stopped sender", count)
        return count

    def claim(self, limit: int, upto: int) -> list[_Row]:
        """Atomically mark up to ``limit`` due pending rows as ours, oldest first."""
        now = utcnow()
        due = (
            select(OutboxStatement.id)
            .where(
                OutboxStatement.state == PENDING,
                OutboxStatement.next_attempt_at <= now,
                OutboxStatement.id <= upto,
            )
            .order_by(OutboxStatement.id)
            .limit(limit)
        )
        if db.engine.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        claimed = db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.id.in_(due.scalar_subquery()), OutboxStatement.state == PENDING)
            .values(
                state=SENDING,
                claimed_by=self.token,
                claimed_at=now,
                attempts=OutboxStatement.attempts + 1,
            )
            .returning(
                OutboxStatement.id,
                OutboxStatement.statement_id,
                OutboxStatement.statement_json,
                OutboxStatement.attempts,
            )
            .execution_options(synchronize_session=False)
        ).all()
        db.session.commit()
        rows = [
            _Row(r.id, r.statement_id, r.statement_json.encode("utf-8"), r.attempts)
            for r in claimed
        ]
        return sorted(rows, key=lambda row: row.id)

    def _ours(self, rows: list[_Row]):
        return update(OutboxStatement).where(
            OutboxStatement.id.in_([row.id for row in rows]),
            OutboxStatement.claimed_by == self.token,
        )

    def mark_sent(self, rows: list[_Row]) -> None:
        now = utcnow()
        db.session.execute(
            self._ours(rows)
            .values(state=SENT, sent_at=now, last_error=None, claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        set_status_value(LAST_SUCCESS, now.isoformat())
        set_status_value(CONFIG_ERROR, None)
        db.session.commit()
        self._resolved.update(row.id for row in rows)
        self.summary.sent += len(rows)

    def mark_failed(self, rows: list[_Row], message: str) -> None:
        db.session.execute(
            self._ours(rows)
            .values(state=FAILED, last_error=message, claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        ids = ", ".join(row.statement_id for row in rows)
        set_status_value(LAST_ERROR, f"Refused statement {ids}: {message}")
        set_status_value(CONFIG_ERROR, None)
        db.session.commit()
        self._resolved.update(row.id for row in rows)
        self.summary.failed += len(rows)
        self.summary.failures.append(f"{ids}: {message}")
        logger.error("The LRS refused xAPI statement %s: %s", ids, message)

    def release(self, rows: list[_Row], stop: _Stop, due: datetime | None = None) -> None:
        """Give unfinished rows back in one statement: due now (configuration problem) or when
        the circuit lets the sender try again (``due``)."""
        left = [row for row in rows if row.id not in self._resolved]
        if left:
            if stop.config:
                values: dict[str, Any] = {
                    "attempts": OutboxStatement.attempts - 1,
                    "next_attempt_at": utcnow(),
                }
            else:
                values = {"next_attempt_at": due or utcnow()}
            db.session.execute(
                self._ours(left)
                .values(
                    state=PENDING,
                    last_error=stop.message,
                    claimed_by=None,
                    claimed_at=None,
                    **values,
                )
                .execution_options(synchronize_session=False)
            )
            self.summary.retry_later += len(left)
        if stop.config:
            set_status_value(CONFIG_ERROR, stop.message, since=True)
        set_status_value(LAST_ERROR, stop.message)
        db.session.commit()
        self._resolved.update(row.id for row in rows)

    # -- the HTTP side ----------------------------------------------------------------------------

    def post(self, rows: list[_Row]) -> httpx.Response:
        body = b"[" + b",".join(row.payload for row in rows) + b"]"
        self.summary.requests += 1
        if self.client is None:
            raise RuntimeError("Sender.post needs an HTTP client: run() opens one")
        try:
            return self.client.post(
                self.config.endpoint,
                content=body,
                headers={
                    "X-Experience-API-Version": XAPI_VERSION,
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
            )
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise _Stop(f"LRS_ENDPOINT is not a usable address: {error}", config=True) from error
        except httpx.TimeoutException as error:
            message = f"No answer from the LRS within {self.config.timeout:g} s ({error!r})"
            raise _Stop(message, config=False) from error
        except httpx.ConnectError as error:
            raise _Stop(f"Could not connect to the LRS: {error}", config=False) from error
        except httpx.TransportError as error:
            raise _Stop(f"The connection to the LRS failed: {error!r}", config=False) from error

    def deliver(self, rows: list[_Row]) -> None:
        """Send rows and act on the answer; raises _Stop when this round must end."""
        response = self.post(rows)
        code = response.status_code
        if 200 <= code < 300:
            self.accepted(rows, response)
        elif code == 409:
            if len(rows) == 1:
                self.mark_sent(rows)  # rule 17: stored already; never re-sent with a new id
            else:
                for row in rows:
                    self.deliver([row])
        elif code in (400, 413, 422):
            if len(rows) == 1:
                self.mark_failed(rows, _message(response))
            else:
                middle = len(rows) // 2
                self.deliver(rows[:middle])
                self.deliver(rows[middle:])
        elif code == 429 or code >= 500:
            retry_after, note = _retry_after(response, self.config.retry_after_max)
            raise _Stop(_message(response) + note, config=False, retry_after=retry_after)
        else:
            location = response.headers.get("Location")
            message = _message(response)
            if location:
                message += f" (redirected to {location}: set LRS_ENDPOINT to that address)"
            elif code == 404:
                message += (
                    f" (no statements resource at {self.config.endpoint}: set LRS_ENDPOINT to the "
                    "LRS's xAPI base address or its statements address)"
                )
            raise _Stop(f"Configuration problem: {message}", config=True)

    def accepted(self, rows: list[_Row], response: httpx.Response) -> None:
        if response.status_code == 204:
            self.mark_sent(rows)
            return
        try:
            returned = response.json()
        except ValueError:
            returned = None
        ours = [row.statement_id for row in rows]
        if isinstance(returned, list) and all(isinstance(item, str) for item in returned):
            returned = [item.lower() for item in returned]
            position = {statement_id: index for index, statement_id in enumerate(ours)}
            indexes = [
                position[statement_id] for statement_id in returned if statement_id in position
            ]
            if len(indexes) == len(returned) and indexes == sorted(set(indexes)):
                # Ids left out were already stored with identical content (some LRSs do this).
                self.mark_sent(rows)
                return
        reply = response.text[:200]
        self.mark_failed(
            rows,
            f"LRS answered {response.status_code} without our statement ids "
            f"(expected {len(ours)} ids, got {reply!r}); check LRS_ENDPOINT",
        )

    # -- one round --------------------------------------------------------------------------------

    def _gate(self) -> Circuit | None:
        """The circuit this round may send under, or None when it must wait (open and not due,
        or another sender holds the probe)."""
        current, stored = circuit.load()
        if current.state == CircuitState.CLOSED:
            return current
        if current.wait_seconds() > 0:
            self.summary.circuit = current.state
            self.summary.transient_error = current.reason
            self.summary.waiting_until = current.until
            self.summary.next_attempt_at = current.until
            db.session.commit()
            return None
        probe = circuit.take_probe(current, stored, hold=self.config.claim_timeout)
        db.session.commit()
        if probe is None:
            return None
        self.summary.probed = True
        return probe

    def run(self) -> SendSummary:
        if not self.config.endpoint:
            self.summary.lrs_configured = False
            return self.summary
        self.release_stale_claims()
        state = self._gate()
        if state is None:
            return self.summary
        upto = db.session.scalar(select(func.max(OutboxStatement.id))) or 0
        own_client = self.client is None
        if self.client is None:
            auth = (self.config.username, self.config.password) if self.config.username else None
            self.client = httpx.Client(timeout=self.config.timeout, auth=auth)
        client = self.client
        try:
            while True:
                probing = state.state != CircuitState.CLOSED
                size = self.config.probe_batch_size if probing else self.config.batch_size
                rows = self.claim(size, upto)
                if not rows:
                    if probing:  # nothing to probe with: give the probe back, due at once
                        state = circuit.reopened_now(state)
                        db.session.commit()
                    break
                self.summary.claimed += len(rows)
                try:
                    self.deliver(rows)
                except _Stop as stop:
                    if stop.config:
                        self.release(rows, stop)
                        if probing:
                            state = circuit.reopened_now(state)
                            db.session.commit()
                        self.summary.config_error = stop.message
                        logger.error("xAPI sending stopped: %s", stop.message)
                    else:
                        state = circuit.opened(
                            state,
                            stop.message,
                            self.config.backoff_base,
                            self.config.backoff_max,
                            stop.retry_after,
                        )
                        self.release(rows, stop, due=state.until)
                        self.summary.transient_error = stop.message
                        self.summary.waiting_until = state.until
                    break
                except BaseException:
                    # Anything unexpected: hand the rows back for a retry, then let it surface.
                    db.session.rollback()
                    self.release(rows, _Stop("The sender stopped unexpectedly", config=False))
                    raise
                if probing:  # the LRS answered the probe: full batches from now on
                    state = circuit.closed(state)
                    db.session.commit()
        finally:
            if own_client:
                client.close()
        self.summary.circuit = state.state
        self.summary.next_attempt_at = db.session.scalar(
            select(func.min(OutboxStatement.next_attempt_at)).where(
                OutboxStatement.state == PENDING
            )
        )
        if state.state == CircuitState.OPEN and state.until is not None:
            self.summary.next_attempt_at = state.until
        db.session.commit()
        return self.summary


@dataclass(frozen=True)
class AboutCheck:
    """What the LRS's About resource said: ``problem`` stops sending (a configuration problem);
    ``note`` is worth a log line but not a stop."""

    versions: tuple[str, ...] = ()
    problem: str | None = None
    note: str | None = None
    unreachable: bool = False  # read it again later (the circuit paces the statements meanwhile)


def check_about(config: SenderConfig, client: httpx.Client) -> AboutCheck:
    """Read the LRS's About resource and check that it speaks xAPI 1.0.x (we send 1.0.3).

    An LRS that cannot be reached now is not a configuration problem (the circuit deals with
    it), and one without an About resource (Ralph has none) is only noted."""
    url = about_address(config.endpoint)
    try:
        response = client.get(
            url, headers={"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
        )
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
        return AboutCheck(problem=f"LRS_ENDPOINT is not a usable address: {error}")
    except httpx.TransportError as error:
        return AboutCheck(note=f"Could not reach {url}: {error!r}", unreachable=True)
    if response.status_code in (401, 403):
        return AboutCheck(problem=f"Configuration problem: {_message(response)} (at {url})")
    if response.status_code != 200:
        return AboutCheck(note=f"No About resource at {url} ({_message(response)})")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("version"), list):
        return AboutCheck(
            problem=(
                f"{url} is not an xAPI LRS's About resource ({_message(response)}). Set "
                "LRS_ENDPOINT to the LRS's xAPI base address or its statements address."
            )
        )
    versions = tuple(str(v) for v in body["version"])
    if not any(v.startswith("1.0.") for v in versions):
        return AboutCheck(
            versions,
            problem=(
                f"The LRS speaks xAPI {', '.join(versions) or 'no version'}, not 1.0.x: we "
                f"send {XAPI_VERSION}."
            ),
        )
    return AboutCheck(versions)


def send_once(
    app: Flask | None = None,
    config: SenderConfig | None = None,
    client: httpx.Client | None = None,
) -> SendSummary:
    """Send what is due now, in batches, and return a summary.

    Runs in its own app context (so its own database session). ``config`` defaults to the app's
    ``LRS_*`` settings; ``client`` lets a caller reuse one ``httpx.Client`` across rounds.
    """
    # current_app is a LocalProxy, which Flask types as the Flask object it stands for.
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        sender = Sender(app, config or SenderConfig.from_app(app), client)
        try:
            return sender.run()
        finally:
            db.session.remove()


def run_worker(
    app: Flask,
    stop: threading.Event,
    poll_interval: float = 5.0,
    config_retry_interval: float = 60.0,
    on_round=None,
    chore: Callable[[], None] | None = None,
    chore_every: float = 60.0,
) -> int:
    """Keep sending until ``stop`` is set; returns how many rounds ran.

    Waits ``poll_interval`` between rounds (less if a retry falls due sooner) and
    ``config_retry_interval`` after a configuration problem. A round in progress finishes (every
    request has a timeout) before the worker stops. ``chore`` (the entry point's periodic work,
    such as recording the sessions that timed out) runs before a round at most every
    ``chore_every`` seconds; what it raises is logged and never stops the sender.
    """
    rounds = 0
    chore_due = time.monotonic()
    config = SenderConfig.from_app(app)
    auth = (config.username, config.password) if config.username else None
    about_read = False
    with httpx.Client(timeout=config.timeout, auth=auth) as client:
        while not stop.is_set():
            if chore is not None and time.monotonic() >= chore_due:
                chore_due = time.monotonic() + chore_every
                try:
                    chore()
                except Exception:
                    logger.exception("The worker's periodic chore failed; it runs again later")
            if not about_read and config.endpoint:
                about = check_about(config, client)
                about_read = not about.problem and not about.unreachable
                if about.problem:
                    with app.app_context():
                        set_status_value(CONFIG_ERROR, about.problem, since=True)
                        set_status_value(LAST_ERROR, about.problem)
                        db.session.commit()
                        db.session.remove()
                    logger.error("xAPI sending stopped: %s", about.problem)
                    rounds += 1
                    if on_round is not None:
                        on_round(SendSummary(config_error=about.problem))
                    stop.wait(config_retry_interval)
                    continue
                if about.note and not about.unreachable:
                    logger.warning("%s; sending without checking the xAPI version", about.note)
                elif about.versions:
                    logger.info("The LRS speaks xAPI %s", ", ".join(about.versions))
            summary = send_once(app, config, client)
            rounds += 1
            if on_round is not None:
                on_round(summary)
            if summary.config_error or not summary.lrs_configured:
                wait = config_retry_interval
            elif summary.waiting_until is not None:
                # The LRS is unavailable: nothing can be sent before the circuit is due, however
                # many statements arrive, so the worker sleeps until then.
                wait = max((summary.waiting_until - utcnow()).total_seconds(), 0.05)
            else:
                wait = poll_interval
                if summary.next_attempt_at is not None:
                    due_in = (summary.next_attempt_at - utcnow()).total_seconds()
                    wait = min(wait, max(due_in, 0.05))
            if chore is not None:
                wait = min(wait, max(chore_due - time.monotonic(), 0.05))
            stop.wait(wait)
    return rounds
