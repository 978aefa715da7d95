"""Runs (newest first, running ones live) and the Steps of one run."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from core.models import Run, Step
from core.text import clean, plural
from core.timeutil import duration, local_minute

from ..widgets.figures import Figures
from ..widgets.paged_table import Col
from .base import Level, Query, Window, n, t
from .detail import Detail
from .status import counts_cell, status_cell


def run_duration(run: Run, now: float) -> str:
    if run.duration_ms is not None:
        return duration(run.duration_ms)
    return duration(int(max(0.0, now - run.started_at.timestamp()) * 1000)) + "…"


class RunsView:
    kind = "runs"
    title = "Runs"
    newest_first = True
    row_height = 1
    columns = [  # shown by priority as the width allows; the detail pane has every field
        Col("status", "Status", 13, 0, min=11),
        Col("id", "Run", 6, 1),
        Col("service", "Service", None, 2, min=16),
        Col("connector", "Source → Destination", None, 10, min=20, extra=True),
        Col("type", "Type", 10, 8, extra=True),
        Col("trigger", "Trigger", 8, 9, extra=True),
        Col("started", "Started", 16, 5, min=11, keep_end=True),
        Col("duration", "Duration", 8, 6),
        Col("pp", "Pull/Push", 9, 7),
        Col("cusf", "C/U/S/F", 9, 3),
        Col("errors", "Errors", 6, 4),
        Col("host", "Host", 14, 11, min=8, extra=True),
    ]  # figures (pp, cusf, errors) as wide as their values; extras only when the rest is whole

    async def fetch(self, q: Query, **paging: Any) -> Window[Run]:
        page = await q.api.runs(
            connector=q.scope.connector or q.filters.connector, service=q.scope.service,
            since=q.filters.since(q.now), until=q.filters.until(),
            touching=q.level.search or None,
            failed=q.filters.failed_only, **paging,
        )  # fmt: skip
        note = f"{plural(page.total, 'run')} touched it" if q.level.search else ""
        return Window.of(page, note).failed_note(q, "run with failures", "runs with failures")

    def cells(self, r: Run, now: float) -> list[Text]:
        return [
            status_cell("stale" if r.stale else r.status), t(f"#{r.id}"), t(r.service, 80),
            t(f"{r.source} → {r.destination}", 40), t(r.sync_type.value), t(r.trigger.value),
            Text(local_minute(r.started_at)), Text(run_duration(r, now), justify="right"),
            Figures((r.pulled, r.pushed)),
            counts_cell(r.created, r.updated, r.skipped, failed=r.failed),
            n(r.errors, "bold #ff5f5f" if r.errors else ""), t(r.host or "—", 60),
        ]  # fmt: skip

    def child(self, r: Run, level: Level) -> Level | None:
        return Level("steps", f"#{r.id} {clean(r.service, 30)}", ids={"run_id": r.id})

    def detail(self, r: Run, now: float) -> Text:
        d = Detail().heading(f"Run #{r.id} · {r.shown_status}")
        if r.stale:
            d.line(r.stale_note)
        d.kv("Service", r.service).kv("Source → destination", f"{r.source} → {r.destination}")
        d.kv("Type", f"{r.sync_type.value}, trigger {r.trigger.value}")
        d.kv("Started", local_minute(r.started_at))
        d.kv("Finished", local_minute(r.finished_at) if r.finished_at else "still running")
        d.kv("Duration", run_duration(r, now))
        if r.host:  # the host whose process ran it; a worker's id when a worker claimed it
            d.kv("Host", r.host + (f" (worker {r.worker_id})" if r.worker_id else ""))
        d.kv("Pulled / pushed", f"{r.pulled:,} / {r.pushed:,}")
        d.kv("Created / updated / skipped / failed",
             f"{r.created} / {r.updated} / {r.skipped} / {r.failed}")  # fmt: skip
        d.kv("Errors", r.errors).kv("Retry of", r.retry_of)
        if r.message:
            d.line(r.message)
            d.trouble(None, None, r.message)
        return d.text

    def copy_value(self, r: Run) -> str:
        return str(r.id)

    def export_row(self, r: Run) -> dict[str, object]:
        return {
            "id": r.id, "status": r.shown_status, "service": r.service, "source": r.source,
            "destination": r.destination, "sync_type": r.sync_type.value,
            "trigger": r.trigger.value, "started": local_minute(r.started_at),
            "duration_ms": r.duration_ms if r.duration_ms is not None else "",
            "pulled": r.pulled, "pushed": r.pushed, "created": r.created, "updated": r.updated,
            "skipped": r.skipped, "failed": r.failed, "errors": r.errors, "message": r.message,
            "host": r.host or "",
        }  # fmt: skip


class StepsView:
    kind = "steps"
    title = "Steps"
    newest_first = False
    row_height = 1
    columns = [
        Col("status", "Status", 13, 0, min=11), Col("stream", "Stream", None, 1, min=14),
        Col("processed", "Processed", 9, 3), Col("created", "Created", 7, 4),
        Col("updated", "Updated", 7, 5), Col("skipped", "Skipped", 7, 6),
        Col("failed", "Failed", 6, 2), Col("rate", "Rate limit", 10, 7),
        Col("started", "Started", 16, 8, min=11, keep_end=True),
    ]  # fmt: skip

    async def fetch(self, q: Query, **paging: Any) -> Window[Step]:
        run_id = q.level.ids["run_id"]
        if q.level.search:
            steps = await q.api.search_steps(run_id, q.level.search)
            hits = await q.api.search_id(q.level.search, run_id=run_id, limit=1)
            note = f"{plural(len(steps), 'step')} · {plural(hits.total, 'entity', 'entities')}"
            return Window(steps, len(steps), note=note)
        page = await q.api.steps(run_id, failed=q.filters.failed_only, **paging)
        return Window.of(page).failed_note(q, "step with failures", "steps with failures")

    def cells(self, s: Step, now: float) -> list[Text]:
        return [
            status_cell(s.status), t(s.stream, 40), n(s.processed), n(s.created), n(s.updated),
            n(s.skipped), n(s.failed, "bold #ff5f5f" if s.failed else ""),
            Text("⚠ yes" if s.rate_limited else "no", style="#d78700" if s.rate_limited else "dim"),
            Text(local_minute(s.started_at)),
        ]  # fmt: skip

    def child(self, s: Step, level: Level) -> Level | None:
        ids = {**level.ids, "step_id": s.id}
        if level.search:  # a searched id goes straight to the entities where it appears
            return Level("entities", f"{clean(s.stream, 30)} · id {level.search}", ids=ids,
                         external_id=level.search)  # fmt: skip
        return Level("instances", clean(s.stream, 30), ids=ids)

    def detail(self, s: Step, now: float) -> Text:
        d = Detail().heading(f"Step {s.stream} · {s.status.value}")
        d.kv("Processed", s.processed)
        d.kv("Created / updated / skipped / failed",
             f"{s.created} / {s.updated} / {s.skipped} / {s.failed}")  # fmt: skip
        d.kv("Hit a rate limit", "yes" if s.rate_limited else "no")
        d.kv("Started", local_minute(s.started_at))
        d.kv("Finished", local_minute(s.finished_at) if s.finished_at else "still running")
        if s.message:
            d.line(s.message).trouble(None, None, s.message)
        if s.rate_limited:
            d.trouble("http_429")
        return d.text

    def copy_value(self, s: Step) -> str:
        return clean(s.stream)

    def export_row(self, s: Step) -> dict[str, object]:
        return {
            "id": s.id, "run_id": s.run_id, "stream": s.stream, "status": s.status.value,
            "processed": s.processed, "created": s.created, "updated": s.updated,
            "skipped": s.skipped, "failed": s.failed, "rate_limited": s.rate_limited,
        }  # fmt: skip
