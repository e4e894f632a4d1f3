"""One circuit for the Learning Record Store: when it is unavailable, the whole sender waits.

Pacing is per LRS, not per statement. A connection failure, a timeout, a 429 or a 5xx *opens*
the circuit: nothing is posted until it is due again (the backoff, or the LRS's ``Retry-After``
if that is later). When it is due, one sender takes the *probe* (an atomic compare-and-set on the
stored state, so several senders still make one request) and posts a single small batch. If the
probe is stored the circuit *closes* and full batches resume; if not, it opens again with a
longer wait. The wait doubles with each failure up to ``LRS_BACKOFF_MAX`` (with jitter, so
several services behind one LRS do not come back in step) and starts again from
``LRS_BACKOFF_BASE`` after a success.

The state is one row of ``xapi_sender_status`` (JSON), so every sender process, the worker and
``elearn xapi send`` alike, shares it, and ``elearn xapi status`` and ``/healthz`` can show it.
Each change of state is logged once; statements are never logged one by one.
"""

import json
import logging
import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult

from elearn.db import utcnow
from elearn.extensions import db
from elearn.xapi.models import SenderStatus
from elearn.xapi.outbox import CIRCUIT_KEY, get_status_value, set_status_value

logger = logging.getLogger("elearn.xapi")

CIRCUIT = CIRCUIT_KEY  # the SenderStatus key


class CircuitState(StrEnum):
    CLOSED = "closed"  # the LRS takes statements: full batches
    OPEN = "open"  # the LRS is unavailable: nothing is posted before ``until``
    PROBING = "probing"  # a sender is posting one small batch to see whether it is back


@dataclass(frozen=True)
class Circuit:
    """The stored state of the circuit."""

    state: CircuitState = CircuitState.CLOSED
    failures: int = 0  # failed tries in a row (the probe's included)
    until: datetime | None = None  # open: nothing is posted before this
    since: datetime | None = None  # when the LRS first became unavailable in this outage
    reason: str = ""  # the last failure, as the sender saw it

    def to_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        for key in ("until", "since"):
            data[key] = data[key].isoformat() if data[key] else None
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Circuit":
        try:
            data = json.loads(text)
            return cls(
                state=CircuitState(data["state"]),
                failures=int(data["failures"]),
                until=datetime.fromisoformat(data["until"]) if data.get("until") else None,
                since=datetime.fromisoformat(data["since"]) if data.get("since") else None,
                reason=str(data.get("reason") or ""),
            )
        except (ValueError, KeyError, TypeError):
            return cls()  # an unreadable state is treated as closed: the next failure opens it

    def wait_seconds(self, now: datetime | None = None) -> float:
        """Seconds before a request may be made (0 when closed or due)."""
        if self.state == CircuitState.CLOSED or self.until is None:
            return 0.0
        return max((self.until - (now or utcnow())).total_seconds(), 0.0)


def load() -> tuple[Circuit, str | None]:
    """The circuit, and the stored text it was read from (for compare-and-set)."""
    row = get_status_value(CIRCUIT)
    if row is None:
        return Circuit(), None
    return Circuit.from_json(row.value), row.value


def backoff(failures: int, base: float, cap: float) -> float:
    """The wait after ``failures`` failures in a row: base * 2^(n-1), capped, with jitter (between
    half and all of it)."""
    exponent = min(max(failures - 1, 0), 60)  # 2**60 s is past any cap; no float overflow
    ceiling = min(cap, base * 2**exponent)
    return random.uniform(ceiling / 2, ceiling)


def take_probe(current: Circuit, stored: str | None, hold: float) -> Circuit | None:
    """Atomically move a due circuit to "probing" for ``hold`` seconds; None if another sender
    took the probe first. The caller commits.

    A probing state whose sender died is due again after ``hold`` (the claim timeout), like an
    open one, so a crash never stops delivery for good.
    """
    probing = Circuit(
        CircuitState.PROBING,
        current.failures,
        utcnow() + timedelta(seconds=hold),
        current.since,
        current.reason,
    )
    if stored is None:
        set_status_value(CIRCUIT, probing.to_json())
        return probing
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(SenderStatus)
            .where(SenderStatus.key == CIRCUIT, SenderStatus.value == stored)
            .values(value=probing.to_json(), updated_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    return probing if result.rowcount == 1 else None


def reopened_now(current: Circuit) -> Circuit:
    """Give a probe back untried (nothing was due, or a configuration problem came first): the
    circuit is open and due at once, keeping its failure count."""
    new = Circuit(CircuitState.OPEN, current.failures, utcnow(), current.since, current.reason)
    set_status_value(CIRCUIT, new.to_json())
    return new


def opened(
    current: Circuit,
    reason: str,
    base: float,
    cap: float,
    retry_after: float | None = None,
) -> Circuit:
    """Record a failure: the circuit opens (again) with a longer wait. Returns the new state."""
    now = utcnow()
    failures = current.failures + 1
    wait = backoff(failures, base, cap)
    if retry_after is not None:
        wait = max(wait, retry_after)
    new = Circuit(
        CircuitState.OPEN,
        failures,
        now + timedelta(seconds=wait),
        current.since or now,
        reason,
    )
    set_status_value(CIRCUIT, new.to_json())
    if current.state == CircuitState.CLOSED:
        logger.warning(
            "The LRS is unavailable; all sending waits %.1f s before one probe: %s", wait, reason
        )
    else:
        logger.warning(
            "The LRS is still unavailable after %d tries (since %s); next probe in %.1f s: %s",
            failures,
            new.since.isoformat(timespec="seconds") if new.since else "?",
            wait,
            reason,
        )
    return new


def closed(current: Circuit) -> Circuit:
    """Record a success: the circuit closes and the backoff starts again from the base."""
    if current.state == CircuitState.CLOSED:
        return current
    set_status_value(CIRCUIT, None)
    since = current.since.isoformat(timespec="seconds") if current.since else "?"
    logger.warning(
        "The LRS is available again (unavailable since %s, %d failed tries): full batches resume",
        since,
        current.failures,
    )
    return Circuit()
