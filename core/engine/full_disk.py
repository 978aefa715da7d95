"""A run on a store whose disk fills up: stop sending at once, keep what was done in memory,
write it when space returns, and end the run "failed" with the reason.

`FullDiskGuard` wraps the store a run writes through. A write that fails with StoreFull halts
the run's Interrupt (no request is sent any more, to either API: nothing may happen at the
destination that is not written down), tells the user once, then retries the same write every
few seconds until the disk has room again. Reads pass through untouched.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from ..connectors.interrupt import Interrupt
from ..errors import StoreFull

REASON = "the store's disk is full, so nothing more was sent"
RETRY_MIN, RETRY_MAX = 0.5, 5.0  # seconds between two tries of a write that found it full


class FullDiskGuard:
    def __init__(
        self, store: Any, interrupt: Interrupt, notify: Callable[[str], Any] | None = None
    ) -> None:
        self._store = store
        self._interrupt = interrupt
        self._notify = notify
        self.full_seen = False
        self.armed = False  # until the run's row exists, a full disk fails the run at once

    @property
    def unguarded(self) -> Any:
        return self._store

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def guarded(*args: Any, **kwargs: Any) -> Any:
            delay = RETRY_MIN
            while True:
                try:
                    return await attr(*args, **kwargs)
                except StoreFull as exc:
                    if not self.armed:
                        raise
                    self._halt(exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)

        guarded.__name__ = name
        return guarded

    def _halt(self, exc: StoreFull) -> None:
        if self.full_seen:
            return
        self.full_seen = True
        self._interrupt.halt(REASON)
        if self._notify is not None:
            self._notify(
                f"{exc.message} The run stopped sending at once and waits to record what it "
                "did; free some space there (it then ends as failed)."
            )
