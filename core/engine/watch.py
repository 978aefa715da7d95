"""While a run goes on: notice a cancel request from any process within POLL seconds (and cut
every wait short through the run's Interrupt), and renew the run's heartbeat every HEARTBEAT
seconds, so readers on other hosts can tell a live run from a dead one."""

from __future__ import annotations

import asyncio
import contextlib
import time

from ..connectors.interrupt import Interrupt
from ..store import Store
from ..store.liveness import HEARTBEAT

POLL = 0.5  # seconds between two looks at the run's cancel flag
CANCELLED = "the run was cancelled"


class RunWatch:
    def __init__(
        self,
        store: Store,
        run_id: int,
        interrupt: Interrupt,
        *,
        poll: float = POLL,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.interrupt = interrupt
        self.poll = poll
        self.heartbeat = heartbeat
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        beat = time.monotonic()
        while True:
            await asyncio.sleep(self.poll)
            try:
                if not self.interrupt.is_set and await self.store.cancel_requested(self.run_id):
                    self.interrupt.cancel(CANCELLED)
                if time.monotonic() - beat >= self.heartbeat:
                    beat = time.monotonic()
                    await self.store.touch_run(self.run_id)  # by the database's clock
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the recorder's own writes surface store trouble
                pass
