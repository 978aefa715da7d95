"""The lower levels: Instances (pages) of a step, Entities of a page, API calls of an entity."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from core.models import ApiCall, Entity, StepInstance
from core.text import clean
from core.timeutil import local_minute

from ..widgets.paged_table import Col
from .base import Level, Query, Window, n, t
from .detail import Detail
from .status import http_cell, status_cell


def _searched(q: Query, page: Any) -> Window[Any]:
    """The store filtered every row of the level; the note shows the match count."""
    return Window.of(page, f"{page.total:,} match" if q.level.search else "")


class InstancesView:
    kind = "instances"
    title = "Pages"
    newest_first = False
    row_height = 1
    columns = [
        Col("page", "Page", 5, 0, min=4), Col("method", "Method", 6, 6),
        Col("url", "URL", None, 5, min=20), Col("records", "Records", 7, 1),
        Col("retries", "Retries", 7, 3), Col("headroom", "Headroom", 8, 4),
        Col("status", "Status", 6, 2), Col("ms", "ms", 6, 7),
    ]  # fmt: skip

    async def fetch(self, q: Query, **paging: Any) -> Window[StepInstance]:
        page = await q.api.instances(
            q.level.ids["step_id"], text=q.level.search or None, failed=q.filters.failed_only,
            **paging,
        )  # fmt: skip
        return _searched(q, page).failed_note(q, "failed page", "failed pages")

    def cells(self, i: StepInstance, now: float) -> list[Text]:
        headroom = "" if i.headroom is None else f"{i.headroom:.0%}"
        low = i.headroom is not None and i.headroom < 0.2
        return [
            n(i.page), t(i.method, 6), t(i.url, 200), n(i.records),
            n(i.retries, "#d78700" if i.retries else ""),
            Text(headroom, style="#d78700" if low else "", justify="right"),
            http_cell(i.status_code), n(i.duration_ms),
        ]  # fmt: skip

    def child(self, i: StepInstance, level: Level) -> Level | None:
        return Level("entities", f"page {i.page}", ids={**level.ids, "instance_id": i.id})

    def detail(self, i: StepInstance, now: float) -> Text:
        d = Detail().heading(f"Page {i.page}")
        d.kv("Request", f"{i.method} {i.url}", limit=4000).kv("Cursor", i.cursor)
        d.kv("Records", i.records).kv("Retries", i.retries)
        d.kv("Rate-limit headroom", "" if i.headroom is None else f"{i.headroom:.0%}")
        d.kv("Status", i.status_code).kv("Duration", f"{i.duration_ms} ms" if i.duration_ms else "")
        d.kv("Started", local_minute(i.started_at))
        if i.status_code and i.status_code >= 400:
            d.trouble(None, i.status_code)
        return d.text

    def copy_value(self, i: StepInstance) -> str:
        return clean(i.url)

    def export_row(self, i: StepInstance) -> dict[str, object]:
        return {
            "id": i.id, "page": i.page, "method": i.method, "url": i.url, "cursor": i.cursor or "",
            "records": i.records, "retries": i.retries, "headroom": i.headroom,
            "status": i.status_code, "ms": i.duration_ms,
        }  # fmt: skip


class EntitiesView:
    kind = "entities"
    title = "Entities"
    newest_first = False
    row_height = 1
    columns = [
        Col("external", "External id", 18, 0, min=14),
        Col("internal", "Internal id", 14, 4, min=10),
        Col("action", "Action", 6, 1), Col("status", "Status", 9, 2),
        Col("reason", "Reason or error", None, 3, min=16),
    ]  # fmt: skip

    async def fetch(self, q: Query, **paging: Any) -> Window[Entity]:
        ext = q.level.search or q.level.external_id
        page = await q.api.entities(
            q.level.ids["step_id"], instance_id=q.level.ids.get("instance_id"),
            external_id=ext or None, status="failed" if q.filters.failed_only else None,
            **paging,
        )  # fmt: skip
        window = Window.of(page, f"{page.total:,} match" if q.level.search else "")
        return window.failed_note(q, "failed", "failed")

    def cells(self, e: Entity, now: float) -> list[Text]:
        action_style = {"fail": "bold #ff5f5f", "skip": "dim", "create": "#5fd75f"}
        return [
            t(e.external_id, 40), t(e.internal_id or "—", 30),
            t(e.action.value, style=action_style.get(e.action.value, "")), status_cell(e.status),
            t(e.reason or "", 300, style="#ff5f5f" if e.status.value == "failed" else "dim"),
        ]  # fmt: skip

    def child(self, e: Entity, level: Level) -> Level | None:
        label = f"calls of {clean(e.external_id, 24, single_line=True)}"
        return Level("calls", label, ids={**level.ids, "entity_id": e.id})

    def detail(self, e: Entity, now: float) -> Text:
        d = Detail().heading(f"Entity {clean(e.external_id, 60, single_line=True)}")
        d.kv("External id", e.external_id).kv("Internal id", e.internal_id or "—")
        d.kv("Action", e.action.value).kv("Status", e.status.value)
        d.kv("At", local_minute(e.created_at))
        if e.reason:
            d.line(e.reason).trouble(None, None, e.reason)
        return d.text

    def copy_value(self, e: Entity) -> str:
        return clean(e.external_id)

    def export_row(self, e: Entity) -> dict[str, object]:
        return {
            "id": e.id, "external_id": e.external_id, "internal_id": e.internal_id or "",
            "action": e.action.value, "status": e.status.value, "reason": e.reason,
        }  # fmt: skip


class CallsView:
    kind = "calls"
    title = "API calls"
    newest_first = False
    row_height = 1
    columns = [
        Col("method", "Method", 6, 0), Col("url", "URL", None, 3, min=20),
        Col("status", "Status", 6, 1), Col("ms", "ms", 6, 2), Col("attempt", "Try", 3, 4),
        Col("params", "Params", None, 5, min=12),
    ]  # fmt: skip

    async def fetch(self, q: Query, **paging: Any) -> Window[ApiCall]:
        page = await q.api.calls(
            entity_id=q.level.ids["entity_id"], text=q.level.search or None,
            failed=q.filters.failed_only, **paging,
        )  # fmt: skip
        return _searched(q, page).failed_note(q, "failed call", "failed calls")

    def cells(self, c: ApiCall, now: float) -> list[Text]:
        params = ", ".join(f"{k}={v}" for k, v in c.params.items())
        return [
            t(c.method, 6), t(c.url, 200), http_cell(c.status_code), n(c.duration_ms),
            n(c.attempt), t(params, 200, style="dim"),
        ]  # fmt: skip

    def child(self, c: ApiCall, level: Level) -> Level | None:
        return None

    def detail(self, c: ApiCall, now: float) -> Text:
        d = Detail().heading(f"{c.method} · {c.status_code or 'no response'}")
        d.heading("Request").kv("URL", c.url, limit=4000).kv("Connector", c.connector)
        d.mapping("Params", c.params).mapping("Headers", c.request_headers, redact=True)
        d.body("Body", c.request_body)
        d.heading("Response").kv("Status", c.status_code or "none")
        d.kv("Time", f"{c.duration_ms} ms" if c.duration_ms is not None else "")
        d.kv("Attempt", c.attempt).kv("Error", c.error)
        d.mapping("Headers", c.response_headers, redact=True)
        if c.response_body is not None:
            d.body("Body", c.response_body)
        else:
            d.line("Body not captured (turn on payload capture for the service).", style="dim")
        if c.error or (c.status_code or 0) >= 400:
            d.trouble(None, c.status_code, c.error)
        return d.text

    def copy_value(self, c: ApiCall) -> str:
        return clean(f"{c.method} {c.url}")

    def export_row(self, c: ApiCall) -> dict[str, object]:
        return {
            "id": c.id, "method": c.method, "url": c.url, "status": c.status_code,
            "ms": c.duration_ms, "attempt": c.attempt, "params": c.params, "error": c.error,
            "started": local_minute(c.started_at),
        }  # fmt: skip
