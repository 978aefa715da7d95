"""The fleet on SQLite: workers and their heartbeats, claims of queued runs, schedule fires,
leases by the database's clock.

SQLite is one host (a file on a local disk), so "the database's clock" is that host's clock read
by SQLite itself. Every claim and fire is one BEGIN IMMEDIATE transaction: SQLite's write lock
serialises them across processes, so two workers never claim the same run and a fire has one
owner. The partial unique index runs_one_live allows one queued-or-running run per service.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import aiosqlite

from ...errors import RunActive
from ...models import Worker
from .. import rows
from ..records import Claim

# Unix seconds by SQLite's own clock (unixepoch('subsec') needs 3.42; this works on 3.35+).
DB_NOW = "((julianday('now') - 2440587.5) * 86400.0)"
INTERRUPTED = "The process running this sync stopped before it finished."
LOST = "The worker running this sync stopped heartbeating (its lease expired)."

WORKER_SELECT = f"""
SELECT w.*, {DB_NOW} AS db_now,
       (SELECT COUNT(*) FROM runs r WHERE r.worker_id = w.id AND r.status = 'running')
       AS runs_in_hand
FROM workers w
"""


async def interrupt_runs(conn: aiosqlite.Connection, ids: list[int], message: str) -> None:
    """Mark these runs (if still live) and their running steps interrupted, inside the caller's
    transaction."""
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    await conn.execute(
        f"UPDATE runs SET status = 'interrupted', finished_at = COALESCE(heartbeat_at, "
        f"started_at), message = ? WHERE id IN ({marks}) AND status IN ('running', 'queued')",
        (message, *ids),
    )
    await conn.execute(
        f"UPDATE steps SET status = 'interrupted', finished_at = COALESCE(finished_at, "
        f"{DB_NOW}) WHERE run_id IN ({marks}) AND status = 'running'",
        ids,
    )


async def live_run(conn: aiosqlite.Connection, service_id: int) -> tuple[int, str] | None:
    async with conn.execute(
        "SELECT id, status FROM runs WHERE service_id = ? AND status IN ('queued', 'running')",
        (service_id,),
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


async def refuse_live(conn: aiosqlite.Connection, service_id: int) -> RunActive:
    """The RunActive error for a service whose live run just blocked an insert."""
    live = await live_run(conn, service_id)
    async with conn.execute("SELECT name FROM services WHERE id = ?", (service_id,)) as cur:
        row = await cur.fetchone()
    name = row[0] if row else str(service_id)
    return RunActive(name, live[0] if live else 0, live[1] if live else "running")


class Fleet:
    """Mixed into SqliteStore (uses Reads' helpers and Writes' transaction)."""

    async def db_now(self) -> float:
        return float(await self._scalar(f"SELECT {DB_NOW}"))

    async def register_worker(self, host: str, pid: int, lease_seconds: float) -> int:
        async with self.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO workers (host, pid, started_at, heartbeat_at, lease_seconds) "
                f"VALUES (?, ?, {DB_NOW}, {DB_NOW}, ?)",
                (host, pid, lease_seconds),
            )
            return int(cur.lastrowid)

    async def heartbeat_worker(self, worker_id: int) -> bool:
        """Renew the worker's lease and its runs' heartbeats. False when the worker was
        declared lost meanwhile (its runs are already interrupted: it must drop them)."""
        async with self.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE workers SET heartbeat_at = {DB_NOW} WHERE id = ? AND status = 'running'",
                (worker_id,),
            )
            alive = cur.rowcount > 0
            if alive:
                await conn.execute(
                    f"UPDATE runs SET heartbeat_at = {DB_NOW} "
                    "WHERE worker_id = ? AND status = 'running'",
                    (worker_id,),
                )
            return alive

    async def stop_worker(self, worker_id: int) -> None:
        async with self.transaction() as conn:
            await conn.execute(
                f"UPDATE workers SET status = 'stopped', stopped_at = {DB_NOW} "
                "WHERE id = ? AND status = 'running'",
                (worker_id,),
            )

    async def expire_workers(self) -> list[int]:
        """Workers whose heartbeat is older than their lease (database clock) become lost;
        their running runs are marked interrupted. Returns those runs' ids."""
        async with self.transaction() as conn:
            async with conn.execute(
                f"UPDATE workers SET status = 'lost', stopped_at = heartbeat_at "
                f"WHERE status = 'running' AND heartbeat_at < {DB_NOW} - lease_seconds "
                "RETURNING id"
            ) as cur:
                lost = [int(r[0]) for r in await cur.fetchall()]
            if not lost:
                return []
            marks = ",".join("?" * len(lost))
            async with conn.execute(
                f"SELECT id FROM runs WHERE worker_id IN ({marks}) AND status = 'running'", lost
            ) as cur:
                ids = [int(r[0]) for r in await cur.fetchall()]
            await interrupt_runs(conn, ids, LOST)
            return ids

    async def list_workers(self, *, include_stopped: bool = False) -> list[Worker]:
        where = "" if include_stopped else " WHERE w.status = 'running'"
        found = await self._all(f"{WORKER_SELECT}{where} ORDER BY w.host, w.id")
        return [rows.worker(r) for r in found]

    async def fire_schedule(
        self, service_id: int, fire_at: float, worker_id: int | None = None
    ) -> tuple[str, int | None]:
        """One scheduled fire of a service, however many workers see it: ("queued", run id)
        for the one that owns it, ("busy", live run id) when the service still has a live
        run (the owner logs the skip), ("taken", None) for everyone else."""
        async with self.transaction() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO schedule_fires (service_id, fire_at, worker_id, outcome) "
                "VALUES (?, ?, ?, 'pending')",
                (service_id, fire_at, worker_id),
            )
            if cur.rowcount == 0:
                return "taken", None
            live = await live_run(conn, service_id)
            if live is not None:
                outcome, run_id = "busy", live[0]
            else:
                cur = await conn.execute(
                    "INSERT INTO runs (service_id, sync_type, trigger, status, started_at) "
                    f"VALUES (?, 'update', 'schedule', 'queued', {DB_NOW})",
                    (service_id,),
                )
                outcome, run_id = "queued", int(cur.lastrowid)
            await conn.execute(
                "UPDATE schedule_fires SET outcome = ?, run_id = ? "
                "WHERE service_id = ? AND fire_at = ?",
                (outcome, run_id, service_id, fire_at),
            )
            return outcome, run_id

    async def enqueue_run(
        self,
        service_id: int,
        *,
        trigger: str,
        options: dict[str, Any] | None = None,
        retry_of: int | None = None,
    ) -> int:
        """A queued run for any worker to claim. Raises RunActive when the service already has
        a queued or running run."""
        async with self.transaction() as conn:
            try:
                cur = await conn.execute(
                    "INSERT INTO runs (service_id, sync_type, trigger, status, started_at, "
                    f"retry_of, options_json) VALUES (?, 'update', ?, 'queued', {DB_NOW}, ?, ?)",
                    (service_id, trigger, retry_of, json.dumps(options or {})),
                )
            except sqlite3.IntegrityError:
                raise await refuse_live(conn, service_id) from None
            return int(cur.lastrowid)

    async def claim_run(self, worker_id: int) -> Claim | None:
        """The oldest queued run, now running and owned by this worker; None when none is
        queued. One atomic UPDATE ... RETURNING under SQLite's write lock."""
        async with self.transaction() as conn:
            async with conn.execute(
                f"UPDATE runs SET status = 'running', worker_id = ?, started_at = {DB_NOW}, "
                f"heartbeat_at = {DB_NOW}, host = (SELECT host FROM workers WHERE id = ?), "
                "pid = (SELECT pid FROM workers WHERE id = ?) "
                "WHERE id = (SELECT id FROM runs WHERE status = 'queued' ORDER BY id LIMIT 1) "
                "AND status = 'queued' "
                "RETURNING id, service_id, trigger, retry_of, options_json",
                (worker_id, worker_id, worker_id),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return None
            async with conn.execute(
                "SELECT name FROM services WHERE id = ?", (row["service_id"],)
            ) as cur:
                name = await cur.fetchone()
        return Claim(
            run_id=int(row["id"]), service_id=int(row["service_id"] or 0),
            service=name[0] if name else "", trigger=row["trigger"], retry_of=row["retry_of"],
            options=json.loads(row["options_json"] or "{}"),
        )  # fmt: skip

    async def touch_run(self, run_id: int) -> bool:
        """A run's own heartbeat (database clock), on a timer, even while it waits out a
        Retry-After. Returns whether someone asked it to stop."""
        async with self.transaction() as conn:
            await conn.execute(
                f"UPDATE runs SET heartbeat_at = {DB_NOW} WHERE id = ? AND status = 'running'",
                (run_id,),
            )
            async with conn.execute(
                "SELECT cancel_requested FROM runs WHERE id = ?", (run_id,)
            ) as cur:
                row = await cur.fetchone()
        return bool(row and row[0])
