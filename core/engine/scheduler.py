"""The scheduler behind `syncdeck worker`: runs enabled services on their cron schedules.

One run per service at a time (a run still going, here or in another process, makes the
schedule skip that tick). `stop()` (SIGTERM / SIGINT in the worker) asks every run in flight to
stop after its page in flight, waits for them to be marked cancelled, then returns.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..models import LogKind, LogLevel, RunStatus, Trigger
from ..store import LogRow, Store
from ..text import clean
from ..timeutil import now
from .cron import next_fire
from .runner import ServiceRun


@dataclass
class Slot:
    name: str
    schedule: str
    next_at: float
    task: asyncio.Task[Any] | None = None
    run: ServiceRun | None = None
    runs: int = 0
    skipped: int = 0
    results: list[Any] = field(default_factory=list)


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
    ) -> None:
        self.store = store
        self.tick = tick
        self.clock = clock
        self.environ = environ
        self.say = say or (lambda _line: None)
        self.options = options or {}
        self.slots: dict[str, Slot] = {}
        self._stop = asyncio.Event()

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
                self.slots[svc.name] = Slot(svc.name, svc.schedule, at)
        for name in list(self.slots):
            slot = self.slots[name]
            if name not in seen and slot.task is None:
                del self.slots[name]

    async def _busy_elsewhere(self, name: str) -> bool:
        page = await self.store.list_runs(
            service=name, status=[RunStatus.RUNNING.value, RunStatus.QUEUED.value], limit=1
        )
        return page.total > 0

    async def _fire(self, slot: Slot) -> None:
        if slot.task is not None or await self._busy_elsewhere(slot.name):
            slot.skipped += 1
            await self._log(
                LogLevel.WARNING,
                f"Scheduled run of {slot.name} skipped",
                f"{slot.name} is still running; one run per service at a time.",
            )
            return
        sr = ServiceRun(
            self.store, slot.name, trigger=Trigger.SCHEDULE.value, environ=self.environ,
            warn=lambda text: self.say(f"{slot.name}: {text}"), **self.options,
        )  # fmt: skip
        slot.run = sr
        slot.runs += 1
        slot.task = asyncio.create_task(self._run(slot, sr))

    async def _run(self, slot: Slot, sr: ServiceRun) -> None:
        try:
            result = await sr.run()
            slot.results.append(result)
            self.say(result.summary())
        except Exception as exc:  # noqa: BLE001 - one bad service must not stop the worker
            redactor = getattr(sr, "redactor", None)  # set once the run knows its secrets
            text = redactor.text(str(exc)) or "" if redactor is not None else str(exc)
            self.say(f"{slot.name}: {clean(text, 300, single_line=True)}")
            await self._log(LogLevel.ERROR, f"Scheduled run of {slot.name} could not start",
                            clean(text, 500))  # fmt: skip
        finally:
            slot.task = None
            slot.run = None

    async def _log(self, level: LogLevel, title: str, details: str) -> None:
        await self.store.add_log(LogRow(now(), level.value, LogKind.EVENT.value, title, details))

    async def run(self) -> None:
        """Until stop(): fire due services; then cancel what runs and wait for it."""
        await self.store.mark_interrupted()
        while not self.stopping:
            await self.refresh()
            t = self.clock()
            for slot in list(self.slots.values()):
                if t >= slot.next_at:
                    slot.next_at = next_fire(slot.schedule, t)
                    await self._fire(slot)
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=self.tick)
            except TimeoutError:
                pass
        await self.drain()

    async def drain(self) -> None:
        """Ask runs in flight to stop after their page in flight; wait until they have."""
        asked: set[int] = set()
        while True:
            live = [s for s in self.slots.values() if s.task is not None]
            if not live:
                return
            for slot in live:
                rec = getattr(slot.run, "rec", None)
                run_id = getattr(rec, "run_id", 0)
                if run_id and run_id not in asked:
                    await self.store.request_cancel(run_id)
                    asked.add(run_id)
            await asyncio.wait([s.task for s in live if s.task], timeout=0.1)

    async def cancel_now(self) -> None:
        """A second signal: stop at once (the runs are still marked cancelled)."""
        for slot in self.slots.values():
            if slot.task is not None:
                slot.task.cancel()
