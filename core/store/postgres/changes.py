"""Change detection on PostgreSQL: LISTEN/NOTIFY first, a snapshot poll as the fallback.

Every write transaction of this backend ends with one `pg_notify` (delivered at commit, one per
committed batch or status change, never for a rollback). A store that is asked "did anything
change?" opens one extra connection that LISTENs; from then on `data_version()` is a counter
of the notifications received (no query at all) and `wait_for_change()` wakes at once.

When LISTEN is not possible (a pooler in transaction mode, the listening connection lost), the
fallback is the server's transaction snapshot (`pg_current_snapshot()`): it changes whenever a
writing transaction starts or ends, so any commit between two polls changes it. Cheap (no table
is read); it may also change for writes in other databases of the server: a refresh too many,
never one too few.
"""

from __future__ import annotations

import asyncio
import zlib
from typing import Any

from .base import CHANNEL


class Changes:
    """One per store. `start()` is lazy: headless commands never open the extra connection."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.count = 0
        self._conn: Any = None
        self._tried = False
        self._event = asyncio.Event()
        self._lock = asyncio.Lock()

    @property
    def listening(self) -> bool:
        return self._conn is not None and not self._conn.is_closed()

    async def start(self) -> bool:
        """LISTEN on the change channel. Returns whether it is listening."""
        async with self._lock:
            if self.listening:
                return True
            if self._tried and self._conn is None:
                return False
            self._tried = True
            import asyncpg

            try:
                conn = await asyncpg.connect(self.url, timeout=10)
                await conn.add_listener(CHANNEL, self._notified)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
                self._conn = None
                return False
            conn.add_termination_listener(self._lost)
            self._conn = conn
            return True

    def _notified(self, _conn: Any, _pid: int, _channel: str, _payload: str) -> None:
        self.count += 1
        self._event.set()

    def _lost(self, _conn: Any) -> None:
        self._conn = None
        self.count += 1  # whatever happened meanwhile is unknown: call it a change
        self._event.set()

    async def version(self, pool: Any) -> int:
        if self.listening or await self.start():
            return self.count
        snapshot = await pool.fetchval("SELECT pg_current_snapshot()::text")
        return zlib.crc32(str(snapshot).encode())

    async def wait(self, pool: Any, timeout: float, poll: float = 0.5) -> bool:
        """Wait until something changes (True) or `timeout` passes (False)."""
        before = await self.version(pool)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            if left <= 0:
                return False
            if self.listening:
                self._event.clear()
                if self.count != before:
                    return True
                try:
                    await asyncio.wait_for(self._event.wait(), min(left, 5.0))
                except TimeoutError:
                    pass
            else:
                await asyncio.sleep(min(left, poll))
            if await self.version(pool) != before:
                return True

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close(timeout=2)
            except Exception:  # noqa: BLE001 - closing a lost connection is harmless
                pass
