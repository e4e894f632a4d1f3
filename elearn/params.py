"""Request parameters, parsed in one place so that no value a browser can send raises an error.

Ids in routes use the ``id`` converter: ASCII digits only, from 1 to the largest value both
databases can store, else the route does not match (404). Query values are read with the type and
range the page expects; anything else (wrong type, odd digits such as "²", huge numbers, unknown
choices) is treated as absent. Links that keep filters are built from these parsed values only.
"""

from collections.abc import Collection
from typing import Any

from flask import request
from werkzeug.routing import BaseConverter, Map, ValidationError

ID_MAX = 2**31 - 1  # PostgreSQL's integer
_MAX_DIGITS = len(str(ID_MAX))


class IdConverter(BaseConverter):
    """A database id or a position in a route: 1 to ``ID_MAX``, ASCII digits only."""

    regex = r"[0-9]{1,10}"
    part_isolating = True

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map)

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def query_int(name: str, minimum: int = 1, maximum: int = ID_MAX) -> int | None:
    """A whole number from the query string within the range, else None."""
    raw = request.args.get(name, "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > _MAX_DIGITS:
        return None
    number = int(raw)
    return number if minimum <= number <= maximum else None


def query_choice(name: str, allowed: Collection[str]) -> str | None:
    """One of the allowed values from the query string, else None."""
    raw = request.args.get(name, "")
    return raw if raw in allowed else None


def query_text(name: str, max_length: int) -> str | None:
    """Free text from the query string, trimmed and cut to ``max_length``; None when blank."""
    return (request.args.get(name) or "").strip()[:max_length] or None
