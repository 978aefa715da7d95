"""The token bucket on a fake clock: paced at N from the start, no refill at a rate not in
effect, a waiter at a slow rate looks again when the headroom recovers, no loss to drift."""

from __future__ import annotations

import asyncio

from core.connectors.ratelimit import RateLimiter


class FakeClock:
    """`sleep` moves the clock on by the time asked plus `late` (a loop that wakes late)."""

    def __init__(self, late: float = 0.0) -> None:
        self.now = 0.0
        self.late = late
        self.on_wake = lambda: None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self.late
        self.on_wake()
        await asyncio.sleep(0)


def limiter(rate: float, clock: FakeClock, burst: int | None = None) -> RateLimiter:
    return RateLimiter(rate, concurrency=8, burst=burst, clock=clock, sleep=clock.sleep)


async def grants_before(lim: RateLimiter, clock: FakeClock, until: float) -> int:
    n = 0
    while True:
        # a bucket that never tops up (float rounding) would spin here: fail, do not hang
        await asyncio.wait_for(lim._take(), timeout=2)  # noqa: SLF001
        if clock.now >= until:
            return n
        n += 1


async def test_configured_at_n_the_first_second_grants_n_not_a_burst_of_n_more() -> None:
    clock = FakeClock()
    n = await grants_before(limiter(50, clock), clock, until=1.0)
    assert 0.95 * 50 <= n <= 1.1 * 50


async def test_a_recovered_headroom_does_not_refill_the_slow_seconds_at_the_full_rate() -> None:
    clock = FakeClock()
    lim = limiter(10, clock, burst=10)
    for _ in range(10):
        await lim._take()  # noqa: SLF001 (the bucket is empty, the server's budget too)
    lim.set_headroom(0.0)  # 10/s slowed to its floor
    slow = lim.effective_rate()
    assert slow is not None and slow <= 2.5
    clock.now += 2.0  # two seconds at the slow rate
    lim.set_headroom(1.0)
    assert await grants_before(lim, clock, until=2.0 + 1e-9) == int(2.0 * slow)


async def test_a_waiter_at_the_slow_rate_looks_again_when_the_headroom_recovers() -> None:
    clock = FakeClock()
    lim = limiter(10, clock, burst=1)
    await lim._take()  # noqa: SLF001
    lim.set_headroom(0.0)  # the next token would take 0.4 s at 2.5/s

    def recover() -> None:
        if clock.now >= 0.1 and lim.headroom == 0.0:
            lim.set_headroom(1.0)  # the server's budget is back 0.1 s later

    clock.on_wake = recover
    await lim._take()  # noqa: SLF001
    assert clock.now < 0.25  # ~0.1 s slow, then < 0.1 s at 10/s; not 0.4 s


async def test_a_loop_that_wakes_late_loses_no_rate() -> None:
    clock = FakeClock(late=0.001)  # each sleep overshoots by 1 ms (a fifth of a 200/s slot)
    n = await grants_before(limiter(200, clock), clock, until=5.0)
    assert n >= 0.97 * 200 * 5
