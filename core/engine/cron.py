"""Cron schedules, parsed by croniter (five fields, as in crontab), in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from croniter import croniter

EXAMPLES = '"*/15 * * * *" (every 15 minutes) or "0 2 * * *" (02:00 every day)'


def check_cron(expr: str | None) -> str | None:
    """The expression, stripped; raises ValueError in words when croniter cannot parse it."""
    if expr is None:
        return None
    text = " ".join(expr.split())
    if len(text.split(" ")) not in (5, 6) or not croniter.is_valid(text):
        raise ValueError(
            f"schedule '{expr}' is not a cron expression of five fields "
            f"(minute hour day month weekday; a sixth, seconds, may follow); for example {EXAMPLES}"
        )
    return text


def next_fire(expr: str, after: float) -> float:
    """The first time strictly after `after` (unix seconds) that the schedule fires."""
    start = datetime.fromtimestamp(after, UTC)
    return float(croniter(expr, start).get_next(float))
