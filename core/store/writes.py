"""Writes: one writer connection, one transaction at a time, batches sized for throughput."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import aiosqlite

from ..timeutil import now
from .records import Batch, CallRow, Counts, EntityRow, IdMapRow, InstanceRow, LogRow

T = TypeVar("T")

_RUN_FIELDS = {
    "status", "finished_at", "pulled", "pushed", "created", "updated", "skipped", "failed",
    "errors", "message", "heartbeat_at", "cancel_requested", "sync_type",
}  # fmt: skip
_STEP_FIELDS = {
    "status", "finished_at", "processed", "created", "updated", "skipped", "failed",
    "rate_limited", "message",
}  # fmt: skip
_INSTANCE_FIELDS = {"records", "retries", "headroom", "status_code", "duration_ms", "url", "cursor"}

_CALL_SQL = """
INSERT INTO api_calls (id, run_id, step_id, instance_id, entity_id, connector_id, method, url,
    params_json, status_code, duration_ms, attempt, error, started_at, request_headers_json,
    response_headers_json)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_ENTITY_SQL = """
INSERT INTO entities (id, step_id, run_id, instance_id, external_id, internal_id, action, status,
    reason, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_IDMAP_SQL = """
INSERT INTO id_map (service_id, stream, external_id, internal_id, payload_hash, pending, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (service_id, stream, external_id) DO UPDATE SET
    internal_id = COALESCE(excluded.internal_id, internal_id),
    payload_hash = excluded.payload_hash, pending = excluded.pending,
    updated_at = excluded.updated_at
"""
_LOG_SQL = """
INSERT INTO log_events (ts, level, kind, title, details, connector_id, service_id, run_id,
    step_id, entity_id, code)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


# One encoder for the hot path: json.dumps with options builds a new encoder on every call, and
# JSONEncoder.encode still builds a C iterencoder per call. The C iterencoder built once (no
# circular-reference markers: params and headers are plain dicts) is ~3x faster per dict.
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_ITERENCODE = (
    _C_ENCODER(None, str, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    if _C_ENCODER is not None
    else None
)


def _dumps(value: Any) -> str:
    if not value:
        return "{}"
    if _ITERENCODE is not None and type(value) is dict:
        return "".join(_ITERENCODE(value, 0))
    return _ENCODE(value)


# Request params and headers repeat from call to call (the engine builds them from one config);
# their JSON is remembered by content. Response headers carry per-response values: not cached.
_SEEN: dict[tuple, str] = {}


def _dumps_repeated(value: Any) -> str:
    if not value:
        return "{}"
    try:
        key = tuple(value.items())
        found = _SEEN.get(key)
    except (AttributeError, TypeError):  # not a dict, or unhashable values (lists)
        return _dumps(value)
    if found is None:
        found = _dumps(value)
        # Only all-str entries: a str equals no other type, so a hit is the same JSON (1, 1.0
        # and True are equal as keys but encode differently).
        if all(type(k) is str and type(v) is str for k, v in key):
            if len(_SEEN) >= 1024:
                _SEEN.clear()
            _SEEN[key] = found
    return found


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
            except BaseException:
                await self.wconn.execute("ROLLBACK")
                raise
            await self.wconn.execute("COMMIT")

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
            cur = await conn.execute(
                "INSERT INTO runs (service_id, sync_type, trigger, status, started_at, retry_of, "
                "pid, host, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    service_id, sync_type, trigger, status, started_at or now(), retry_of,
                    os.getpid(), socket.gethostname(), now(),
                ),
            )  # fmt: skip
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
            return await self._in_writer(_write_batch, batch)

    async def _in_writer(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(sqlite3 connection, *args) inside BEGIN IMMEDIATE ... COMMIT on the writer
        thread (rolled back on any error). The caller holds the write lock."""
        return await self.wconn._execute(_in_transaction, self.wconn._conn, fn, *args)

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
        await self.update_run(run_id, cancel_requested=1)

    async def mark_interrupted(self, stale_after: float = 120.0) -> list[int]:
        """Runs still 'running' whose process is gone: mark them interrupted. Returns their ids.

        A run on this host is dead when its pid no longer exists; a run elsewhere when its
        heartbeat is older than `stale_after` seconds.
        """
        host = socket.gethostname()
        async with self._wlock:
            async with self.wconn.execute(
                "SELECT id, pid, host, heartbeat_at FROM runs WHERE status IN ('running', 'queued')"
            ) as cur:
                candidates = list(await cur.fetchall())
        dead = [
            r[0]
            for r in candidates
            if (r[2] == host and not _pid_alive(r[1]))
            or (r[2] != host and (r[3] or 0) < now() - stale_after)
        ]
        if not dead:
            return []
        marks = ",".join("?" * len(dead))
        async with self.transaction() as conn:
            await conn.execute(
                f"UPDATE runs SET status = 'interrupted', finished_at = COALESCE(heartbeat_at, "
                f"started_at), message = 'The process running this sync stopped before it "
                f"finished.' WHERE id IN ({marks}) AND status IN ('running', 'queued')",
                dead,
            )
            await conn.execute(
                f"UPDATE steps SET status = 'interrupted', finished_at = COALESCE(finished_at, ?) "
                f"WHERE run_id IN ({marks}) AND status = 'running'",
                (now(), *dead),
            )
        return dead


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _in_transaction(conn: sqlite3.Connection, fn: Callable[..., T], *args: Any) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        out = fn(conn, *args)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return out


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0])


def _write_batch(conn: sqlite3.Connection, batch: Batch) -> list[int]:
    entity_ids: list[int] = []
    calls: list[CallRow] = list(batch.calls)
    if batch.instance is not None:
        iid = _insert_instance(conn, batch.instance)
        batch.instance_id = iid
        for e in batch.entities:
            if e.instance_id is None:
                e.instance_id = iid
            for c in e.calls:
                if c.instance_id is None:
                    c.instance_id = iid
        for c in calls:
            if c.instance_id is None:
                c.instance_id = iid
    if batch.entities:
        first = _next_id(conn, "entities")
        entity_ids = list(range(first, first + len(batch.entities)))
        conn.executemany(
            _ENTITY_SQL,
            [_entity_params(eid, e) for eid, e in zip(entity_ids, batch.entities, strict=True)],
        )
        for eid, e in zip(entity_ids, batch.entities, strict=True):
            for c in e.calls:
                c.entity_id = eid
                calls.append(c)
    if calls:
        _insert_calls(conn, calls)
    logs = batch.logs
    if batch.entity_logs:
        for i, row in batch.entity_logs:
            row.entity_id = entity_ids[i]
        logs = [*logs, *(row for _, row in batch.entity_logs)]
    if logs:
        conn.executemany(_LOG_SQL, [_log_params(r) for r in logs])
    if batch.unmapped:
        t = now()
        conn.executemany(
            "INSERT OR IGNORE INTO value_mappings (service_id, lookup, source_value, "
            "status, updated_at) VALUES (?, ?, ?, 'unmapped', ?)",
            [(sid, lookup, v, t) for sid, lookup, values in batch.unmapped for v in values],
        )
    if batch.id_map:
        conn.executemany(_IDMAP_SQL, [_idmap_params(m) for m in batch.id_map])
    if batch.run_id is not None and batch.run_counts is not None:
        _bump(conn, "runs", batch.run_id, batch.run_counts, run=True)
    if batch.step_id is not None and batch.step_counts is not None:
        _bump(conn, "steps", batch.step_id, batch.step_counts, run=False)
    if batch.stream_state is not None:
        sid, stream, cursor = batch.stream_state
        conn.execute(
            "INSERT INTO stream_state (service_id, stream, cursor_value, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (service_id, stream) DO UPDATE SET "
            "cursor_value = excluded.cursor_value, updated_at = excluded.updated_at",
            (sid, stream, cursor, now()),
        )
    return entity_ids


def _insert_calls(conn: sqlite3.Connection, calls: Sequence[CallRow]) -> None:
    first = _next_id(conn, "api_calls")
    conn.executemany(_CALL_SQL, [_call_params(first + i, c) for i, c in enumerate(calls)])
    payloads = [
        (first + i, c.started_at, c.request_body, c.response_body)
        for i, c in enumerate(calls)
        if c.request_body is not None or c.response_body is not None
    ]
    if payloads:
        conn.executemany(
            "INSERT INTO payloads (call_id, created_at, request_body, response_body) "
            "VALUES (?, ?, ?, ?)",
            payloads,
        )


def _bump(conn: sqlite3.Connection, table: str, row_id: int, c: Counts, *, run: bool) -> None:
    if run:
        sql = (
            "UPDATE runs SET pulled = pulled + ?, pushed = pushed + ?, created = created + ?, "
            "updated = updated + ?, skipped = skipped + ?, failed = failed + ?, "
            "errors = errors + ?, heartbeat_at = ? WHERE id = ?"
        )
        params = (
            c.pulled,
            c.pushed,
            c.created,
            c.updated,
            c.skipped,
            c.failed,
            c.errors,
            now(),
            row_id,
        )
    else:
        sql = (
            "UPDATE steps SET processed = processed + ?, created = created + ?, "
            "updated = updated + ?, skipped = skipped + ?, failed = failed + ? WHERE id = ?"
        )
        params = (c.processed, c.created, c.updated, c.skipped, c.failed, row_id)
    conn.execute(sql, params)


def _insert_instance(conn: sqlite3.Connection, i: InstanceRow) -> int:
    cur = conn.execute(
        "INSERT INTO instances (step_id, run_id, page, method, url, cursor, records, retries, "
        "headroom, status_code, duration_ms, started_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            i.step_id, i.run_id, i.page, i.method, i.url, i.cursor, i.records, i.retries,
            i.headroom, i.status_code, i.duration_ms, i.started_at or now(),
        ),
    )  # fmt: skip
    return int(cur.lastrowid)


def _call_params(call_id: int, c: CallRow) -> tuple:
    return (
        call_id, c.run_id, c.step_id, c.instance_id, c.entity_id, c.connector_id, c.method, c.url,
        _dumps_repeated(c.params), c.status_code, c.duration_ms, c.attempt, c.error, c.started_at,
        _dumps_repeated(c.request_headers), _dumps(c.response_headers),
    )  # fmt: skip


def _entity_params(entity_id: int, e: EntityRow) -> tuple:
    return (
        entity_id, e.step_id, e.run_id, e.instance_id, e.external_id, e.internal_id, e.action,
        e.status, e.reason, e.created_at,
    )  # fmt: skip


def _log_params(r: LogRow) -> tuple:
    return (
        r.ts, r.level, r.kind, r.title, r.details, r.connector_id, r.service_id, r.run_id,
        r.step_id, r.entity_id, r.code,
    )  # fmt: skip


def _idmap_params(m: IdMapRow) -> tuple:
    return (
        m.service_id, m.stream, m.external_id, m.internal_id, m.payload_hash, int(m.pending), now(),
    )  # fmt: skip
