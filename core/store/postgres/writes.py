"""Writes (PostgreSQL): short transactions on pooled connections, ids from RETURNING."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from typing import Any

from ...timeutil import now
from ..jsonenc import _dumps
from ..liveness import STALE_AFTER, pid_alive
from ..records import Batch, CallRow, IdMapRow, LogRow, forget_ids
from . import hot_path
from .fleet import INTERRUPTED, LIVE, interrupt_runs, refuse_live
from .hot_path import DB_NOW

_RUN_FIELDS = {
    "status", "finished_at", "pulled", "pushed", "created", "updated", "skipped", "failed",
    "errors", "message", "heartbeat_at", "cancel_requested", "sync_type", "host",
}  # fmt: skip
_STEP_FIELDS = {
    "status", "finished_at", "processed", "created", "updated", "skipped", "failed",
    "rate_limited", "message",
}  # fmt: skip
_INSTANCE_FIELDS = {"records", "retries", "headroom", "status_code", "duration_ms", "url", "cursor"}
_FLOAT_FIELDS = {"finished_at", "heartbeat_at", "headroom"}
_INT_FIELDS = {"cancel_requested", "rate_limited"}


def _set_clause(fields: dict[str, Any], allowed: set[str]) -> tuple[str, list[Any]]:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    values = []
    for k, v in fields.items():
        if v is not None and k in _FLOAT_FIELDS:
            v = float(v)
        elif v is not None and k in _INT_FIELDS:
            v = int(v)
        values.append(v)
    return ", ".join(f"{k} = ?" for k in fields), values


class Writes:
    """Mixed into PostgresStore after PgBase (uses `transaction`)."""

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
            return int(
                await conn.fetchval(
                    "INSERT INTO connectors (name, preset, base_url, config_json) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                    "preset = excluded.preset, base_url = excluded.base_url, "
                    "config_json = excluded.config_json RETURNING id",
                    (name, preset, base_url, _dumps(config)),
                )
            )

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
            return int(
                await conn.fetchval(
                    "INSERT INTO services (name, source_id, destination_id, schedule, enabled, "
                    "cooldown_minutes, capture_payloads, config_json) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                    "source_id = excluded.source_id, destination_id = excluded.destination_id, "
                    "schedule = excluded.schedule, enabled = excluded.enabled, "
                    "cooldown_minutes = excluded.cooldown_minutes, "
                    "capture_payloads = excluded.capture_payloads, "
                    "config_json = excluded.config_json RETURNING id",
                    (
                        name,
                        source_id,
                        destination_id,
                        schedule,
                        int(enabled),
                        cooldown_minutes,
                        int(capture_payloads),
                        _dumps(config),
                    ),
                )  # fmt: skip
            )

    async def set_connector_status(
        self, connector_id: int, status: str, detail: str = "", tested_at: float | None = None
    ) -> None:
        async with self.transaction() as conn:
            await conn.execute(
                "UPDATE connectors SET status = ?, status_detail = ?, "
                "tested_at = COALESCE(?::float8, tested_at) WHERE id = ?",
                (status, detail, tested_at, connector_id),
            )

    async def set_service_enabled(self, service_id: int, enabled: bool) -> None:
        async with self.transaction() as conn:
            await conn.execute(
                "UPDATE services SET enabled = ? WHERE id = ?", (int(enabled), service_id)
            )

    async def save_config_file(self, toml_text: str, source_path: str = "") -> int:
        async with self.transaction() as conn:
            return int(
                await conn.fetchval(
                    "INSERT INTO config_files (imported_at, source_path, toml) VALUES (?, ?, ?) "
                    "RETURNING id",
                    (now(), source_path, toml_text),
                )
            )

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
        async with self.transaction(f"run {status}") as conn:
            run_id = await conn.fetchval(
                    "INSERT INTO runs (service_id, sync_type, trigger, status, started_at, "
                    "retry_of, pid, host, heartbeat_at) "
                    f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, {DB_NOW}) {LIVE} RETURNING id",
                    (
                        service_id,
                        sync_type,
                        trigger,
                        status,
                        float(started_at or now()),
                        retry_of,
                        os.getpid(),
                        socket.gethostname(),
                    ),
                )  # fmt: skip
            if run_id is None:  # runs_one_live: the service has a queued or running run
                raise await refuse_live(conn, service_id or 0)
            return int(run_id)

    async def update_run(self, run_id: int, **fields: Any) -> None:
        clause, params = _set_clause(fields, _RUN_FIELDS)
        note = f"run {run_id} {fields['status']}" if "status" in fields else "run"
        async with self.transaction(note) as conn:
            await conn.execute(f"UPDATE runs SET {clause} WHERE id = ?", (*params, run_id))

    async def start_step(self, run_id: int, stream: str, started_at: float | None = None) -> int:
        async with self.transaction() as conn:
            return int(
                await conn.fetchval(
                    "INSERT INTO steps (run_id, stream, status, started_at) "
                    "VALUES (?, ?, 'running', ?) RETURNING id",
                    (run_id, stream, float(started_at or now())),
                )
            )

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
            return int(
                await conn.fetchval(
                    "INSERT INTO instances (step_id, run_id, page, method, url, cursor, "
                    "started_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (step_id, run_id, page, method, url, cursor, float(started_at or now())),
                )
            )

    async def update_instance(self, instance_id: int, **fields: Any) -> None:
        clause, params = _set_clause(fields, _INSTANCE_FIELDS)
        async with self.transaction() as conn:
            await conn.execute(
                f"UPDATE instances SET {clause} WHERE id = ?", (*params, instance_id)
            )

    async def add_log(self, row: LogRow) -> int:
        async with self.transaction() as conn:
            return int(
                await conn.fetchval(
                    "INSERT INTO log_events (ts, level, kind, title, details, connector_id, "
                    "service_id, run_id, step_id, entity_id, code) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    hot_path._log_params(row),
                )
            )

    # ---- the hot path ------------------------------------------------------------------------

    async def write_batch(self, batch: Batch) -> list[int]:
        """Commit one page's entities, their calls, logs, id map and counters together (one
        transaction, one NOTIFY). Returns the new entity ids in order."""
        try:
            async with self.transaction("batch") as conn:
                return await hot_path.write_batch(conn, batch)
        except BaseException:
            forget_ids(batch)  # rolled back: a retry (disk full, then space) starts clean
            raise

    async def insert_calls(self, calls: Iterable[CallRow]) -> None:
        """Bulk insert in one transaction (benchmarks)."""
        rows = list(calls)
        if rows:
            async with self.transaction("batch") as conn:
                await hot_path.insert_calls(conn, rows)

    # ---- engine state ------------------------------------------------------------------------

    async def put_id_map(self, rows: Iterable[IdMapRow]) -> None:
        await self.write_batch(Batch(id_map=list(rows)))

    async def set_stream_state(self, service_id: int, stream: str, cursor: str | None) -> None:
        await self.write_batch(Batch(stream_state=(service_id, stream, cursor)))

    async def request_cancel(self, run_id: int) -> None:
        """Ask a run to stop: a running one stops after its page in flight (its process polls
        the flag); a queued one is cancelled at once."""
        async with self.transaction(f"cancel {run_id}") as conn:
            await conn.execute(
                "UPDATE runs SET cancel_requested = 1, "
                f"finished_at = CASE WHEN status = 'queued' THEN {DB_NOW} ELSE finished_at END, "
                "message = CASE WHEN status = 'queued' THEN 'Cancelled before a worker took it.' "
                "ELSE message END, "
                "status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END "
                "WHERE id = ?",
                (run_id,),
            )

    async def mark_interrupted(self, stale_after: float = STALE_AFTER) -> list[int]:
        """Runs still 'running' whose process is gone: mark them interrupted. Returns their ids.

        A run of a worker whose lease expired is interrupted with it. Any other run on this
        host is dead when its pid no longer exists; on another host when its heartbeat is older
        than `stale_after` seconds by the database's clock (hosts' clocks may disagree; the
        database's is the one every worker shares). Queued runs wait for a worker: left alone.
        """
        lost = await self.expire_workers()
        host = socket.gethostname()
        candidates = await self._all(
            f"SELECT id, pid, host, heartbeat_at < {DB_NOW} - ? AS stale FROM runs "
            "WHERE status = 'running'",
            (float(stale_after),),
        )
        dead = [
            int(r[0])
            for r in candidates
            if (r[2] == host and not pid_alive(r[1])) or (r[2] != host and r[3] is not False)
        ]
        if dead:
            async with self.transaction("runs interrupted") as conn:
                await interrupt_runs(conn, dead, INTERRUPTED)
        return sorted(set(lost + dead))
