"""Times: the store keeps REAL unix seconds (UTC); people read local time and "3 min ago"."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from .errors import UserError
from .text import plural

_SPAN = re.compile(r"^\s*(\d+)\s*(s|m|min|h|d|w)\s*$", re.IGNORECASE)
MAX_SPAN = 36500 * 86400
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def now() -> float:
    return time.time()


def to_dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def to_ts(dt: datetime) -> float:
    if dt.tzinfo is None:
        dt = dt.astimezone()
    return dt.timestamp()


def parse_span(text: str) -> float:
    """'24h' -> seconds. Raises UserError with the accepted forms."""
    m = _SPAN.match(text or "")
    if not m:
        raise UserError(
            f"'{text}' is not a time span.",
            "Use a number and a unit, for example 30m, 24h, 7d or 2w.",
        )
    seconds = int(m.group(1)) * _UNITS[m.group(2).lower()]
    if seconds > MAX_SPAN:
        raise UserError(f"'{text[:40]}' is longer than 100 years.", "Use for example 30d.")
    return seconds


def parse_since(text: str, *, reference: float | None = None) -> float:
    """A span ('24h') back from now, or a local date/time ('2026-11-20', '2026-11-20 14:00')."""
    ref = now() if reference is None else reference
    if _SPAN.match(text or ""):
        try:
            return ref - parse_span(text)
        except OverflowError:
            raise UserError(f"'{text[:40]}' is too long a span.", "Use for example 30d.") from None
    try:
        dt = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise UserError(
            f"'{text}' is not a time span or a date.",
            "Use a span such as 24h or 7d, or a date such as 2026-11-20 or '2026-11-20 14:00'.",
        ) from None
    try:
        return to_ts(dt)
    except (ValueError, OverflowError, OSError):
        raise UserError(
            f"{text} is out of the range of dates syncdeck can use.",
            "Use a date from 1970-01-02 to 9999-12-30.",
        ) from None


def local_minute(ts: float | datetime | None) -> str:
    """YYYY-MM-DD HH:MM in the local time zone, as the seeds' grids show it."""
    if ts is None:
        return ""
    dt = ts if isinstance(ts, datetime) else datetime.fromtimestamp(ts, UTC)
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def local_zone_name() -> str:
    return datetime.now().astimezone().tzname() or "local"


def relative(ts: float | datetime | None, *, reference: float | None = None) -> str:
    """'just now', '3 min ago', '2 h ago', '4 days ago'."""
    if ts is None:
        return "never"
    value = ts.timestamp() if isinstance(ts, datetime) else ts
    delta = (now() if reference is None else reference) - value
    if delta < 0:
        delta = -delta
        suffix = "from now"
    else:
        suffix = "ago"
    if delta < 45:
        return "just now"
    minutes = delta / 60
    if minutes < 60:
        return f"{round(minutes)} min {suffix}"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)} h {suffix}"
    days = hours / 24
    return f"{plural(round(days), 'day')} {suffix}"


def duration(ms: int | None) -> str:
    if ms is None:
        return ""
    if ms < 1000:
        return f"{ms}ms"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f}s"
    return str(timedelta(seconds=int(seconds)))


_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def parse_range(text: str, *, reference: float | None = None) -> tuple[float | None, float]:
    """A date filter as people type it, with the CLI's --since / --until parser:
    'A..B' (each a span such as 24h or a local date or time; B is exclusive, as --until),
    '..B' (everything before B), a date alone ('2026-11-20': that whole day), or a span or a
    time alone ('24h', '2026-11-20 14:00': from then until now). Returns (since, until)."""
    ref = now() if reference is None else reference
    text = (text or "").strip()
    if ".." in text:
        start, _, end = text.partition("..")
        since = parse_since(start, reference=ref) if start.strip() else None
        until = parse_since(end, reference=ref) if end.strip() else ref
        if since is not None and since >= until:
            raise UserError(
                f"'{text}' is an empty range: its start is not before its end.",
                "Give the earlier date first, for example 2026-11-20..2026-11-22.",
            )
        return since, until
    since = parse_since(text, reference=ref)
    if _DATE_ONLY.match(text):
        day = datetime.fromisoformat(text.strip())
        return since, to_ts(day + timedelta(days=1))
    return since, ref
