"""Filters of the log viewer beyond level / connector / kind / range: `f` failed only at every
level (runs with failures, steps with failures, failed pages, failed entities, 4xx/5xx calls,
ERROR log events), with the count of failed rows on the pager line; `T` a date or a range (the
CLI's --since / --until parser, core.timeutil.parse_range) on the Log and Runs lists; `a` the
log events about one record (Levelup's external account filter; `/` is its message filter)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding

from core.errors import UserError
from core.models import Step
from core.text import clean
from core.timeutil import local_minute, parse_range

from ..views.base import Level

LOG_FILTER_BINDINGS = [
    Binding("f", "toggle_failed", "Failed only", show=False, id="logs.failed"),
    Binding("T", "date_filter", "Date filter", show=False, id="logs.dates"),
    Binding("a", "account_filter", "Account filter", show=False, id="logs.account"),
]
DATE_HINT = ("a date (2026-11-20: that day), a range (2026-11-20..2026-11-22, 2026-11-20 14:00.."
             "2026-11-20 18:00, ..2026-11-01), or a span back from now (24h, 7d) · empty clears · "
             "escape keeps it")  # fmt: skip


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

    def _first_pages(self) -> None:
        for lv in (self.stacks["logs"][0], self.stacks["runs"][0]):
            lv.first_page()
            lv.cursor_key = None

    def action_date_filter(self) -> None:
        if self.level.kind not in ("logs", "runs"):  # type: ignore[attr-defined]
            self.notify("The date filter applies to the Log and Runs lists: escape to get "  # type: ignore[attr-defined]
                        "there.", timeout=3, markup=False)  # fmt: skip
            return
        from .text_prompt import TextPrompt

        prompt = TextPrompt("Date filter (local time)", DATE_HINT, self.filters.dates,
                            "2026-11-20 or 2026-11-20..2026-11-22")  # fmt: skip
        self.app.push_screen(prompt, self.set_dates)  # type: ignore[attr-defined]

    def set_dates(self, text: str | None) -> None:
        if text is None:
            return
        f = self.filters
        if not text:
            f.dates, f.since_at, f.until_at = "", None, None
        else:
            try:
                since, until = parse_range(text, reference=self.now())  # type: ignore[attr-defined]
            except UserError as exc:
                self.notify(str(exc), severity="error", timeout=8, markup=False)  # type: ignore[attr-defined]
                return
            f.dates, f.since_at, f.until_at = text, since, until
        self._first_pages()
        self.navigate()  # type: ignore[attr-defined]

    def action_account_filter(self) -> None:
        if self.level.kind != "logs":  # type: ignore[attr-defined]
            self.notify("The account filter applies to the Log list: v switches to it.",  # type: ignore[attr-defined]
                        timeout=3, markup=False)  # fmt: skip
            return
        from .text_prompt import TextPrompt

        prompt = TextPrompt(
            "External account: the log events about one record",
            "its external (source) or internal (destination) id, exactly · empty clears · "
            "escape keeps it · / filters by message text",
            self.filters.account, "4711",
        )  # fmt: skip
        self.app.push_screen(prompt, self.set_account)  # type: ignore[attr-defined]

    def set_account(self, text: str | None) -> None:
        if text is None:
            return
        self.filters.account = text
        self._first_pages()
        self.navigate()  # type: ignore[attr-defined]

    def dates_label(self) -> str:
        f = self.filters
        start = local_minute(f.since_at) if f.since_at is not None else "the start"
        return f"Dates {start} → {local_minute(f.until_at)}"

    def filter_badges(self) -> Text:
        """What the filters line adds for these filters (empty when none is on)."""
        text = Text()
        if self.filters.failed_only:
            text.append("  ✖ failed only", style="bold #ff5f5f")
            text.append(" (f)", style="dim")
        if self.filters.account and self.level.kind == "logs":  # type: ignore[attr-defined]
            text.append(f"  Account {clean(self.filters.account, 40, single_line=True)}",
                        style="bold #5fafff")  # fmt: skip
            text.append(" (a)", style="dim")
        return text
