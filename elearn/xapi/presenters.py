"""Display values for the Learning records admin page."""

import json

from elearn.db import utcnow
from elearn.xapi.circuit import Circuit, CircuitState
from elearn.xapi.models import STATES, OutboxStatement
from elearn.xapi.outbox import OutboxStatus

STATE_LABELS = {
    "pending": ("Waiting to be sent", "blue"),
    "sending": ("Being sent", "blue"),
    "sent": ("Sent", "green"),
    "failed": ("Refused by the LRS", "red"),
    "invalid": ("Invalid (kept aside)", "orange"),
}


def format_time(value) -> str:
    return f"{value.day} {value:%B %Y} at {value:%H:%M:%S} UTC" if value else ""


def format_age(value) -> str:
    seconds = int((utcnow() - value).total_seconds()) if value else 0
    if seconds < 60:
        return "less than a minute"
    if seconds < 3600:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if seconds < 86400:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = seconds // 86400
    return f"{days} day{'s' if days != 1 else ''}"


def count_rows(info: OutboxStatus) -> list[list[dict]]:
    """Table rows: one per state, with its count."""
    return [
        [{"text": STATE_LABELS[state][0]}, {"text": f"{info.counts.get(state, 0):,}"}]
        for state in STATES
    ]


def summary_rows(info: OutboxStatus) -> list[dict]:
    """Summary-list rows: where statements go, the oldest waiting, the latest problems."""
    rows = [
        {
            "key": {"text": "Learning Record Store"},
            "value": {
                "text": info.lrs_endpoint
                or "None configured: statements are kept here as the local learning record store"
            },
        },
        {
            "key": {"text": "Oldest statement waiting"},
            "value": {
                "text": f"{format_age(info.oldest_pending_at)} old, recorded "
                f"{format_time(info.oldest_pending_at)}"
                if info.oldest_pending_at
                else "None waiting"
            },
        },
        {
            "key": {"text": "Last delivery"},
            "value": {"text": format_time(info.last_success_at) or "None yet"},
        },
        {
            "key": {"text": "Last error"},
            "value": {
                "text": f"{info.last_error} ({format_time(info.last_error_at)})"
                if info.last_error
                else "None"
            },
        },
        {"key": {"text": "What the sender last saw"}, "value": {"text": sender_view(info)}},
    ]
    if info.reclaimed:
        rows.append(
            {
                "key": {"text": "Taken back from a stopped sender"},
                "value": {"text": f"{info.reclaimed} ({format_time(info.reclaimed_at)})"},
            }
        )
    return rows


def sender_view(info: OutboxStatus) -> str:
    """The sender's view of the LRS: taking statements, unavailable (and until when), or a
    configuration problem (and since when)."""
    if not info.lrs_endpoint:
        return "No LRS configured"
    if info.config_error:
        return (
            f"Stopped by a configuration problem since {format_time(info.config_error_at)}: "
            f"{info.config_error}"
        )
    if info.circuit_json:
        state = Circuit.from_json(info.circuit_json)
        if state.state == CircuitState.PROBING:
            return f"Unavailable since {format_time(state.since)}: a sender is checking it now"
        return (
            f"Unavailable since {format_time(state.since)} after {plural(state.failures, 'try')}"
            f"; the next try is at {format_time(state.until)} ({state.reason})"
        )
    return "Taking statements"


def plural(count: int, word: str) -> str:
    """ "1 statement", "2 statements", "1,000 statements", "2 tries"."""
    if count == 1:
        return f"{count:,} {word}"
    return f"{count:,} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def describe(data) -> str:
    """A statement in a few words: its verb and what it was about."""
    if not isinstance(data, dict):
        return "Unreadable statement"
    verb = str((data.get("verb") or {}).get("id", "")).rsplit("/", 1)[-1] or "statement"
    target = data.get("object") or {}
    if target.get("objectType") == "StatementRef":
        return f"{verb.capitalize()} statement {target.get('id', '')}"
    name = ((target.get("definition") or {}).get("name") or {}).get("en-GB")
    if not name:
        return verb.capitalize()
    if len(name) > 80:
        name = name[:79].rstrip() + "…"
    return f"{verb.capitalize()}: {name}"


def statement_items(rows: list[OutboxStatement]) -> list[dict]:
    """Each recent statement: a summary line, its state tag and its JSON, indented."""
    items = []
    for row in rows:
        try:
            data = json.loads(row.statement_json)
        except ValueError:
            data = None
        label, colour = STATE_LABELS.get(row.state, (row.state, "grey"))
        items.append(
            {
                "summary": f"{describe(data)}, {format_time(row.created_at)} ({label.lower()})",
                "state": {"text": label, "colour": colour},
                "json": json.dumps(data, indent=2, ensure_ascii=False)
                if data is not None
                else row.statement_json,
                "error": row.last_error,
                "attempts": row.attempts,
                "statement_id": row.statement_id,
            }
        )
    return items
