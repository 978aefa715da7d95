"""Stopping a run's HTTP work from outside: cancel (interrupt every wait at once) and halt
(send nothing more at all). Shared by a run's source and destination clients.

- `cancel(reason)`: a cancel request, SIGTERM: requests already on the wire finish, but no
  wait (retry backoff, Retry-After, a rate-limit pause) lasts a moment longer, and nothing is
  retried.
- `halt(reason)`: the run can no longer record what it does (the store's disk is full): not one
  more request is sent, so nothing happens at the destination that is not written down.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class Interrupted(Exception):
    """A wait cut short, or a request refused, by the run's Interrupt."""


class Interrupt:
    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.reason = ""
        self.send_nothing = False

    @property
    def is_set(self) -> bool:
        return self.event.is_set()

    def cancel(self, reason: str) -> None:
        if not self.event.is_set():
            self.reason = reason
            self.event.set()

    def halt(self, reason: str) -> None:
        self.send_nothing = True
        self.reason = reason
        self.event.set()

    async def sleep(
        self, seconds: float, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> bool:
        """Wait `seconds`, or less when interrupted. True when interrupted."""
        if self.event.is_set():
            return True
        waiter = asyncio.ensure_future(self.event.wait())
        nap = asyncio.ensure_future(sleep(seconds))
        try:
            await asyncio.wait((waiter, nap), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waiter, nap):
                task.cancel()
        return self.event.is_set()
