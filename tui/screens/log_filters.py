"""Filters of the log viewer beyond level / connector / kind / range: `f` failed only at every
level (runs with failures, steps with failures, failed pages, failed entities, 4xx/5xx calls,
ERROR log events), with the count of failed rows on the pager line."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding

from core.models import Step
from core.text import clean

from ..views.base import Level

LOG_FILTER_BINDINGS = [
    Binding("f", "toggle_failed", "Failed only", show=False, id="logs.failed"),
]


class LogFilters:
    """Mixed into LogsScreen (filters, stacks, level, navigate, notify)."""

    filters: Any
    stacks: dict[str, list[Level]]

    def action_toggle_failed(self) -> None:
        self.filters.failed_only = not self.filters.failed_only
        for stack in self.stacks.values():
            for lv in stack:
                lv.first_page()
                lv.cursor_key = None
        self.navigate()  # type: ignore[attr-defined]
        on = self.filters.failed_only
        self.notify(  # type: ignore[attr-defined]
            "Failed only: every level shows its failures; f shows everything again."
            if on else "Failed only off: every row again.", timeout=3, markup=False,
        )  # fmt: skip

    def failed_child(self, item: Any, child: Level | None) -> Level | None:
        """Failed only, from a step: straight to the step's failed entities, whatever page
        they are on (11 failures of a 2,000-record step without paging through the pages)."""
        if child is None or not self.filters.failed_only or not isinstance(item, Step):
            return child
        if child.kind != "instances":
            return child
        return Level("entities", f"{clean(item.stream, 30)} › failed", ids=dict(child.ids))

    def filter_badges(self) -> Text:
        """What the filters line adds for these filters (empty when none is on)."""
        text = Text()
        if self.filters.failed_only:
            text.append("  ✖ failed only", style="bold #ff5f5f")
            text.append(" (f)", style="dim")
        return text
