"""The fleet on PostgreSQL: workers and heartbeats, claims of queued runs with
`FOR UPDATE SKIP LOCKED`, schedule fires with one owner, leases by the database's clock
(`clock_timestamp()`), never a host's.

The partial unique index runs_one_live allows one queued-or-running run per service; inserts
name it in `ON CONFLICT ... DO NOTHING`, so a race between two workers (or a worker and a
`syncdeck run`) ends as a clear RunActive or a skipped fire, never as a driver error.
Heartbeats send no NOTIFY (a console is woken by status changes and pages, not by beats).
"""

from __future__ import annotations

import json
from typing import Any

from ...errors import RunActive
from ...models import Worker
from .. import rows
from ..records import Claim
from .hot_path import DB_NOW

INTERRUPTED = "The process running this sync stopped before it finished."
LOST = "The worker running this sync stopped heartbeating (its lease expired)."
LIVE = "ON CONFLICT (service_id) WHERE status IN ('queued', 'running') DO NOTHING"

WORKER_SELECT = f"""
SELECT w.*, {DB_NOW} AS db_now,
       (SELECT COUNT(*) FROM runs r WHERE r.worker_id = w.id AND r.status = 'running')
       AS runs_in_hand
FROM workers w
"""


async def interrupt_runs(conn: Any, ids: list[int], message: str) -> None:
    """Mark these runs (if still live) and their running steps interrupted, inside the caller's
    transaction."""
    if not ids:
        return
    await conn.execute(
        "UPDATE runs SET status = 'interrupted', finished_at = COALESCE(heartbeat_at, "
        "started_at), message = ? WHERE id = ANY(?) AND status IN ('running', 'queued')",
        (message, ids),
    )
    await conn.execute(
        f"UPDATE steps SET status = 'interrupted', finished_at = COALESCE(finished_at, "
        f"{DB_NOW}) WHERE run_id = ANY(?) AND status = 'running'",
        (ids,),
    )


async def refuse_live(conn: Any, service_id: int) -> RunActive:
    live = await conn.fetch(
        "SELECT r.id, r.status, s.name FROM services s LEFT JOIN runs r ON r.service_id = s.id "
        "AND r.status IN ('queued', 'running') WHERE s.id = ?",
        (service_id,),
    )
    if not live:
        return RunActive(str(service_id), 0, "running")
    r = live[0]
    return RunActive(r["name"], int(r["id"] or 0), r["status"] or "running")


class Fleet:
    """Mixed into PostgresStore after PgBase (uses `transaction` and the query helpers)."""

    async def check_for_worker(self) -> None:
        """A PostgreSQL store is shared by design: any number of workers on any hosts."""

    async def db_now(self) -> float:
        return float(await self._scalar(f"SELECT {DB_NOW}"))

    async def register_worker(self, host: str, pid: int, lease_seconds: float) -> int:
        async with self.transaction("worker") as conn:
            return int(
                await conn.fetchval(
                    "INSERT INTO workers (host, pid, started_at, heartbeat_at, lease_seconds) "
                    f"VALUES (?, ?, {DB_NOW}, {DB_NOW}, ?) RETURNING id",
                    (host, int(pid), float(lease_seconds)),
                )
            )

    async def heartbeat_worker(self, worker_id: int) -> bool:
        async with self.transaction("") as conn:
            alive = await conn.execute(
                f"UPDATE workers SET heartbeat_at = {DB_NOW} WHERE id = ? AND status = 'running'",
                (worker_id,),
            )
            if alive:
                await conn.execute(
                    f"UPDATE runs SET heartbeat_at = {DB_NOW} "
                    "WHERE worker_id = ? AND status = 'running'",
                    (worker_id,),
                )
            return alive > 0

    async def stop_worker(self, worker_id: int) -> None:
        async with self.transaction("worker") as conn:
            await conn.execute(
                f"UPDATE workers SET status = 'stopped', stopped_at = {DB_NOW} "
                "WHERE id = ? AND status = 'running'",
                (worker_id,),
            )

    async def expire_workers(self) -> list[int]:
        """Workers whose heartbeat is older than their lease (database clock) become lost; their
        running runs are marked interrupted. Returns those runs' ids."""
        async with self.transaction("runs interrupted") as conn:
            lost = [
                int(r[0])
                for r in await conn.fetch(
                    "UPDATE workers SET status = 'lost', stopped_at = heartbeat_at "
                    f"WHERE status = 'running' AND heartbeat_at < {DB_NOW} - lease_seconds "
                    "RETURNING id"
                )
            ]
            if not lost:
                return []
            ids = [
                int(r[0])
                for r in await conn.fetch(
                    "SELECT id FROM runs WHERE worker_id = ANY(?) AND status = 'running' "
                    "FOR UPDATE",
                    (lost,),
                )
            ]
            await interrupt_runs(conn, ids, LOST)
            return sorted(ids)

    async def list_workers(self, *, include_stopped: bool = False) -> list[Worker]:
        where = "" if include_stopped else " WHERE w.status = 'running'"
        found = await self._all(f"{WORKER_SELECT}{where} ORDER BY w.host, w.id")
        return [rows.worker(r) for r in found]

    async def fire_schedule(
        self, service_id: int, fire_at: float, worker_id: int | None = None
    ) -> tuple[str, int | None]:
        async with self.transaction("run queued") as conn:
            owned = await conn.fetchval(
                "INSERT INTO schedule_fires (service_id, fire_at, worker_id, outcome) "
                "VALUES (?, ?, ?, 'pending') ON CONFLICT DO NOTHING RETURNING service_id",
                (service_id, float(fire_at), worker_id),
            )
            if owned is None:
                return "taken", None
            run_id = await conn.fetchval(
                "INSERT INTO runs (service_id, sync_type, trigger, status, started_at) "
                f"VALUES (?, 'update', 'schedule', 'queued', {DB_NOW}) {LIVE} RETURNING id",
                (service_id,),
            )
            outcome = "queued"
            if run_id is None:
                outcome = "busy"
                run_id = await conn.fetchval(
                    "SELECT id FROM runs WHERE service_id = ? AND status IN ('queued', 'running')",
                    (service_id,),
                )
            await conn.execute(
                "UPDATE schedule_fires SET outcome = ?, run_id = ? "
                "WHERE service_id = ? AND fire_at = ?",
                (outcome, run_id, service_id, float(fire_at)),
            )
            return outcome, None if run_id is None else int(run_id)

    async def enqueue_run(
        self,
        service_id: int,
        *,
        trigger: str,
        options: dict[str, Any] | None = None,
        retry_of: int | None = None,
    ) -> int:
        async with self.transaction("run queued") as conn:
            run_id = await conn.fetchval(
                "INSERT INTO runs (service_id, sync_type, trigger, status, started_at, retry_of, "
                f"options_json) VALUES (?, 'update', ?, 'queued', {DB_NOW}, ?, ?) {LIVE} "
                "RETURNING id",
                (service_id, trigger, retry_of, json.dumps(options or {})),
            )
            if run_id is None:
                raise await refuse_live(conn, service_id)
            return int(run_id)

    async def claim_run(self, worker_id: int) -> Claim | None:
        """The oldest queued run no other worker is claiming (SKIP LOCKED), now running and
        owned by this worker; None when none is left."""
        async with self.transaction("run running") as conn:
            found = await conn.fetch(
                f"UPDATE runs r SET status = 'running', worker_id = w.id, started_at = {DB_NOW}, "
                f"heartbeat_at = {DB_NOW}, host = w.host, pid = w.pid FROM workers w "
                "WHERE w.id = ? AND r.id = (SELECT id FROM runs WHERE status = 'queued' "
                "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                "RETURNING r.id, r.service_id, r.trigger, r.retry_of, r.options_json, "
                "(SELECT name FROM services s WHERE s.id = r.service_id) AS service",
                (worker_id,),
            )
        if not found:
            return None
        row = found[0]
        return Claim(
            run_id=int(row["id"]), service_id=int(row["service_id"] or 0),
            service=row["service"] or "", trigger=row["trigger"],
            retry_of=None if row["retry_of"] is None else int(row["retry_of"]),
            options=json.loads(row["options_json"] or "{}"),
        )  # fmt: skip

    async def touch_run(self, run_id: int) -> bool:
        async with self.transaction("") as conn:
            cancel = await conn.fetchval(
                f"UPDATE runs SET heartbeat_at = {DB_NOW} WHERE id = ? AND status = 'running' "
                "RETURNING cancel_requested",
                (run_id,),
            )
            if cancel is None:
                cancel = await conn.fetchval(
                    "SELECT cancel_requested FROM runs WHERE id = ?", (run_id,)
                )
        return bool(cancel)
