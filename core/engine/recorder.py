"""Recording a run as it happens: one write_batch per page, so a console polling every 5 s
sees progress, and nothing committed before a crash is lost.

Pages are committed by a background writer while the next page is fetched, mapped and pushed:
`submit` queues a page's batch (waiting when DEPTH batches are already queued, so memory stays
bounded), `drain` waits until everything queued is committed and re-raises a failed write.
Each batch is one transaction: the page's instance, entities, calls, logs, id map, counters
and incremental cursor together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..connectors.redact import Redactor
from ..models import LogKind, LogLevel
from ..store import Batch, CallRow, Counts, EntityRow, IdMapRow, LogRow, Store
from ..store.records import InstanceRow
from ..timeutil import now
from . import events

DEPTH = 2  # pages queued for the writer at most (bounded memory, back-pressure)
# A pushed page's batch is held back until the next page's pending marks are committed (so the
# marks, which that page's sends wait for, do not queue behind it), but never longer than this:
# a next page slow to come (a fetch, a Retry-After) must not keep the results from the store.
HOLD_S = 0.025


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
    """Writes a run's rows. Every text it stores (log titles and details, entity reasons, call
    errors, step and run messages) goes through `redactor` first: an API that echoes a secret
    back in an error must not get it into the store."""

    def __init__(
        self,
        store: Store,
        *,
        service_id: int,
        source_id: int | None,
        dest_id: int | None,
        redactor: Redactor | None = None,
    ) -> None:
        self.store = store
        self.redactor = redactor or Redactor()
        self.service_id = service_id
        self.source_id = source_id
        self.dest_id = dest_id
        self.run_id = 0
        self.totals = RunTotals()
        self.t0 = time.perf_counter()
        self._queue: asyncio.Queue[tuple[Batch, Callable[[Batch], None] | None] | None] | None
        self._queue = None
        self._writer: asyncio.Task[None] | None = None
        self._error: BaseException | None = None
        self._held: list[tuple[Batch, Callable[[Batch], None] | None]] = []
        self._hold_timer: asyncio.TimerHandle | None = None
        self._releasing: asyncio.Task[None] | None = None

    async def start_run(
        self, sync_type: str, trigger: str, retry_of: int | None = None, claimed: int | None = None
    ) -> int:
        """A new running run; or, for a run a worker claimed from the queue, that run."""
        if claimed is not None:
            self.run_id = claimed
            await self.store.update_run(claimed, sync_type=sync_type)
            return claimed
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

    def redact(self, text: str) -> str:
        return self.redactor.text(text) or ""

    def scrub(self, batch: Batch) -> Batch:
        """Mask the run's secrets in every text of `batch` (in place); returns it."""
        if self.redactor.empty:
            return batch
        for log in [*batch.logs, *(log for _, log in batch.entity_logs)]:
            log.title, log.details = self.redact(log.title), self.redact(log.details)
        for e in batch.entities:
            e.reason = self.redact(e.reason)
            for c in e.calls:
                c.error = self.redact(c.error)
        for c in batch.calls:
            c.error = self.redact(c.error)
        if batch.instance is not None and batch.instance.cursor:
            batch.instance.cursor = self.redact(batch.instance.cursor)
        batch.unmapped = [(s, k, [self.redact(v) for v in vs]) for s, k, vs in batch.unmapped]
        return batch

    async def event(self, *args: object, **kwargs: object) -> None:
        log = self.log(*args, **kwargs)  # type: ignore[arg-type]
        await self.store.write_batch(self.scrub(Batch(logs=[log])))

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
            self.scrub(Batch(
                entities=entities or [],
                calls=calls or [],
                logs=logs or [],
                id_map=id_map or [],
                run_id=self.run_id,
                run_counts=run_c,
                step_id=step_id,
                step_counts=c if step_id is not None else None,
                stream_state=stream_state,
            ))
        )  # fmt: skip

    def page_batch(
        self,
        *,
        step_id: int,
        instance: InstanceRow,
        entities: list[EntityRow] | None = None,
        calls: list[CallRow] | None = None,
        logs: list[LogRow] | None = None,
        entity_logs: list[tuple[int, LogRow]] | None = None,
        id_map: list[IdMapRow] | None = None,
        counts: Counts | None = None,
        stream_state: tuple[int, str, str | None] | None = None,
        unmapped: list[tuple[int, str, list[str]]] | None = None,
    ) -> Batch:
        """One page as one batch; the run totals count it at once (the progress callback)."""
        for c in calls or []:
            self.bind(c, step_id, None)
        for e in entities or []:
            for c in e.calls:
                self.bind(c, step_id, None)
        c = counts or Counts()
        self.totals.add(c)
        self.totals.errors += c.errors
        return self.scrub(Batch(
            entities=entities or [],
            calls=calls or [],
            logs=logs or [],
            id_map=id_map or [],
            run_id=self.run_id,
            run_counts=Counts(
                pulled=c.processed,
                pushed=c.created + c.updated,
                created=c.created,
                updated=c.updated,
                skipped=c.skipped,
                failed=c.failed,
                errors=c.errors,
            ),  # fmt: skip
            step_id=step_id,
            step_counts=c,
            stream_state=stream_state,
            instance=instance,
            entity_logs=entity_logs or [],
            unmapped=unmapped or [],
        ))  # fmt: skip

    async def submit(self, batch: Batch, done: Callable[[Batch], None] | None = None) -> None:
        """Queue a batch for the background writer; waits while DEPTH batches are queued."""
        if self._error is not None:
            await self.drain()
        if self._queue is None:
            self._queue = asyncio.Queue(maxsize=DEPTH)
            self._writer = asyncio.create_task(self._write_loop(self._queue))
        await self._queue.put((batch, done))

    def hold(self, batch: Batch, done: Callable[[Batch], None] | None = None) -> None:
        """Submit `batch` at the next `release()`, or after HOLD_S, whichever comes first."""
        self._held.append((batch, done))
        if self._hold_timer is None:
            self._hold_timer = asyncio.get_running_loop().call_later(HOLD_S, self._held_too_long)

    def _held_too_long(self) -> None:
        self._hold_timer = None
        if self._held and (self._releasing is None or self._releasing.done()):
            self._releasing = asyncio.ensure_future(self.release())

    async def release(self) -> None:
        """Submit the held batches, in order."""
        if self._hold_timer is not None:
            self._hold_timer.cancel()
            self._hold_timer = None
        while self._held:
            batch, done = self._held.pop(0)
            await self.submit(batch, done)

    async def _write_loop(self, queue: asyncio.Queue) -> None:
        while True:
            item = await queue.get()
            try:
                if item is None:
                    return
                if self._error is None:
                    batch, done = item
                    await self.store.write_batch(batch)
                    if done is not None:
                        done(batch)
            except Exception as exc:  # noqa: BLE001 - surfaced by drain()
                self._error = exc
            finally:
                queue.task_done()

    async def drain(self) -> None:
        """Wait until every held and queued batch is committed; raise the first failed write."""
        await self.release()
        if self._releasing is not None:
            releasing, self._releasing = self._releasing, None
            await releasing
        if self._queue is not None:
            if self._writer is not None and self._writer.done():
                self._writer.result()
            await self._queue.join()
        if self._error is not None:
            err, self._error = self._error, None
            raise err

    async def close(self) -> None:
        """Commit what is queued, then stop the writer (a failed write is raised)."""
        try:
            await self.drain()
        finally:
            if self._queue is not None and self._writer is not None:
                if not self._writer.done():
                    await self._queue.put(None)
                    await self._writer
                self._queue = self._writer = None

    def bind(self, call: CallRow, step_id: int | None, instance_id: int | None) -> None:
        call.run_id = self.run_id
        call.step_id = step_id
        if call.instance_id is None:
            call.instance_id = instance_id

    async def finish_run(self, status: str, message: str) -> None:
        await self.store.update_run(
            self.run_id, status=status, finished_at=now(), message=self.redact(message),
            heartbeat_at=now(),
        )  # fmt: skip

    def elapsed_ms(self) -> int:
        return int((time.perf_counter() - self.t0) * 1000)
