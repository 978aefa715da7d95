"""Service filters (Patchworks): which source records a service takes, checked before mapping.

Written as one line each, in the service TOML (`filters = ["status = active",
"updated_at within 24h"]`) or in the console's service form (separated by `;`):

    PATH = VALUE          PATH != VALUE         PATH in A, B, C       PATH not in A, B
    PATH > VALUE (>=, <, <=: numbers, or ISO dates/times)            PATH contains TEXT
    PATH within 24h       PATH in the last 24h  (a time in the record, within the span)
    PATH exists           PATH missing

PATH is a dotted path into the record ('company.status'). Values compare as text (numbers as
numbers); quotes around a value are optional. A record that fails any filter is skipped with
the filter as the reason.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from .paths import MISSING, get_path

_OPS = (r"\s(?:not\s+in|in\s+the\s+last|within|contains|exists|missing|in)\b"
        r"|\s*(?:!=|==|>=|<=|=|>|<)")  # fmt: skip
_RE = re.compile(
    rf"^\s*(?P<path>[A-Za-z0-9_$@\-.]+)(?P<op>{_OPS})\s*(?P<value>.*?)\s*$", re.IGNORECASE
)
_SPAN = re.compile(r"^(\d+)\s*(s|m|min|h|d|w)$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}
HELP = ("one per line (; in the form): 'status = active', 'type in customer, partner', "
        "'updated_at within 24h', 'total > 0', 'email exists'")  # fmt: skip


class RecordFilter:
    """One parsed filter; `text` is how it was written (the skip reason quotes it)."""

    __slots__ = ("text", "path", "op", "value", "values", "seconds")

    def __init__(self, text: str) -> None:
        m = _RE.match(text or "")
        if not m:
            raise ValueError(f"'{text}' is not a filter; write it as {HELP}")
        self.text = " ".join(text.split())
        self.path = m["path"]
        op = " ".join(m["op"].lower().split())
        self.op = {"==": "=", "in the last": "within"}.get(op, op)
        value = _unquote(m["value"])
        self.value = value
        self.values = [_unquote(v) for v in value.split(",")] if self.op in ("in", "not in") else []
        self.seconds = 0.0
        if self.op in ("exists", "missing"):
            if value:
                raise ValueError(f"'{text}': {self.op} takes no value")
        elif not value:
            raise ValueError(f"'{text}': {self.op} needs a value")
        if self.op == "within":
            span = _SPAN.match(value)
            if not span:
                raise ValueError(f"'{text}': within takes a span such as 30m, 24h or 7d")
            self.seconds = float(int(span[1]) * _UNITS[span[2].lower()])

    def rejects(self, record: Any, now: float) -> str | None:
        """Why `record` does not pass (the skip reason), or None when it passes."""
        got = get_path(record, self.path, MISSING) if isinstance(record, dict) else MISSING
        absent = got is MISSING or got is None or got == ""
        if self.op in ("exists", "missing"):
            if absent == (self.op == "missing"):
                return None
            return self._why("absent" if absent else f"is {_show(got)}")
        if absent:
            return self._why("absent")
        if self._passes(got, now):
            return None
        return self._why(f"is {_show(got)}")

    def _why(self, what: str) -> str:
        return f"filtered out by the service filter '{self.text}' ({self.path} {what})"

    def _passes(self, got: Any, now: float) -> bool:
        op = self.op
        if op == "within":
            at = _timestamp(got)
            return at is not None and now - self.seconds <= at <= now + 60
        if op in ("=", "!="):
            return (_same(got, self.value)) == (op == "=")
        if op in ("in", "not in"):
            return any(_same(got, v) for v in self.values) == (op == "in")
        if op == "contains":
            return self.value.lower() in str(got).lower()
        order = _compare(got, self.value)
        if order is None:
            return False
        return {">": order > 0, ">=": order >= 0, "<": order < 0, "<=": order <= 0}[op]


def parse_filters(texts: list[str]) -> list[RecordFilter]:
    return [RecordFilter(t) for t in texts]


def first_rejection(filters: list[RecordFilter], record: Any, now: float) -> str | None:
    for f in filters:
        why = f.rejects(record, now)
        if why is not None:
            return why
    return None


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f"'{text[:40]}'" if isinstance(value, str) else text[:40]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _same(got: Any, want: str) -> bool:
    if isinstance(got, bool):
        return want.lower() in (("true", "yes", "1") if got else ("false", "no", "0"))
    a, b = _number(got), _number(want)
    if a is not None and b is not None:
        return a == b
    return str(got).strip().lower() == want.strip().lower()


def _timestamp(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) / (1000 if value > 10**11 else 1)  # seconds or milliseconds
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


def _compare(got: Any, want: str) -> int | None:
    a, b = _number(got), _number(want)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    ta, tb = _timestamp(got), _timestamp(want)
    if ta is not None and tb is not None:
        return (ta > tb) - (ta < tb)
    return None
