"""The transactional outbox: statements are written with the change they describe.

The learning-records translator calls :func:`enqueue` in the action's transaction, which the edge
commits once, so a learner's change
and its statements are stored together or not at all. Each statement is validated and serialised
here, once; the sender posts exactly those bytes (rule 16). With no LRS configured the outbox is
the local learning record store: :func:`export_jsonl` writes it out as JSON Lines.
"""

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO, cast

from flask import current_app, has_app_context
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, scoped_session

from elearn.db import new_uuid, utcnow
from elearn.extensions import db
from elearn.xapi.models import (
    FAILED,
    INVALID,
    PENDING,
    SENDING,
    SENT,
    STATES,
    OutboxStatement,
    SenderStatus,
)
from elearn.xapi.validation import validate_statement

logger = logging.getLogger("elearn.xapi")

# SenderStatus keys.
CONFIG_ERROR = "config_error"
LAST_ERROR = "last_error"
LAST_SUCCESS = "last_success"
RECLAIMED = "reclaimed"  # statements taken back from a sender that stopped mid-batch
CIRCUIT_KEY = "circuit"  # the sender's view of the LRS (elearn.xapi.circuit)
EXPORTED_STATES = (PENDING, SENDING, SENT, FAILED)


class InvalidStatementError(ValueError):
    """Raised by :func:`enqueue` with ``XAPI_STRICT`` on (tests): an invalid statement is a bug."""

    def __init__(self, errors: list[str], statement):
        self.errors = errors
        self.statement = statement
        super().__init__("invalid xAPI statement: " + "; ".join(errors))


def serialise(statement: dict) -> str:
    """The statement's JSON, compact and ASCII-only (the same bytes in any database)."""
    return json.dumps(statement, ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def enqueue(
    session: Session | scoped_session[Any],
    statements: Iterable[dict],
    base_url: str | None = None,
    fresh: bool = False,
) -> list[OutboxStatement]:
    """Validate and add statements to the caller's session; the caller commits (once).

    ``fresh=True`` says the statements were just built (new random ids), so the database is not
    asked whether their ids are taken: services use it to keep a page view to a few queries.
    Duplicates within the transaction are still refused, and the unique index still holds.

    An invalid statement is a bug: with ``XAPI_STRICT`` on it raises
    :class:`InvalidStatementError`; otherwise (production) it is logged as an error and stored
    with state "invalid" (kept aside, never sent), so the learner's change is still saved.
    """
    in_app = has_app_context()
    if base_url is None and in_app:
        base_url = current_app.config.get("BASE_URL")
    strict = in_app and current_app.config["XAPI_STRICT"]
    statements = list(statements)
    ids = [s.get("id") for s in statements if isinstance(s, dict) and isinstance(s.get("id"), str)]
    taken: set[str] = set()
    if not fresh:
        with session.no_autoflush:
            taken = set(
                session.scalars(
                    select(OutboxStatement.statement_id).where(
                        OutboxStatement.statement_id.in_(ids)
                    )
                )
            )
    taken |= {
        row.statement_id for row in session.new if isinstance(row, OutboxStatement)
    }  # added earlier in this transaction
    rows = []
    for statement in statements:
        errors = validate_statement(statement, base_url)
        statement_id = statement.get("id") if isinstance(statement, dict) else None
        if statement_id in taken:
            errors.append(f"id: {statement_id} is already in the outbox (ids are never reused)")
        try:
            text = serialise(statement)
        except (TypeError, ValueError) as error:
            errors.append(f"statement: cannot be serialised as JSON ({error})")
            text = json.dumps({"unserialisable": repr(statement)[:10000]})
        if errors:
            if strict:
                raise InvalidStatementError(errors, statement)
            logger.error(
                "Invalid xAPI statement kept aside (state 'invalid', never sent): %s\n%s",
                "; ".join(errors),
                text,
            )
            keep_id = isinstance(statement_id, str) and len(statement_id) == 36
            row = OutboxStatement(
                statement_id=statement_id if keep_id and statement_id not in taken else new_uuid(),
                statement_json=text,
                state=INVALID,
                last_error="; ".join(errors)[:4000],
            )
        else:
            row = OutboxStatement(statement_id=statement_id, statement_json=text, state=PENDING)
        taken.add(row.statement_id)
        session.add(row)
        rows.append(row)
    return rows


# -- status, export, retry ----------------------------------------------------------------------


@dataclass
class OutboxStatus:
    """What an admin needs to know about delivery."""

    counts: dict[str, int] = field(default_factory=dict)
    oldest_pending_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    config_error: str | None = None
    config_error_at: datetime | None = None
    last_success_at: datetime | None = None
    lrs_endpoint: str = ""
    reclaimed: str | None = None
    reclaimed_at: datetime | None = None
    circuit_json: str | None = None  # read with elearn.xapi.circuit.Circuit.from_json
    backlog_alert_minutes: float = 60.0

    @property
    def backlog_too_old(self) -> bool:
        """The oldest statement waiting is older than ``XAPI_BACKLOG_ALERT_MINUTES``."""
        age = self.oldest_pending_age
        return age is not None and age.total_seconds() > self.backlog_alert_minutes * 60

    @property
    def oldest_pending_age(self) -> timedelta | None:
        return utcnow() - self.oldest_pending_at if self.oldest_pending_at else None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def get_status_value(key: str) -> SenderStatus | None:
    return db.session.get(SenderStatus, key)


def set_status_value(key: str, value: str | None, since: bool = False) -> None:
    """Set (or, with None, clear) one sender status fact in the current transaction.

    An upsert, so several senders can record the same fact at once. With ``since`` the time is
    kept when the value is unchanged, so it says since when (a configuration problem retried
    every minute is still "since" its first sighting).
    """
    if value is None:
        db.session.execute(delete(SenderStatus).where(SenderStatus.key == key))
        return
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(SenderStatus).values(key=key, value=value, updated_at=now)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=[SenderStatus.key],
                set_={"value": value, "updated_at": now},
                where=(SenderStatus.value != value) if since else None,
            )
        )
    else:
        row = db.session.get(SenderStatus, key)
        if row is None or not since or row.value != value:
            db.session.merge(SenderStatus(key=key, value=value, updated_at=now))


def status() -> OutboxStatus:
    """Counts by state, the oldest statement still waiting, and the latest problems."""
    counts: dict[str, int] = dict.fromkeys(STATES, 0)
    for state, count in db.session.execute(
        select(OutboxStatement.state, func.count()).group_by(OutboxStatement.state)
    ):
        counts[state] = count
    oldest = db.session.scalar(
        select(func.min(OutboxStatement.created_at)).where(
            OutboxStatement.state.in_((PENDING, SENDING))
        )
    )
    result = OutboxStatus(
        counts=counts,
        oldest_pending_at=oldest,
        lrs_endpoint=current_app.config.get("LRS_ENDPOINT", "") or "",
        backlog_alert_minutes=float(current_app.config.get("XAPI_BACKLOG_ALERT_MINUTES", 60)),
    )
    if row := get_status_value(RECLAIMED):
        result.reclaimed, result.reclaimed_at = row.value, row.updated_at
    if row := get_status_value(CIRCUIT_KEY):
        result.circuit_json = row.value
    if row := get_status_value(LAST_ERROR):
        result.last_error, result.last_error_at = row.value, row.updated_at
    if row := get_status_value(CONFIG_ERROR):
        result.config_error, result.config_error_at = row.value, row.updated_at
    if row := get_status_value(LAST_SUCCESS):
        result.last_success_at = row.updated_at
    return result


def backlog() -> tuple[int, datetime | None]:
    """How many statements wait to be sent (pending or being sent) and the oldest one's time."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(OutboxStatement.created_at)).where(
            OutboxStatement.state.in_((PENDING, SENDING))
        )
    ).one()
    return count or 0, oldest


def delivery_health() -> dict[str, Any]:
    """The backlog and the LRS's state for ``/healthz``: counts and words only, never the
    endpoint (it may hold credentials) or an error text (it may quote the endpoint)."""
    count, oldest = backlog()
    if not current_app.config.get("LRS_ENDPOINT"):
        lrs = "not configured"
    elif get_status_value(CONFIG_ERROR) is not None:
        lrs = "configuration problem"
    elif get_status_value(CIRCUIT_KEY) is not None:  # only an open (or probing) circuit is kept
        lrs = "unavailable"
    else:
        lrs = "available"
    age = (utcnow() - oldest).total_seconds() if oldest else None
    return {
        "waiting": count,
        "oldest_waiting_seconds": None if age is None else max(round(age), 0),
        "lrs": lrs,
    }


def replay_since(since: datetime) -> int:
    """Queue every statement sent since ``since`` to be sent again (to a new LRS): their ids are
    unchanged, so an LRS that holds one already answers 409 or leaves it out, never keeps two.
    Statements pruned from the outbox cannot be replayed. Returns how many were queued."""
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.state == SENT, OutboxStatement.created_at >= since)
            .values(
                state=PENDING, next_attempt_at=utcnow(), attempts=0, claimed_by=None, sent_at=None
            )
            .execution_options(synchronize_session=False)
        ),
    )
    count = result.rowcount or 0
    if count:
        logger.info("%d sent xAPI statements queued to be sent again (replay)", count)
    return count


def recent(limit: int = 20, state: str | None = None) -> list[OutboxStatement]:
    """The newest statements (in one state, if given), newest first."""
    query = select(OutboxStatement).order_by(OutboxStatement.id.desc()).limit(limit)
    if state is not None:
        query = query.where(OutboxStatement.state == state)
    return list(db.session.scalars(query))


def iter_jsonl(states: Iterable[str] = EXPORTED_STATES) -> Iterator[str]:
    """Each statement's stored JSON as one line, oldest first (invalid ones left out)."""
    query = (
        select(OutboxStatement.statement_json)
        .where(OutboxStatement.state.in_(tuple(states)))
        .order_by(OutboxStatement.id)
        .execution_options(yield_per=500)
    )
    result = db.session.scalars(query)
    try:
        for text in result:
            yield text + "\n"
    finally:
        result.close()  # a download stopped part-way must not leave a server-side cursor open


def export_jsonl(fp: TextIO, states: Iterable[str] = EXPORTED_STATES) -> int:
    """Write the outbox's statements to ``fp`` as JSON Lines; returns how many were written."""
    count = 0
    for line in iter_jsonl(states):
        fp.write(line)
        count += 1
    return count


def retry_failed() -> int:
    """Queue every statement the LRS refused to be sent again (after a fix); returns how many."""
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(OutboxStatement)
            .where(OutboxStatement.state == FAILED)
            .values(state=PENDING, next_attempt_at=utcnow(), attempts=0, claimed_by=None)
            .execution_options(synchronize_session=False)
        ),
    )
    count = result.rowcount or 0
    if count:
        logger.info("%d failed xAPI statements queued to be sent again", count)
    return count


def about_actor(actor_id: str) -> list[OutboxStatement]:
    """Every statement in the outbox whose actor is this opaque id (for a learner's own copy of
    their data), oldest first. The id is a random UUID, so matching its quoted text in the
    stored JSON finds exactly that actor's statements."""
    needle = f'"name":"{actor_id}"'
    return list(
        db.session.scalars(
            select(OutboxStatement)
            .where(OutboxStatement.statement_json.contains(needle, autoescape=True))
            .order_by(OutboxStatement.id)
        )
    )


def sent_before(before: datetime) -> int:
    """How many statements the LRS stored before this moment (what pruning would remove)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxStatement)
            .where(OutboxStatement.state == SENT, OutboxStatement.sent_at < before)
        )
        or 0
    )


def prune_sent(before: datetime) -> int:
    """Remove statements the LRS stored before this moment: the LRS keeps them, so the outbox
    need not (statements waiting, failed or invalid are kept). Returns how many."""
    result = cast(
        CursorResult[Any],
        db.session.execute(
            delete(OutboxStatement)
            .where(OutboxStatement.state == SENT, OutboxStatement.sent_at < before)
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount or 0
