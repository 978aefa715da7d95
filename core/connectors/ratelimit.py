"""Client-side budget per connector: a token bucket (requests/s) and a concurrency cap.

`slot()` waits for a free concurrency slot, then for a token. `pause(seconds)` makes every
caller wait (a 429's Retry-After applies to the whole connector, not just one request).
`set_headroom()` lets a preset slow the bucket down as the server's remaining budget falls.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from .interrupt import Interrupt, Interrupted


class RateLimiter:
    def __init__(
        self,
        requests_per_second: float | None = None,
        concurrency: int = 4,
        burst: int | None = None,
    ) -> None:
        self.rate = requests_per_second
        self.concurrency = concurrency
        self.capacity = float(burst or max(1, int(requests_per_second or 1)))
        self._tokens = self.capacity
        self._stamp = time.monotonic()
        self._sem = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._paused_until = 0.0
        self.headroom: float | None = None
        self.waited = 0.0  # seconds spent waiting for tokens or pauses (for the bench)
        self.interrupt: Interrupt | None = None  # a cancelled run's waits end at once

    def effective_rate(self) -> float | None:
        if self.rate is None:
            return None
        if self.headroom is not None and self.headroom < 0.2:
            return max(self.rate * max(self.headroom, 0.05) / 0.2, 0.1)
        return self.rate

    def set_headroom(self, share: float | None) -> None:
        self.headroom = share

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    async def _take(self) -> None:
        async with self._lock:
            while True:
                t = time.monotonic()
                if t < self._paused_until:
                    wait = self._paused_until - t
                else:
                    rate = self.effective_rate()
                    if rate is None:
                        return
                    self._tokens = min(self.capacity, self._tokens + (t - self._stamp) * rate)
                    self._stamp = t
                    if self._tokens >= 1:
                        self._tokens -= 1
                        return
                    wait = (1 - self._tokens) / rate
                self.waited += wait
                if self.interrupt is None:
                    await asyncio.sleep(wait)
                elif await self.interrupt.sleep(wait):
                    raise Interrupted(self.interrupt.reason)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._sem:
            await self._take()
            yield
