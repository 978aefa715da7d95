"""The incremental cursor of one step: it advances over the records that were pushed (or skipped)
but never past one that failed, so the next update run pulls a failed record again.

Each page's records give their cursor values; the new cursor is the largest value of a record
that did not fail, below the smallest value of any record that failed in this step. When no
such value exists the saved cursor stays as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..mapping.paths import get_path


class StepCursor:
    def __init__(self, saved: str | None, cursor_path: str) -> None:
        self.saved = saved
        self.path = cursor_path
        self.ok: list[str] = []  # values of records that did not fail (rescanned when floor drops)
        self.floor: str | None = None  # the smallest value of a failed record
        self.best: str | None = None  # the largest ok value below the floor

    def page(
        self,
        records: Iterable[Any],
        failed: set[str],
        external_id: Callable[[Any], str | None],
    ) -> str | None:
        """The cursor after this page (None while nothing sets one)."""
        fresh: list[str] = []
        floor = self.floor
        for rec in records:
            raw = get_path(rec, self.path) if isinstance(rec, dict) else None
            if raw in (None, ""):
                continue
            value = str(raw)
            if failed and external_id(rec) in failed:
                floor = value if floor is None or value < floor else floor
            else:
                fresh.append(value)
        self.ok.extend(fresh)
        if floor != self.floor:  # a failure lower than before: earlier values may be past it
            self.floor = floor
            below = [v for v in self.ok if v < floor]
            self.best = max(below) if below else None
        else:
            below = [v for v in fresh if floor is None or v < floor]
            if below:
                top = max(below)
                self.best = top if self.best is None or top > self.best else self.best
        known = [v for v in (self.saved, self.best) if v is not None]
        return max(known) if known else None  # never behind the saved cursor
