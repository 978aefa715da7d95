"""The writer thread's side of the hot path: SQL, row encoding and the batch transaction.

These functions run inside aiosqlite's writer thread (one trip per page), on the plain sqlite3
connection, so a page's rows cost no event-loop hand-offs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ...timeutil import now
from ..jsonenc import _dumps, _dumps_repeated
from ..records import Batch, CallRow, Counts, InstanceRow, LogRow

T = TypeVar("T")

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


def _in_transaction(conn: sqlite3.Connection, fn: Callable[..., T], *args: Any) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        out = fn(conn, *args)
        conn.execute("COMMIT")  # a COMMIT that fails (disk full) is rolled back too
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (SQLITE_FULL)
            conn.execute("ROLLBACK")
        raise
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
        conn.executemany(  # the rows built inline: this thread holds the GIL meanwhile
            _ENTITY_SQL,
            [
                (eid, e.step_id, e.run_id, e.instance_id, e.external_id, e.internal_id, e.action,
                 e.status, e.reason, e.created_at)
                for eid, e in zip(entity_ids, batch.entities, strict=True)
            ],
        )  # fmt: skip
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
        t = now()
        conn.executemany(
            _IDMAP_SQL,
            [
                (m.service_id, m.stream, m.external_id, m.internal_id, m.payload_hash,
                 int(m.pending), t)
                for m in batch.id_map
            ],
        )  # fmt: skip
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


def _log_params(r: LogRow) -> tuple:
    return (
        r.ts, r.level, r.kind, r.title, r.details, r.connector_id, r.service_id, r.run_id,
        r.step_id, r.entity_id, r.code,
    )  # fmt: skip
