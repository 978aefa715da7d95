"""Recording a run as it happens: one write_batch per page, so a console polling every 5 s
sees progress, and nothing committed before a crash is lost."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..models import LogKind, LogLevel
from ..store import Batch, CallRow, Counts, EntityRow, IdMapRow, LogRow, Store
from ..timeutil import now
from . import events


@dataclass
class StepTotals:
    pulled: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    rate_limited: bool = False

    def add(self, c: Counts) -> None:
        self.pulled += c.processed
        self.created += c.created
        self.updated += c.updated
        self.skipped += c.skipped
        self.failed += c.failed


@dataclass
class RunTotals(StepTotals):
    errors: int = 0
    steps_failed: int = 0
    steps_partial: int = 0
    steps: int = 0
    messages: list[str] = field(default_factory=list)


class Recorder:
    def __init__(
        self, store: Store, *, service_id: int, source_id: int | None, dest_id: int | None
    ) -> None:
        self.store = store
        self.service_id = service_id
        self.source_id = source_id
        self.dest_id = dest_id
        self.run_id = 0
        self.totals = RunTotals()
        self.t0 = time.perf_counter()

    async def start_run(self, sync_type: str, trigger: str, retry_of: int | None = None) -> int:
        self.run_id = await self.store.start_run(
            self.service_id, sync_type=sync_type, trigger=trigger, retry_of=retry_of
        )
        return self.run_id

    def log(
        self,
        level: LogLevel,
        title: str,
        details: str = "",
        *,
        kind: LogKind = LogKind.EVENT,
        step_id: int | None = None,
        connector_id: int | None = None,
        entity_id: int | None = None,
        code: str | None = None,
    ) -> LogRow:
        return events.row(
            level,
            title,
            details,
            kind=kind,
            connector_id=connector_id if connector_id is not None else self.source_id,
            service_id=self.service_id,
            run_id=self.run_id,
            step_id=step_id,
            entity_id=entity_id,
            code=code,
        )

    async def event(self, *args: object, **kwargs: object) -> None:
        await self.store.write_batch(Batch(logs=[self.log(*args, **kwargs)]))  # type: ignore[arg-type]

    async def flush(
        self,
        *,
        step_id: int | None,
        instance_id: int | None = None,
        entities: list[EntityRow] | None = None,
        calls: list[CallRow] | None = None,
        logs: list[LogRow] | None = None,
        id_map: list[IdMapRow] | None = None,
        counts: Counts | None = None,
        stream_state: tuple[int, str, str | None] | None = None,
    ) -> list[int]:
        """Commit one page: entities with their calls, page calls, logs, id map and counters."""
        for c in calls or []:
            self.bind(c, step_id, instance_id)
        for e in entities or []:
            for c in e.calls:
                self.bind(c, step_id, instance_id)
        c = counts or Counts()
        run_c = Counts(
            pulled=c.processed,
            pushed=c.created + c.updated,
            created=c.created,
            updated=c.updated,
            skipped=c.skipped,
            failed=c.failed,
            errors=c.errors,
        )
        self.totals.add(c)
        self.totals.errors += c.errors
        return await self.store.write_batch(
            Batch(
                entities=entities or [],
                calls=calls or [],
                logs=logs or [],
                id_map=id_map or [],
                run_id=self.run_id,
                run_counts=run_c,
                step_id=step_id,
                step_counts=c if step_id is not None else None,
                stream_state=stream_state,
            )
        )

    def bind(self, call: CallRow, step_id: int | None, instance_id: int | None) -> None:
        call.run_id = self.run_id
        call.step_id = step_id
        if call.instance_id is None:
            call.instance_id = instance_id

    async def finish_run(self, status: str, message: str) -> None:
        await self.store.update_run(
            self.run_id, status=status, finished_at=now(), message=message, heartbeat_at=now()
        )

    def elapsed_ms(self) -> int:
        return int((time.perf_counter() - self.t0) * 1000)
