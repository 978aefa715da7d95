"""The log grid: Level badge, Timestamp (local), Summary (title over details)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from core.models import LogEvent
from core.text import clean
from core.timeutil import local_minute

from ..widgets.level_badge import level_badge
from ..widgets.paged_table import Col
from .base import Level, Query, Window
from .detail import Detail


class LogsView:
    kind = "logs"
    title = "Log"
    newest_first = True
    row_height = 2
    columns = [
        Col("level", "Level", 9, 0),
        Col("ts", "Timestamp", 16, 1),
        Col("summary", "Summary", None, 2, min=20),
    ]

    def params(self, q: Query) -> dict[str, Any]:
        f = q.filters
        return {
            "level": "ERROR" if f.failed_only else f.level,
            "kind": f.kind,
            "connector": q.scope.connector or f.connector,
            "service": q.scope.service,
            "since": f.since(q.now),
            "until": f.until(),
            "account": f.account or None,
            "text": q.level.search or None,
        }

    async def fetch(self, q: Query, **paging: Any) -> Window[LogEvent]:
        page = await q.api.logs(**self.params(q), **paging)
        note = f"{page.total:,} match" if q.level.search else ""
        return Window.of(page, note).failed_note(q, "error", "errors")

    def cells(self, item: LogEvent, now: float) -> list[Text]:
        summary = Text(no_wrap=True, overflow="ellipsis")
        summary.append(clean(item.title, 200, single_line=True), style="bold")
        summary.append("\n")
        where = " · ".join(
            clean(v, 30, single_line=True) for v in (item.connector, item.service) if v
        )
        details = clean(item.details, 300, single_line=True)
        summary.append(details + (f"  [{where}]" if where else ""), style="dim")
        return [level_badge(item.level), Text(local_minute(item.ts)), summary]

    def child(self, item: LogEvent, level: Level) -> Level | None:
        if item.run_id is None:
            return None
        return Level(
            "steps", f"#{item.run_id} {clean(item.service or '', 30)}".strip(),
            ids={"run_id": item.run_id}, cursor_key=str(item.step_id) if item.step_id else None,
        )  # fmt: skip

    def detail(self, item: LogEvent, now: float) -> Text:
        d = Detail().heading(f"{item.level.value} · {item.kind.value}")
        d.line(item.title, style="bold").line(item.details)
        d.kv("Time", f"{local_minute(item.ts)} ({item.ts.isoformat()})")
        d.kv("Connector", item.connector).kv("Service", item.service)
        d.kv("Run", item.run_id).kv("Step", item.step_id).kv("Entity", item.entity_id)
        d.kv("Code", item.code)
        if item.level.value != "INFO":
            d.trouble(item.code, None, f"{item.title} {item.details}")
        if item.run_id is not None:
            d.line("enter: open its run", style="dim")
        return d.text

    def copy_value(self, item: LogEvent) -> str:
        return clean(f"{item.title}\n{item.details}".strip())

    def export_row(self, item: LogEvent) -> dict[str, object]:
        return {
            "id": item.id, "level": item.level.value, "timestamp": local_minute(item.ts),
            "utc": item.ts.isoformat(), "kind": item.kind.value, "title": item.title,
            "details": item.details, "connector": item.connector or "",
            "service": item.service or "", "run_id": item.run_id or "", "code": item.code or "",
        }  # fmt: skip
