"""Writes: one writer connection, one transaction at a time, batches sized for throughput."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import aiosqlite

from ...errors import StoreFull
from ...timeutil import now
from ..liveness import STALE_AFTER, probably_dead
from ..records import Batch, CallRow, IdMapRow, LogRow, forget_ids
from .fleet import DB_NOW, INTERRUPTED, interrupt_runs, refuse_live
from .hot_path import (
    _LOG_SQL,
    _dumps,
    _in_transaction,
    _insert_calls,
    _log_params,
    _write_batch,
)

T = TypeVar("T")

_RUN_FIELDS = {
    "status", "finished_at", "pulled", "pushed", "created", "updated", "skipped", "failed",
    "errors", "message", "heartbeat_at", "cancel_requested", "sync_type", "host",
}  # fmt: skip
_STEP_FIELDS = {
    "status", "finished_at", "processed", "created", "updated", "skipped", "failed",
    "rate_limited", "message",
}  # fmt: skip
_INSTANCE_FIELDS = {"records", "retries", "headroom", "status_code", "duration_ms", "url", "cursor"}


def _set_clause(fields: dict[str, Any], allowed: set[str]) -> tuple[str, list[Any]]:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    return ", ".join(f"{k} = ?" for k in fields), list(fields.values())


class Writes:
    """Mixed into Store. `self.wconn` is the writer connection, `self._wlock` serialises use."""

    wconn: aiosqlite.Connection
    _wlock: asyncio.Lock

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any error, so nothing is half-written."""
        async with self._wlock:
            await self.wconn.execute("BEGIN IMMEDIATE")
            try:
                yield self.wconn
                await self.wconn.execute("COMMIT")  # a failed COMMIT is rolled back too
            except BaseException as exc:
                if self.wconn.in_transaction:  # SQLite may have rolled back (SQLITE_FULL)
                    await self.wconn.execute("ROLLBACK")
                full = self._full(exc)
                if full is not None:
                    raise full from exc
                raise

    # ---- configuration -----------------------------------------------------------------------

    async def upsert_connector(
        self,
        name: str,
        *,
        base_url: str = "",
        preset: str | None = None,
        config: dict | None = None,
    ) -> int:
        async with self.transaction() as conn:
            await conn.execute(
                "INSERT INTO connectors (name, preset, base_url, config_json) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET preset = excluded.preset, "
                "base_url = excluded.base_url, config_json = excluded.config_json",
                (name, preset, base_url, _dumps(config)),
            )
            async with conn.execute("SELECT id FROM connectors WHERE name = ?", (name,)) as cur:
                return int((await cur.fetchone())[0])

    async def upsert_service(
        self,
        name: str,
        *,
        source_id: int,
        destination_id: int,
        schedule: str | None = None,
        enabled: bool = True,
        cooldown_minutes: int = 60,
        capture_payloads: bool = False,
        config: dict | None = None,
    ) -> int:
        async with self.transaction() as conn:
            await conn.execute(
                "INSERT INTO services (name, source_id, destination_id, schedule, enabled, "
                "cooldown_minutes, capture_payloads, config_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET source_id = excluded.source_id, "
                "destination_id = excluded.destination_id, schedule = excluded.schedule, "
                "enabled = excluded.enabled, cooldown_minutes = excluded.cooldown_minutes, "
                "capture_payloads = excluded.capture_payloads, config_json = excluded.config_json",
                (
                    name, source_id, destination_id, schedule, int(enabled), cooldown_minutes,
                    int(capture_payloads), _dumps(config),
                ),
            )  # fmt: skip
            async with conn.execute("SELECT id FROM services WHERE name = ?", (name,)) as cur:
                return int((await cur.fetchone())[0])

    async def set_connector_status(
        self, connector_id: int, status: str, detail: str = "", tested_at: float | None = None
    ) -> None:
        async with self.transaction() as conn:
            await conn.execute(
                "UPDATE connectors SET status = ?, status_detail = ?, "
                "tested_at = COALESCE(?, tested_at) WHERE id = ?",
                (status, detail, tested_at, connector_id),
            )

    async def set_service_enabled(self, service_id: int, enabled: bool) -> None:
        async with self.transaction() as conn:
            await conn.execute(
                "UPDATE services SET enabled = ? WHERE id = ?", (int(enabled), service_id)
            )

    async def save_config_file(self, toml_text: str, source_path: str = "") -> int:
        async with self.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO config_files (imported_at, source_path, toml) VALUES (?, ?, ?)",
                (now(), source_path, toml_text),
            )
            return int(cur.lastrowid)

    # ---- runs, steps, instances --------------------------------------------------------------

    async def start_run(
        self,
        service_id: int | None,
        *,
        sync_type: str,
        trigger: str,
        status: str = "running",
        started_at: float | None = None,
        retry_of: int | None = None,
    ) -> int:
        async with self.transaction() as conn:
            try:
                cur = await conn.execute(
                    "INSERT INTO runs (service_id, sync_type, trigger, status, started_at, "
                    "retry_of, pid, host, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        service_id, sync_type, trigger, status, started_at or now(), retry_of,
                        os.getpid(), socket.gethostname(), now(),
                    ),
                )  # fmt: skip
            except sqlite3.IntegrityError:  # runs_one_live: one queued or running run
                raise await refuse_live(conn, service_id or 0) from None
            return int(cur.lastrowid)

    async def update_run(self, run_id: int, **fields: Any) -> None:
        clause, params = _set_clause(fields, _RUN_FIELDS)
        async with self.transaction() as conn:
            await conn.execute(f"UPDATE runs SET {clause} WHERE id = ?", (*params, run_id))

    async def start_step(self, run_id: int, stream: str, started_at: float | None = None) -> int:
        async with self.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO steps (run_id, stream, status, started_at) "
                "VALUES (?, ?, 'running', ?)",
                (run_id, stream, started_at or now()),
            )
            return int(cur.lastrowid)

    async def update_step(self, step_id: int, **fields: Any) -> None:
        clause, params = _set_clause(fields, _STEP_FIELDS)
        async with self.transaction() as conn:
            await conn.execute(f"UPDATE steps SET {clause} WHERE id = ?", (*params, step_id))

    async def add_instance(
        self,
        step_id: int,
        run_id: int,
        *,
        page: int,
        method: str,
        url: str,
        cursor: str | None = None,
        started_at: float | None = None,
    ) -> int:
        async with self.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO instances (step_id, run_id, page, method, url, cursor, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (step_id, run_id, page, method, url, cursor, started_at or now()),
            )
            return int(cur.lastrowid)

    async def update_instance(self, instance_id: int, **fields: Any) -> None:
        clause, params = _set_clause(fields, _INSTANCE_FIELDS)
        async with self.transaction() as conn:
            await conn.execute(
                f"UPDATE instances SET {clause} WHERE id = ?", (*params, instance_id)
            )

    async def add_log(self, row: LogRow) -> int:
        async with self.transaction() as conn:
            cur = await conn.execute(_LOG_SQL, _log_params(row))
            return int(cur.lastrowid)

    # ---- the hot path ------------------------------------------------------------------------

    async def write_batch(self, batch: Batch) -> list[int]:
        """Commit one page's entities, their calls, logs, id map and counters together.

        Ids are allocated under the write lock (BEGIN IMMEDIATE), so executemany can be used
        and calls can point at their entity. Returns the new entity ids in order. The whole
        transaction runs in one trip to the writer thread (about 15 statements, cursors and
        fetches were as many thread hand-offs, each costing the event loop the GIL).
        """
        async with self._wlock:
            try:
                return await self._in_writer(_write_batch, batch)
            except BaseException:
                forget_ids(batch)  # rolled back: a retry (disk full, then space) starts clean
                raise

    def _full(self, exc: BaseException) -> StoreFull | None:
        if not is_full(exc):
            return None
        return StoreFull(
            f"The disk holding the store {self.path} is full.",
            "Free some space there; reads still work meanwhile.",
        )

    async def _in_writer(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(sqlite3 connection, *args) inside BEGIN IMMEDIATE ... COMMIT on the writer
        thread (rolled back on any error). The caller holds the write lock."""
        try:
            return await self.wconn._execute(_in_transaction, self.wconn._conn, fn, *args)
        except sqlite3.Error as exc:
            full = self._full(exc)
            if full is None:
                raise
            raise full from exc

    async def insert_calls(self, calls: Iterable[CallRow]) -> None:
        """Bulk insert in one transaction (demo history, benchmarks)."""
        rows = list(calls)
        if rows:
            async with self._wlock:
                await self._in_writer(_insert_calls, rows)

    # ---- engine state ------------------------------------------------------------------------

    async def put_id_map(self, rows: Iterable[IdMapRow]) -> None:
        await self.write_batch(Batch(id_map=list(rows)))

    async def set_stream_state(self, service_id: int, stream: str, cursor: str | None) -> None:
        await self.write_batch(Batch(stream_state=(service_id, stream, cursor)))

    async def request_cancel(self, run_id: int) -> None:
        """Ask a run to stop: a running one stops after its page in flight (its process checks
        the flag between pages and on its heartbeat); a queued one is cancelled at once."""
        async with self.transaction() as conn:
            await conn.execute(
                "UPDATE runs SET cancel_requested = 1, "
                "finished_at = CASE WHEN status = 'queued' THEN ? ELSE finished_at END, "
                "message = CASE WHEN status = 'queued' THEN 'Cancelled before a worker took it.' "
                "ELSE message END, "
                "status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END "
                "WHERE id = ?",
                (now(), run_id),
            )

    async def mark_interrupted(self, stale_after: float = STALE_AFTER) -> list[int]:
        """Runs still 'running' whose process is gone: mark them interrupted. Returns their ids.

        A run of a worker whose lease expired (database clock) is interrupted with it. Any
        other run on this host is dead when its pid no longer exists; elsewhere when its
        heartbeat (renewed on a timer while it runs) is older than `stale_after` seconds by the
        database's clock (core.store.liveness). Queued runs wait for a worker: left alone.
        """
        lost = await self.expire_workers()
        host = socket.gethostname()
        async with self._wlock:
            async with self.wconn.execute(
                f"SELECT id, pid, host, heartbeat_at, {DB_NOW} FROM runs WHERE status = 'running'"
            ) as cur:
                candidates = list(await cur.fetchall())
        dead = [
            r[0]
            for r in candidates
            if probably_dead(r[1], r[2], r[3], now=r[4], this_host=host, stale_after=stale_after)
        ]
        if dead:
            async with self.transaction() as conn:
                await interrupt_runs(conn, dead, INTERRUPTED)
        return sorted(set(lost + dead))


def is_full(exc: BaseException) -> bool:
    """SQLite's "database or disk is full" (SQLITE_FULL)."""
    return isinstance(exc, sqlite3.Error) and (
        getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "is full" in str(exc)
    )
