"""The engine's hot path on PostgreSQL: one page's rows in one transaction, a few statements.

Entity and call ids are drawn from their identity sequences up front (`nextval` over
generate_series: many workers may write at once, so never MAX(id)+1), so calls can point at
their entity; rows go in as column arrays through `unnest` (one statement per table, so the
log counters' statement trigger runs once per page), and one NOTIFY announces the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...timeutil import now
from ..jsonenc import _dumps, _dumps_repeated
from ..records import Batch, CallRow, Counts, EntityRow, IdMapRow, InstanceRow, LogRow
from .base import PgConn

# Current time by the database's clock (leases and heartbeats compare against it).
DB_NOW = "extract(epoch from clock_timestamp())"

CALL_COLUMNS = (
    "id", "run_id", "step_id", "instance_id", "entity_id", "connector_id", "method", "url",
    "params_json", "status_code", "duration_ms", "attempt", "error", "started_at",
    "request_headers_json", "response_headers_json",
)  # fmt: skip
CALL_TYPES = (
    "int8", "int8", "int8", "int8", "int8", "int8", "text", "text", "text", "int4", "int4",
    "int4", "text", "float8", "text", "text",
)  # fmt: skip
ENTITY_COLUMNS = (
    "id", "step_id", "run_id", "instance_id", "external_id", "internal_id", "action", "status",
    "reason", "created_at",
)  # fmt: skip
ENTITY_TYPES = ("int8", "int8", "int8", "int8", "text", "text", "text", "text", "text", "float8")
LOG_COLUMNS = (
    "ts", "level", "kind", "title", "details", "connector_id", "service_id", "run_id", "step_id",
    "entity_id", "code",
)  # fmt: skip
LOG_TYPES = (
    "float8", "text", "text", "text", "text", "int8", "int8", "int8", "int8", "int8", "text",
)  # fmt: skip
PAYLOAD_COLUMNS = ("call_id", "created_at", "request_body", "response_body")
PAYLOAD_TYPES = ("int8", "float8", "bytea", "bytea")

_IDMAP_SQL = """
INSERT INTO id_map AS m (service_id, stream, external_id, internal_id, payload_hash, pending,
    updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (service_id, stream, external_id) DO UPDATE SET
    internal_id = COALESCE(excluded.internal_id, m.internal_id),
    payload_hash = excluded.payload_hash, pending = excluded.pending,
    updated_at = excluded.updated_at
"""


def unnest_insert(table: str, columns: Sequence[str], types: Sequence[str], tail: str = "") -> str:
    """INSERT of many rows as one statement: one array parameter per column."""
    arrays = ", ".join(f"?::{t}[]" for t in types)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}){tail}"


_ENTITY_SQL = unnest_insert("entities", ENTITY_COLUMNS, ENTITY_TYPES)
_CALL_SQL = unnest_insert("api_calls", CALL_COLUMNS, CALL_TYPES)
_LOG_SQL = unnest_insert("log_events", LOG_COLUMNS, LOG_TYPES)
_PAYLOAD_SQL = unnest_insert("payloads", PAYLOAD_COLUMNS, PAYLOAD_TYPES)
_UNMAPPED_SQL = unnest_insert(
    "value_mappings", ("service_id", "lookup", "source_value", "status", "updated_at"),
    ("int8", "text", "text", "text", "float8"), " ON CONFLICT DO NOTHING",
)  # fmt: skip


def columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Row tuples -> one list per column (the unnest parameters)."""
    if not rows:
        return [[] for _ in range(width)]
    return [list(col) for col in zip(*rows, strict=True)]


async def next_ids(conn: PgConn, table: str, n: int) -> list[int]:
    found = await conn.fetch(
        f"SELECT nextval('{table}_id_seq') FROM generate_series(1, ?::int)", (n,)
    )
    return [int(r[0]) for r in found]


def body(value: str | bytes | None) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    return value.encode("utf-8")


async def write_batch(conn: PgConn, batch: Batch) -> list[int]:
    entity_ids: list[int] = []
    calls: list[CallRow] = list(batch.calls)
    if batch.instance is not None:
        iid = await insert_instance(conn, batch.instance)
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
        entity_ids = await next_ids(conn, "entities", len(batch.entities))
        params = [_entity_params(i, e) for i, e in zip(entity_ids, batch.entities, strict=True)]
        await conn.execute(_ENTITY_SQL, columns(params, len(ENTITY_COLUMNS)))
        for eid, e in zip(entity_ids, batch.entities, strict=True):
            for c in e.calls:
                c.entity_id = eid
                calls.append(c)
    if calls:
        await insert_calls(conn, calls)
    logs = batch.logs
    if batch.entity_logs:
        for i, row in batch.entity_logs:
            row.entity_id = entity_ids[i]
        logs = [*logs, *(row for _, row in batch.entity_logs)]
    if logs:
        await insert_logs(conn, logs)
    if batch.unmapped:
        t = now()
        rows = [(sid, lookup, v, "unmapped", t) for sid, lookup, vs in batch.unmapped for v in vs]
        await conn.execute(_UNMAPPED_SQL, columns(rows, 5))
    if batch.id_map:
        await conn.executemany(_IDMAP_SQL, [_idmap_params(m) for m in batch.id_map])
    if batch.run_id is not None and batch.run_counts is not None:
        await _bump_run(conn, batch.run_id, batch.run_counts)
    if batch.step_id is not None and batch.step_counts is not None:
        await _bump_step(conn, batch.step_id, batch.step_counts)
    if batch.stream_state is not None:
        sid, stream, cursor = batch.stream_state
        await conn.execute(
            "INSERT INTO stream_state (service_id, stream, cursor_value, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (service_id, stream) DO UPDATE SET "
            "cursor_value = excluded.cursor_value, updated_at = excluded.updated_at",
            (sid, stream, cursor, now()),
        )
    return entity_ids


async def insert_calls(conn: PgConn, calls: Sequence[CallRow]) -> None:
    ids = await next_ids(conn, "api_calls", len(calls))
    params = [_call_params(i, c) for i, c in zip(ids, calls, strict=True)]
    await conn.execute(_CALL_SQL, columns(params, len(CALL_COLUMNS)))
    payloads = [
        (i, c.started_at, body(c.request_body), body(c.response_body))
        for i, c in zip(ids, calls, strict=True)
        if c.request_body is not None or c.response_body is not None
    ]
    if payloads:
        await conn.execute(_PAYLOAD_SQL, columns(payloads, 4))


async def insert_logs(conn: PgConn, logs: Sequence[LogRow]) -> None:
    await conn.execute(_LOG_SQL, columns([_log_params(r) for r in logs], len(LOG_COLUMNS)))


async def _bump_run(conn: PgConn, run_id: int, c: Counts) -> None:
    await conn.execute(
        "UPDATE runs SET pulled = pulled + ?, pushed = pushed + ?, created = created + ?, "
        "updated = updated + ?, skipped = skipped + ?, failed = failed + ?, "
        f"errors = errors + ?, heartbeat_at = {DB_NOW} WHERE id = ?",
        (c.pulled, c.pushed, c.created, c.updated, c.skipped, c.failed, c.errors, run_id),
    )


async def _bump_step(conn: PgConn, step_id: int, c: Counts) -> None:
    await conn.execute(
        "UPDATE steps SET processed = processed + ?, created = created + ?, "
        "updated = updated + ?, skipped = skipped + ?, failed = failed + ? WHERE id = ?",
        (c.processed, c.created, c.updated, c.skipped, c.failed, step_id),
    )


async def insert_instance(conn: PgConn, i: InstanceRow) -> int:
    return int(
        await conn.fetchval(
            "INSERT INTO instances (step_id, run_id, page, method, url, cursor, records, "
            "retries, headroom, status_code, duration_ms, started_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                i.step_id,
                i.run_id,
                i.page,
                i.method,
                i.url,
                i.cursor,
                i.records,
                i.retries,
                i.headroom,
                i.status_code,
                i.duration_ms,
                i.started_at or now(),
            ),
        )  # fmt: skip
    )


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
