"""Heartbeats on a timer of their own, so a run waiting two minutes on a Retry-After (or a slow
page) is still seen alive; leases are judged by the database's clock, never the hosts'.

`SYNCDECK_HEARTBEAT` (seconds between beats, default 10) and `SYNCDECK_LEASE` (seconds without
a beat after which a worker is lost and its runs interrupted, default 60) tune both; tests set
them short. The lease must be several beats long.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Mapping

from ..errors import UserError

HEARTBEAT_SECONDS = 10.0
LEASE_SECONDS = 60.0


def _seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise UserError(
            f"{name}={text} is not a number of seconds.",
            f"Set {name} to a number such as {default:g}, or unset it.",
        ) from None
    if not 0.05 <= value <= 3600:
        raise UserError(f"{name}={text} is out of range.", "Use between 0.05 and 3600 seconds.")
    return value


def heartbeat_seconds(environ: Mapping[str, str] | None = None) -> float:
    return _seconds(os.environ if environ is None else environ, "SYNCDECK_HEARTBEAT",
                    HEARTBEAT_SECONDS)  # fmt: skip


def lease_seconds(environ: Mapping[str, str] | None = None) -> float:
    return _seconds(os.environ if environ is None else environ, "SYNCDECK_LEASE", LEASE_SECONDS)


class Beat:
    """Calls `beat()` every `interval` seconds until stopped; a failed beat (a locked or
    briefly unreachable store) is retried on the next tick, never fatal."""

    def __init__(self, beat: Callable[[], Awaitable[object]], interval: float) -> None:
        self.beat = beat
        self.interval = interval
        self.last: object = None
        self.failures = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> Beat:
        if self._task is None:
            self._task = asyncio.create_task(self._loop())
        return self

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                self.last = await self.beat()
            except Exception:  # noqa: BLE001 - the next beat tries again
                self.failures += 1

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
