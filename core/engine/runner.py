"""Run one service: a step per stream; pull pages -> map -> push; everything recorded live.

`run_service(store, name, ...)` is what the CLI (`syncdeck run`) and the console (run now) call.
Bad input (unknown service or stream, an unset env: secret) raises UserError before any row is
written; everything after that ends as a run row with a status, never as a crash.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import ValidationError

from ..config import ConnectorConfig, ServiceConfig, StreamConfig
from ..connectors.client import Client, Exchange
from ..connectors.interrupt import Interrupt
from ..connectors.oauth2_refresh import keep_rotations
from ..connectors.paginators import make_paginator
from ..errors import UserError
from ..mapping.fields import Mapper
from ..mapping.filters import parse_filters
from ..models import LogKind, LogLevel, MappingStatus, RunStatus, StepStatus, SyncType
from ..store import Store
from ..store.records import InstanceRow, LogRow
from ..text import clean
from ..timeutil import now
from ..troubleshooting import match
from ..troubleshooting_vendors import vendor_code
from . import events, gc_pace, notices
from .cursor import StepCursor
from .full_disk import FullDiskGuard
from .heartbeat import heartbeat_seconds
from .pull import pages
from .push import Pusher
from .recorder import Recorder, StepTotals
from .results import EXIT_CODES, Progress, RunResult  # noqa: F401 - re-exported
from .watch import CANCELLED, RunWatch

ProgressFn = Callable[[Progress], Any]


class _Fatal(Exception):
    def __init__(self, reason: str, code: str | None, connector_id: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.connector_id = connector_id


def _stored(model: type, data: dict, what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UserError(
            f"The stored configuration of {what} is not valid: {exc.errors()[0]['msg']}.",
            "Re-import it with `syncdeck config import FILE`.",
        ) from None


class ServiceRun:
    def __init__(
        self,
        store: Store,
        name: str,
        *,
        full: bool = False,
        stream: str | None = None,
        dry_run: bool = False,
        trigger: str = "manual",
        progress: ProgressFn | None = None,
        environ: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_of: int | None = None,
        only_ids: dict[str, set[str]] | None = None,
        claimed: int | None = None,
        interrupt: Interrupt | None = None,
        warn: Callable[[str], Any] | None = None,
    ) -> None:
        self.store = store
        self.claimed = claimed  # a queued run a worker claimed: record into it
        self.warn = warn
        self.interrupt = interrupt or Interrupt()  # cancel: waits end at once; halt: send nothing
        self.only_ids = only_ids  # a retry: stream -> the external ids to push again
        self.name = name
        self.full = full
        self.only = stream
        self.dry_run = dry_run
        self.trigger = trigger
        self.progress = progress
        self.environ = environ
        self.transport = transport
        self.retry_of = retry_of
        self.src_confirmed = False

    async def prepare(self) -> None:
        """Load and check everything; raises UserError before anything is written."""
        svc = await self.store.get_service(self.name)
        self.service = svc
        self.cfg: ServiceConfig = _stored(
            ServiceConfig, await self.store.service_config(self.name), f"service {self.name}"
        )
        self.src_cfg: ConnectorConfig = _stored(
            ConnectorConfig, await self.store.connector_config(svc.source), svc.source
        )
        self.dst_cfg: ConnectorConfig = _stored(
            ConnectorConfig, await self.store.connector_config(svc.destination), svc.destination
        )
        self.streams: list[StreamConfig] = list(self.cfg.streams)
        if self.only is not None:
            self.streams = [s for s in self.cfg.streams if s.name == self.only]
            if not self.streams:
                known = ", ".join(s.name for s in self.cfg.streams)
                raise UserError(
                    f"Service {self.name} has no stream named '{self.only}'.",
                    f"Its streams: {known}.",
                )
        self.src_id = await self.store.connector_id(svc.source)
        self.dst_id = await self.store.connector_id(svc.destination)
        self.lookups: dict[str, dict[str, str]] = {k: dict(v) for k, v in self.cfg.lookups.items()}
        for lookup in self.lookups:
            for vm in await self.store.list_value_mappings(svc.id, lookup):
                if vm.status == MappingStatus.MAPPED and vm.destination_value is not None:
                    self.lookups[lookup][vm.source_value] = vm.destination_value
        capture = self.cfg.payload_max_bytes if self.cfg.capture_payloads else None
        self.src = Client(
            svc.source, self.src_cfg, connector_id=self.src_id, environ=self.environ,
            transport=self.transport, capture_limit=capture,
        )  # fmt: skip
        try:
            self.dst = Client(
                svc.destination, self.dst_cfg, connector_id=self.dst_id, environ=self.environ,
                transport=self.transport, capture_limit=capture,
            )  # fmt: skip
        except BaseException:
            await self.src.aclose()
            raise
        from ..connectors.capture import share_secrets

        self.redactor = share_secrets(self.src, self.dst)
        self.src.set_interrupt(self.interrupt)
        self.dst.set_interrupt(self.interrupt)
        keep_rotations(self.src, self.store, svc.source)  # a rotated refresh token is kept
        keep_rotations(self.dst, self.store, svc.destination)

    def _warn(self, text: str) -> None:
        """A condition the user must act on while the run goes on (the disk filled up)."""
        if self.warn is not None:
            self.warn(text)

    async def _emit(self, p: Progress) -> None:
        if self.progress is None:
            return
        out = self.progress(p)
        if inspect.isawaitable(out):
            await out

    def _clients(self) -> list[tuple[str, Client | None]]:
        return [(self.service.source, self.src), (self.service.destination, self.dst)]

    async def run(self) -> RunResult:
        with gc_pace.roomy():  # a run's bursts of page objects: see gc_pace
            return await self._run()

    async def _run(self) -> RunResult:
        await self.prepare()
        self.guard = FullDiskGuard(self.store, self.interrupt, self._warn)
        self.store = self.guard  # type: ignore[assignment] - the same methods, full-disk safe
        rec = Recorder(
            self.store, service_id=self.service.id, source_id=self.src_id, dest_id=self.dst_id,
            redactor=self.redactor,
        )  # fmt: skip
        self.rec = rec
        sync_type = (
            SyncType.FULL
            if self.full or not any(s.incremental for s in self.streams)
            else SyncType.UPDATE
        )
        interval = heartbeat_seconds()  # a bad SYNCDECK_HEARTBEAT is refused before any row
        await rec.start_run(sync_type.value, self.trigger, self.retry_of, self.claimed)
        self.guard.armed = True  # from now on a full disk halts the run and waits for space
        # alive even while a page waits out a long Retry-After: a heartbeat on its own timer
        watch = RunWatch(self.guard.unguarded, rec.run_id, self.interrupt, heartbeat=interval)
        watch.start()
        status = RunStatus.SUCCESS
        message = ""
        try:
            for stream in self.streams:
                step_status = await self._step(stream)
                if step_status == StepStatus.CANCELLED and self.interrupt.send_nothing:
                    status = RunStatus.FAILED  # halted: the store could not be written
                    message = f"Stopped: {self.interrupt.reason}."
                    break
                if step_status == StepStatus.CANCELLED:
                    status = RunStatus.CANCELLED
                    reason = self.interrupt.reason
                    message = (
                        "Cancelled by request."
                        if reason in ("", CANCELLED)
                        else f"Cancelled: {reason}."
                    )
                    break
            else:
                status, message = self._verdict()
        except _Fatal as fatal:
            status, message = RunStatus.FAILED, fatal.reason
            await rec.event(
                LogLevel.ERROR, f"{self.service.name} sync failed", fatal.reason,
                kind=LogKind.MILESTONE, connector_id=fatal.connector_id, code=fatal.code,
            )  # fmt: skip
        except (asyncio.CancelledError, KeyboardInterrupt):
            await asyncio.shield(self._stopped())
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must end the run, not the process
            status = RunStatus.FAILED
            message = f"internal error: {clean(repr(exc), 300, single_line=True)}"
            await rec.event(LogLevel.ERROR, f"{self.service.name} sync failed", message)
        finally:
            try:
                await watch.stop()
                await rec.close()  # pages already pushed are committed, even when stopped
            finally:
                await self.src.aclose()
                await self.dst.aclose()
        if self.dry_run:
            message = (message + " Dry run: nothing was sent.").strip()
        message = rec.redact(message)
        await rec.finish_run(status.value, message)
        t = rec.totals
        result = RunResult(
            run_id=rec.run_id, service=self.name, status=status, pulled=t.pulled,
            created=t.created, updated=t.updated, skipped=t.skipped, failed=t.failed,
            duration_ms=rec.elapsed_ms(), message=message, dry_run=self.dry_run,
        )  # fmt: skip
        await self._emit(
            Progress(rec.run_id, "", 0, t.pulled, t.created, t.updated, t.skipped, t.failed, True)
        )
        return result

    async def _stopped(self) -> None:
        try:
            await self.rec.drain()
        finally:
            await self.rec.finish_run(RunStatus.CANCELLED.value, "Stopped.")

    def _verdict(self) -> tuple[RunStatus, str]:
        t = self.rec.totals
        if t.steps and t.steps_failed == t.steps:
            return RunStatus.FAILED, "; ".join(t.messages)
        if t.steps_failed or t.steps_partial or t.failed:
            return RunStatus.PARTIAL, "; ".join(t.messages)
        return RunStatus.SUCCESS, ""

    def _auth_fatal(self, ex: Exchange, connector: str, cfg: ConnectorConfig, cid: int) -> _Fatal:
        status = ex.status or 0
        client = self.dst if connector == self.service.destination else self.src
        if getattr(client.auth, "expired", False):  # the OAuth refresh token was refused
            return _Fatal(events.oauth_expired(connector, client.auth.error), "oauth_expired", cid)
        return _Fatal(events.auth_cause(status, connector, cfg.auth.type), f"http_{status}", cid)

    async def _step(self, stream: StreamConfig) -> StepStatus:
        rec, store = self.rec, self.store
        step_id = await store.start_step(rec.run_id, stream.name)
        t0 = time.perf_counter()
        title, details = events.started(
            stream.name, self.name, self.service.source, self.service.destination
        )
        await rec.flush(
            step_id=step_id,
            logs=[rec.log(LogLevel.INFO, title, details, kind=LogKind.MILESTONE, step_id=step_id)],
        )
        pull = stream.pull
        params = dict(pull.params)
        cursor_value: str | None = None
        if stream.incremental is not None:
            inc = stream.incremental
            saved = (
                None if self.full else await store.get_stream_state(self.service.id, stream.name)
            )
            start = saved or inc.initial_value
            if start:
                params[inc.start_param] = start
            cursor_value = saved
        cursor = None
        if stream.incremental is not None and not self.dry_run:
            cursor = StepCursor(cursor_value, stream.incremental.cursor_path)
        paginator = make_paginator(pull.paginator, pull.path, params)
        pusher = Pusher(
            store, self.dst, stream, Mapper(stream, self.lookups),
            service_id=self.service.id, dry_run=self.dry_run,
            filters=parse_filters(self.cfg.filters),
        )  # fmt: skip
        totals = StepTotals()
        error = ""
        cancelled = False
        fatal: _Fatal | None = None
        rate_note = False
        ahead = (
            self.src_cfg.rate_limit.concurrency if self.src_cfg.rate_limit.concurrency > 1 else 0
        )
        checking: asyncio.Task[bool] | None = None  # the cancel check after the last page
        try:
            async for page in pages(self.src, pull, paginator, ahead=ahead):
                if checking is not None:
                    cancelled, checking = await checking, None
                    if cancelled:
                        break
                ex = page.exchange
                first_call = ex.calls[0] if ex.calls else None
                instance = InstanceRow(
                    step_id, rec.run_id, page.request.number, pull.method, ex.url,
                    cursor=page.request.label,
                    started_at=first_call.started_at if first_call else now(),
                    retries=ex.retries, headroom=ex.headroom, status_code=ex.status,
                    duration_ms=ex.duration_ms,
                )  # fmt: skip
                logs = notices.withheld(rec, step_id, self._clients())
                if ex.rate_limited and not rate_note:
                    rate_note = True
                    totals.rate_limited = True
                    logs.append(rec.log(
                        LogLevel.WARNING, f"Rate limited by {self.service.source}",
                        f"{self.service.source} answered 429 Too Many Requests on page "
                        f"{page.request.number}; syncdeck waited and retried.",
                        step_id=step_id, code="http_429",
                    ))  # fmt: skip
                if page.error:
                    await rec.release()
                if page.error and self.interrupt.is_set:  # a wait cut short by a cancel
                    cancelled = True
                    await rec.submit(rec.page_batch(
                        step_id=step_id, instance=instance, calls=ex.calls, logs=logs
                    ))  # fmt: skip
                    break
                if page.error:
                    error = f"page {page.request.number}: {page.error}"
                    if ex.status in (401, 403) and not self.src_confirmed:
                        fatal = self._auth_fatal(ex, self.service.source, self.src_cfg, self.src_id)
                    failed_page = rec.page_batch(
                        step_id=step_id, instance=instance, calls=ex.calls, logs=logs
                    )
                    await rec.submit(failed_page)
                    break
                self.src_confirmed = True
                if not totals.pulled:  # the first records of the pull: the mapping grid's preview
                    samples = self.redactor.data(page.records)
                    await store.record_samples(self.service.id, stream.name, samples)
                if self.only_ids is not None:
                    keep = self.only_ids.get(stream.name, set())
                    page.records = [r for r in page.records if pusher.mapper.external_id(r) in keep]
                out = await pusher.page(
                    page.records, step_id=step_id, run_id=rec.run_id, instance_id=None,
                    before_creates=rec.drain, after_marks=rec.release,
                )  # fmt: skip
                instance.records = len(page.records)
                state = None
                if cursor is not None and page.records:
                    failed_ids = {ext for ext, _ in out.failures}
                    value = cursor.page(page.records, failed_ids, pusher.mapper.external_id)
                    if value is not None:
                        state = (self.service.id, stream.name, value)
                totals.add(out.counts)
                logs.extend(notices.withheld(rec, step_id, self._clients()))
                batch = rec.page_batch(
                    step_id=step_id, instance=instance, entities=out.entities, calls=ex.calls,
                    logs=logs, entity_logs=self._failure_logs(stream, step_id, out),
                    id_map=out.id_map, counts=out.counts, stream_state=state,
                    unmapped=[
                        (self.service.id, lookup, sorted(values))
                        for lookup, values in out.unmapped.items()
                    ],
                )  # fmt: skip
                del out, page  # the page's records and rows now live only in the batch
                rec.hold(batch, pusher.committed)  # after the next page's marks (recorder)
                del batch
                t = rec.totals
                await self._emit(
                    Progress(
                        rec.run_id, stream.name, instance.page, t.pulled, t.created, t.updated,
                        t.skipped, t.failed,
                    )
                )  # fmt: skip
                if pusher.auth_failure is not None:
                    fatal = self._auth_fatal(
                        pusher.auth_failure, self.service.destination, self.dst_cfg, self.dst_id
                    )
                    error = fatal.reason
                    break
                if self.interrupt.is_set:  # cancelled (any process, a signal): page done, stop
                    cancelled = True
                    break
                # Between pages: asked while the next page is taken from the pull.
                checking = asyncio.create_task(store.cancel_requested(rec.run_id))
            if checking is not None:
                cancelled, checking = await checking, None
        finally:
            if checking is not None:
                checking.cancel()
            await rec.release()  # pushed pages are committed however the loop ended
        if paginator.warning:
            title, details = notices.paging_stopped(self.service.source, stream.name, paginator)
            await rec.flush(step_id=step_id, logs=[
                rec.log(LogLevel.WARNING, title, details, step_id=step_id, code="paging_stopped")
            ])  # fmt: skip
        await rec.drain()
        ms = int((time.perf_counter() - t0) * 1000)
        if cancelled:
            status = StepStatus.CANCELLED
        elif error:
            status = StepStatus.FAILED
        elif totals.failed:
            status = StepStatus.PARTIAL
        else:
            status = StepStatus.SUCCESS
        rt = rec.totals
        rt.steps += 1
        if status == StepStatus.FAILED:
            rt.steps_failed += 1
            rt.messages.append(f"{stream.name}: {error}")
        elif status == StepStatus.PARTIAL:
            rt.steps_partial += 1
            rt.messages.append(f"{stream.name}: {totals.failed} failed")
        title, details = events.completed(
            stream.name, totals.created, totals.updated, totals.failed, ms
        )
        logs = []
        if error:
            ftitle, fdetails = events.failed(stream.name, error)
            code = fatal.code if fatal else None
            logs.append(rec.log(LogLevel.ERROR, ftitle, fdetails, step_id=step_id, code=code))
        level = LogLevel.INFO if not (totals.failed or error) else LogLevel.WARNING
        logs.append(rec.log(level, title, details, kind=LogKind.MILESTONE, step_id=step_id))
        await rec.flush(step_id=step_id, logs=logs)
        await store.update_step(
            step_id, status=status.value, finished_at=now(), message=rec.redact(error),
            rate_limited=int(totals.rate_limited),
        )  # fmt: skip
        if fatal is not None:
            raise fatal
        return status

    def _failure_logs(
        self, stream: StreamConfig, step_id: int, out: Any
    ) -> list[tuple[int, LogRow]]:
        """Logs for a page's failures (at most 50), each tied to its entity by its index."""
        if not out.failures:
            return []
        by_ext: dict[str, int] = {}
        for i, ent in enumerate(out.entities):
            if ent.status == "failed":
                by_ext.setdefault(ent.external_id, i)
        logs = []
        for ext, reason in out.failures[:50]:
            status = int(reason[5:8]) if reason[:5] == "HTTP " and reason[5:8].isdigit() else None
            code = vendor_code(self.dst_cfg.preset, status, match(status, reason))
            logs.append((by_ext[ext], self.rec.log(
                LogLevel.ERROR, f"{events.label(stream.name)} {ext} failed", reason,
                step_id=step_id, connector_id=self.dst_id, code=code,
            )))  # fmt: skip
        return logs


async def run_service(store: Store, name: str, **options: Any) -> RunResult:
    """Run one service now. Raises UserError for bad input; otherwise returns the result."""
    await store.mark_interrupted()
    return await ServiceRun(store, name, **options).run()
