"""The PostgreSQL store: one database shared by many workers and consoles (the fleet).

Same interface as the SQLite backend (core/store/interface.py), on asyncpg: a small connection
pool, short transactions, ids from identity sequences with RETURNING, pg_trgm for text search,
LISTEN/NOTIFY for change detection. `asyncpg` is imported only when a postgresql:// URL is
opened.
"""

from __future__ import annotations

from typing import Any

from ...errors import StoreError
from ..search_reads import SearchReads
from .base import PgBase
from .bulk import Bulk
from .changes import Changes
from .db import create_pool, display_url, is_postgres_url, prepare, translate_error
from .fleet import Fleet
from .log_reads import LogReads
from .reads import Reads
from .retention import Retention
from .samples import Samples
from .schema import LATEST
from .state import State
from .writes import Writes

__all__ = ["LATEST", "PostgresStore", "is_postgres_url", "open_postgres_store"]

TABLES = ("connectors", "services", "runs", "steps", "instances", "entities", "api_calls",
          "payloads", "log_events", "workers")  # fmt: skip


class PostgresStore(
    PgBase, Reads, LogReads, SearchReads, Writes, Retention, State, Samples, Bulk, Fleet
):
    """One PostgreSQL database. Use `await open_store("postgresql://...")`."""

    pushes_changes = True  # NOTIFY at every commit

    def __init__(self, url: str, pool: Any) -> None:
        self.url = url
        self.pool = pool
        self.changes = Changes(url)

    @property
    def location(self) -> str:
        return display_url(self.url)

    async def close(self) -> None:
        await self.changes.close()
        try:
            await self.pool.close()
        except Exception:  # noqa: BLE001 - closing twice or after a lost server is harmless
            self.pool.terminate()

    async def __aenter__(self) -> PostgresStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        return int(await self._scalar("SELECT COALESCE(MAX(version), 0) FROM syncdeck_schema"))

    async def info(self) -> dict[str, object]:
        counts = {}
        for table in TABLES:
            counts[table] = int(await self._scalar(f"SELECT COUNT(*) FROM {table}"))
        return {
            "path": self.location,
            "backend": "postgresql",
            "schema": await self.schema_version(),
            "latest_schema": LATEST,
            "size_bytes": int(await self._scalar("SELECT pg_database_size(current_database())")),
            "server_version": str(await self._scalar("SHOW server_version")),
            "rows": counts,
        }

    # ---- change detection ------------------------------------------------------------------

    async def data_version(self) -> int:
        """Changes whenever a write commits: a counter of NOTIFYs (they arrive a few ms after
        the commit, on a connection of their own), or the snapshot poll as the fallback."""
        return await self.changes.version(self.pool)

    async def wait_for_change(self, timeout: float) -> bool:
        return await self.changes.wait(self.pool, timeout)

    async def max_ids(self) -> dict[str, int]:
        r = await self._one(
            "SELECT (SELECT MAX(id) FROM runs), (SELECT MAX(id) FROM log_events), "
            "(SELECT MAX(id) FROM entities), (SELECT MAX(id) FROM api_calls)"
        )
        return {
            k: int(v or 0) for k, v in zip(("runs", "logs", "entities", "calls"), r, strict=True)
        }


async def open_postgres_store(
    url: str, *, create: bool = True, read_only: bool = False
) -> PostgresStore:
    """Connect, check and migrate. Every failure is a StoreError in the user's words.
    `read_only`: every transaction is READ ONLY on the server (nothing written, created or
    migrated, whatever the role may do); the console still LISTENs."""
    try:
        import asyncpg  # noqa: F401
    except ModuleNotFoundError:
        raise StoreError(
            "This syncdeck was installed without the PostgreSQL driver (asyncpg).",
            "Install it with `pip install asyncpg`, then retry.",
        ) from None
    pool = await create_pool(url, read_only=read_only)
    try:
        async with pool.acquire() as conn:
            await prepare(conn, url, create=create, read_only=read_only)
    except BaseException as exc:
        pool.terminate()
        if isinstance(exc, StoreError) or not isinstance(exc, Exception):
            raise
        raise translate_error(exc, url) from None
    return PostgresStore(url, pool)
