"""Counts read as English everywhere: '1 minute', '1 step · 1 entity', '1 row' (the class of
'1 minutes'), in the cooldown message of a one-minute cooldown too."""

from __future__ import annotations

from core.actions import CooldownActive
from core.text import plural
from core.timeutil import relative


def test_plural_forms() -> None:
    assert plural(1, "minute") == "1 minute"
    assert plural(60, "minute") == "60 minutes"
    assert plural(0, "row") == "0 rows"
    assert plural(1200, "row") == "1,200 rows"
    assert plural(1, "entity", "entities") == "1 entity"
    assert plural(2, "entity", "entities") == "2 entities"


def test_a_one_minute_cooldown_says_minute() -> None:
    exc = CooldownActive(1, 30.0, 7)
    assert exc.message.endswith("Minimum interval between syncs is 1 minute.")
    assert "Next run possible in 1 minute;" in exc.hint
    exc = CooldownActive(60, 600.0, 7)
    assert exc.message.endswith("Minimum interval between syncs is 60 minutes.")


def test_relative_days() -> None:
    assert relative(0.0, reference=86400.0) == "1 day ago"
    assert relative(0.0, reference=3 * 86400.0) == "3 days ago"
