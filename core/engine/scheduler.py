"""The worker behind `syncdeck worker`: one member of a fleet sharing one store.

Each worker registers itself (host, pid, lease), heartbeats on a timer of its own and, on each
beat, expires the workers whose lease ran out (by the database's clock): their runs are marked
interrupted. On each tick it offers every due schedule fire to the store, which gives each fire
one owner however many workers see it (a fire of a service that still has a live run is skipped,
logged once); then it claims queued runs (scheduled fires, `syncdeck run --queue`) up to its
concurrency and runs them. `stop()` (SIGTERM / SIGINT) asks the runs in hand to stop after their
page in flight, waits for them to be marked cancelled, and deregisters.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models import LogKind, LogLevel, RunStatus
from ..store import LogRow, Store
from ..store.records import Claim
from ..text import clean
from ..timeutil import now
from .cron import next_fire
from .heartbeat import Beat, heartbeat_seconds, lease_seconds
from .runner import ServiceRun


@dataclass
class Slot:
    name: str
    service_id: int
    schedule: str
    next_at: float
    fired: int = 0
    skipped: int = 0


@dataclass
class InHand:
    claim: Claim
    task: asyncio.Task[Any]


class Scheduler:
    def __init__(
        self,
        store: Store,
        *,
        tick: float = 1.0,
        clock: Callable[[], float] = time.time,
        environ: dict[str, str] | None = None,
        say: Callable[[str], None] | None = None,
        options: dict[str, Any] | None = None,
        heartbeat: float | None = None,
        lease: float | None = None,
        concurrency: int = 4,
    ) -> None:
        self.store = store
        self.tick = tick
        self.clock = clock
        self.environ = environ
        self.say = say or (lambda _line: None)
        self.options = options or {}
        self.heartbeat = heartbeat if heartbeat is not None else heartbeat_seconds()
        self.lease = lease if lease is not None else lease_seconds()
        self.concurrency = concurrency
        self.slots: dict[str, Slot] = {}
        self.in_hand: dict[int, InHand] = {}
        self.results: list[Any] = []
        self.worker_id = 0
        self._stop = asyncio.Event()
        self._last_trouble = ""

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def refresh(self) -> None:
        """Pick up enabled services and schedule changes (enable/disable from elsewhere)."""
        seen = set()
        for svc in await self.store.list_services():
            if not svc.enabled or not svc.schedule:
                continue
            seen.add(svc.name)
            slot = self.slots.get(svc.name)
            if slot is None or slot.schedule != svc.schedule:
                at = next_fire(svc.schedule, self.clock())
                self.slots[svc.name] = Slot(svc.name, svc.id, svc.schedule, at)
        for name in list(self.slots):
            if name not in seen:
                del self.slots[name]

    # ---- membership: register, heartbeat, expire others -----------------------------------

    async def register(self) -> int:
        self.worker_id = await self.store.register_worker(
            socket.gethostname(), os.getpid(), self.lease
        )
        return self.worker_id

    async def beat(self) -> None:
        """Renew this worker's lease; expire the workers whose lease ran out."""
        if not await self.store.heartbeat_worker(self.worker_id):
            await self._lost()
        for run_id in await self.store.expire_workers():
            self.say(f"Run {run_id} interrupted: its worker stopped heartbeating.")

    async def _lost(self) -> None:
        """Another worker declared this one lost (a pause longer than the lease): its runs are
        already interrupted, so stop them at once and join again under a new id."""
        self.say(f"Worker {self.worker_id} was declared lost; dropping its runs and rejoining.")
        for held in list(self.in_hand.values()):
            held.task.cancel()
        await self.register()

    # ---- fires and claims -----------------------------------------------------------------

    async def _fire(self, slot: Slot, fire_at: float) -> None:
        outcome, run_id = await self.store.fire_schedule(slot.service_id, fire_at, self.worker_id)
        if outcome == "queued":
            slot.fired += 1
        elif outcome == "busy":
            slot.skipped += 1
            await self._log(
                LogLevel.WARNING,
                f"Scheduled run of {slot.name} skipped",
                f"{slot.name} is still running (run {run_id}); one run per service at a time.",
                service_id=slot.service_id,
            )

    async def claim(self) -> None:
        """Claim queued runs while this worker has room."""
        while not self.stopping and len(self.in_hand) < self.concurrency:
            claim = await self.store.claim_run(self.worker_id)
            if claim is None:
                return
            task = asyncio.create_task(self._run(claim))
            self.in_hand[claim.run_id] = InHand(claim, task)

    async def _run(self, claim: Claim) -> None:
        opts = claim.options
        only = opts.get("only_ids")
        sr: ServiceRun | None = None
        try:
            sr = ServiceRun(
                self.store, claim.service, trigger=claim.trigger, environ=self.environ,
                claimed=claim.run_id, retry_of=claim.retry_of, full=bool(opts.get("full")),
                stream=opts.get("stream"),
                only_ids={k: set(v) for k, v in only.items()} if only else None,
                warn=lambda text: self.say(f"{claim.service}: {text}"), **self.options,
            )  # fmt: skip
            result = await sr.run()
            self.results.append(result)
            self.say(result.summary())
        except asyncio.CancelledError:
            await asyncio.shield(self._cancelled(claim))
            raise
        except Exception as exc:  # noqa: BLE001 - one bad service must not stop the worker
            redactor = getattr(sr, "redactor", None) if sr else None  # once it knows its secrets
            text = (redactor.text(str(exc)) or "") if redactor is not None else str(exc)
            reason = clean(text, 500, single_line=True)
            self.say(f"{claim.service}: {reason}")
            await self._fail(claim, reason)
        finally:
            self.in_hand.pop(claim.run_id, None)

    async def _cancelled(self, claim: Claim) -> None:
        """Stopped before the engine had the run (still preparing): it ends cancelled."""
        run = await self.store.get_run(claim.run_id)
        if run.status == RunStatus.RUNNING:
            await self.store.update_run(claim.run_id, status=RunStatus.CANCELLED.value,
                                        finished_at=now(), message="Stopped.")  # fmt: skip

    async def _fail(self, claim: Claim, reason: str) -> None:
        """A claimed run that could not start (bad stored config, an unset secret) ends
        failed with the reason, never stays running."""
        run = await self.store.get_run(claim.run_id)
        if run.status == RunStatus.RUNNING:
            await self.store.update_run(claim.run_id, status=RunStatus.FAILED.value,
                                        finished_at=now(), message=reason)  # fmt: skip
        await self._log(LogLevel.ERROR, f"Run of {claim.service} could not start", reason,
                        service_id=claim.service_id, run_id=claim.run_id)  # fmt: skip

    async def _log(self, level: LogLevel, title: str, details: str, **ids: Any) -> None:
        await self.store.add_log(
            LogRow(now(), level.value, LogKind.EVENT.value, title, details, **ids)
        )

    # ---- the loop -------------------------------------------------------------------------

    async def run(self) -> None:
        """Until stop(): fire due schedules, claim queued runs; then stop what runs."""
        await self.store.mark_interrupted()
        if not self.worker_id:
            await self.register()
        beat = Beat(self.beat, self.heartbeat).start()
        try:
            while not self.stopping:
                try:
                    await self.tick_once()
                except Exception as exc:  # noqa: BLE001 - a busy or briefly unreachable store
                    self._trouble(exc)  # must not end the worker: the next tick tries again
                try:
                    await asyncio.wait_for(self._stop.wait(), timeout=self.tick)
                except TimeoutError:
                    pass
            await self.drain()
        finally:
            await beat.stop()
            await self.store.stop_worker(self.worker_id)

    async def tick_once(self) -> None:
        """Offer each due fire to the store, then claim what is queued."""
        await self.refresh()
        t = self.clock()
        for slot in list(self.slots.values()):
            if t >= slot.next_at:
                fire_at, slot.next_at = slot.next_at, next_fire(slot.schedule, t)
                await self._fire(slot, fire_at)
        await self.claim()

    def _trouble(self, exc: Exception) -> None:
        text = clean(str(exc) or type(exc).__name__, 300, single_line=True)
        if text != self._last_trouble:  # said once, not once per tick
            self.say(f"Store trouble (retrying every tick): {text}")
        self._last_trouble = text

    async def drain(self) -> None:
        """Ask runs in hand to stop after their page in flight; wait until they have."""
        asked: set[int] = set()
        while self.in_hand:
            for run_id in list(self.in_hand):
                if run_id not in asked:
                    await self.store.request_cancel(run_id)
                    asked.add(run_id)
            await asyncio.wait([h.task for h in self.in_hand.values()], timeout=0.1)

    async def cancel_now(self) -> None:
        """A second signal: stop at once (the runs are still marked cancelled)."""
        for held in self.in_hand.values():
            held.task.cancel()
