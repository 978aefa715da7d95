"""The SQLite store: one file, WAL, a writer and a reader connection (the embedded default)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiosqlite

from ...errors import StoreError
from ..search_reads import SearchReads
from .bulk import Bulk
from .db import open_connection
from .fleet import Fleet
from .log_reads import LogReads
from .mounts import network_filesystem
from .reads import Reads
from .retention import Retention
from .samples import Samples
from .schema import LATEST
from .state import State
from .writes import Writes

__all__ = ["LATEST", "SqliteStore", "open_sqlite_store"]

POLL_SECONDS = 0.1  # wait_for_change: PRAGMA data_version is a few microseconds


class SqliteStore(Reads, LogReads, SearchReads, Writes, Retention, State, Samples, Bulk, Fleet):
    """One SQLite file: a writer connection and a reader connection (WAL: readers never block
    the writer). Use `await open_store(...)` or `async with await open_store(...) as store`."""

    pushes_changes = False  # polled (data_version), not announced

    def __init__(self, path: Path, wconn: aiosqlite.Connection, rconn: aiosqlite.Connection):
        self.path = path
        self.wconn = wconn
        self.rconn = rconn
        self._wlock = asyncio.Lock()

    @property
    def location(self) -> str:
        return str(self.path)

    async def close(self) -> None:
        for conn in (self.rconn, self.wconn):
            try:
                await conn.close()
            except Exception:  # noqa: BLE001 - closing twice or after a crash is harmless
                pass

    async def __aenter__(self) -> SqliteStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def check_for_worker(self) -> None:
        """A worker needs the file on a local disk: SQLite's locks do not hold across hosts on
        a network filesystem. Raises StoreError naming the filesystem and the way out."""
        fstype = network_filesystem(self.path)
        if fstype:
            raise StoreError(
                f"The store {self.path} is on a network filesystem ({fstype}); a worker needs "
                "it on a local disk (SQLite's locks do not hold across hosts).",
                "Move the store to a local disk on this host, or share a PostgreSQL store: "
                "--db postgresql://user@host/dbname.",
            )

    async def wait_for_change(self, timeout: float) -> bool:
        """Poll data_version until it moves (True) or `timeout` passes (False)."""
        before = await self.data_version()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            await asyncio.sleep(min(POLL_SECONDS, max(0.0, deadline - loop.time())))
            if await self.data_version() != before:
                return True
        return False

    async def schema_version(self) -> int:
        return int(await self._scalar("PRAGMA user_version"))

    async def info(self) -> dict[str, object]:
        counts = {}
        for table in ("connectors", "services", "runs", "steps", "instances", "entities",
                      "api_calls", "payloads", "log_events", "workers"):  # fmt: skip
            counts[table] = int(await self._scalar(f"SELECT COUNT(*) FROM {table}"))
        size = os.path.getsize(self.path) if self.path.exists() else 0
        wal = Path(f"{self.path}-wal")
        return {
            "path": str(self.path),
            "schema": await self.schema_version(),
            "latest_schema": LATEST,
            "size_bytes": size,
            "wal_bytes": wal.stat().st_size if wal.exists() else 0,
            "journal_mode": await self._scalar("PRAGMA journal_mode"),
            "rows": counts,
        }


async def open_sqlite_store(
    resolved: Path, *, create: bool = True, read_only: bool = False
) -> SqliteStore:
    """Open (and migrate) the file. `create=False` refuses a missing file with a clear message.
    `read_only`: both connections use SQLite's read-only URI modes (nothing written, ever)."""
    wconn = await open_connection(resolved, create=create, readonly=read_only)
    try:
        rconn = await open_connection(resolved, create=False, readonly=read_only)
    except BaseException:
        await wconn.close()
        raise
    return SqliteStore(resolved, wconn, rconn)
