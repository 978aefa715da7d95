"""The store: all SQL lives here, behind the Store class the engine, facade and CLI use."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiosqlite

from .db import default_db_path, open_connection, resolve_db_path
from .log_reads import LogReads
from .page import PAGE_SIZES, Page
from .reads import Reads
from .records import Batch, CallRow, Counts, EntityRow, IdMapRow, LogRow
from .retention import PruneReport, Retention
from .samples import Samples
from .schema import LATEST
from .search import SearchReads
from .state import State
from .writes import Writes

__all__ = [
    "LATEST", "PAGE_SIZES", "Batch", "CallRow", "Counts", "EntityRow", "IdMapRow", "LogRow",
    "Page", "PruneReport", "Store", "default_db_path", "open_store", "resolve_db_path",
]  # fmt: skip


class Store(Reads, LogReads, SearchReads, Writes, Retention, State, Samples):
    """One SQLite file: a writer connection and a reader connection (WAL: readers never block
    the writer). Use `await open_store(...)` or `async with await open_store(...) as store`."""

    def __init__(self, path: Path, wconn: aiosqlite.Connection, rconn: aiosqlite.Connection):
        self.path = path
        self.wconn = wconn
        self.rconn = rconn
        self._wlock = asyncio.Lock()

    async def close(self) -> None:
        for conn in (self.rconn, self.wconn):
            try:
                await conn.close()
            except Exception:  # noqa: BLE001 - closing twice or after a crash is harmless
                pass

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        return int(await self._scalar("PRAGMA user_version"))

    async def info(self) -> dict[str, object]:
        counts = {}
        for table in ("connectors", "services", "runs", "steps", "instances", "entities",
                      "api_calls", "payloads", "log_events"):  # fmt: skip
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


async def open_store(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
    """Open (and migrate) the store. `create=False` refuses a missing file with a clear message."""
    resolved = resolve_db_path(path)
    wconn = await open_connection(resolved, create=create)
    try:
        rconn = await open_connection(resolved, create=False)
    except BaseException:
        await wconn.close()
        raise
    return Store(resolved, wconn, rconn)
