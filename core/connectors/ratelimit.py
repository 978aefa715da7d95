"""Client-side budget per connector: a token bucket (requests/s) and a concurrency cap.

`slot()` waits for a free concurrency slot, then for a token. `pause(seconds)` makes every
caller wait (a 429's Retry-After applies to the whole connector, not just one request).
`set_headroom()` lets a preset slow the bucket down as the server's remaining budget falls.

Configured at N, the bucket paces requests N per second from the start: it starts with only
a small burst (two requests plus 50 ms worth, at most a second's worth) rather than a full
second's, which would spend the server's window at once. That small burst also keeps a waiter
that wakes late (the event loop's timing drift) from losing the time it overslept. Tokens
accrue at the rate in effect while they accrue: a rate change first settles the time so far
at the old rate, and a waiter looks again at least every RECHECK seconds, so a recovered
headroom neither refills the whole bucket at once nor leaves a caller asleep at the slow rate.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from .interrupt import Interrupt, Interrupted

RECHECK = 0.1  # seconds: the longest a waiter sleeps before looking at the rate again
EPSILON = 1e-9  # a token short by less than this is a whole one (float rounding)


def default_burst(rate: float | None) -> float:
    if rate is None:
        return 1.0
    return max(1.0, min(rate, 2.0 + rate * 0.05))


class RateLimiter:
    def __init__(
        self,
        requests_per_second: float | None = None,
        concurrency: int = 4,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate = requests_per_second
        self.concurrency = concurrency
        self.capacity = float(burst or default_burst(requests_per_second))
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._stamp = clock()
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
        self._refill(self._clock())  # the time so far accrues at the rate it was spent at
        self.headroom = share

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _refill(self, t: float) -> float | None:
        rate = self.effective_rate()
        if rate is not None:
            self._tokens = min(self.capacity, self._tokens + (t - self._stamp) * rate)
        self._stamp = t
        return rate

    def _next_wait(self) -> float:
        """0 when a token was taken, else how long to sleep before looking again."""
        t = self._clock()
        rate = self._refill(t)
        if t < self._paused_until:
            return self._paused_until - t
        if rate is None:
            return 0.0
        if self._tokens >= 1 - EPSILON:
            self._tokens = max(self._tokens - 1, 0.0)
            return 0.0
        return min((1 - self._tokens) / rate, RECHECK)

    async def _take(self) -> None:
        async with self._lock:
            while (wait := self._next_wait()) > 0:
                self.waited += wait
                if self.interrupt is None:
                    await self._sleep(wait)
                elif await self.interrupt.sleep(wait, self._sleep):
                    raise Interrupted(self.interrupt.reason)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._sem:
            await self._take()
            yield
