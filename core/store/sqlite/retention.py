"""Retention: delete what is older than the window, compress old payloads in place.

Work is done in short transactions over id ranges (ids grow with time), with a pause between
them, so neither the engine's writes nor any reader waits more than a moment.
"""

from __future__ import annotations

import asyncio
import zlib

from ...timeutil import now
from ..page import Where
from ..records import PruneReport

CHUNK = 2000
DAY = 86400

# table, time column, extra condition (runs still going are never deleted), key, and the calls
# that go with each deleted row (api_calls has no time index; its rows are reached through the
# indexed entity and instance links, and unlinked calls through an id-bounded scan; entities
# have none either: an id-bounded scan, its bound also covering runs that started before the
# cutoff, see _entity_run_bound).
_TABLES = (
    ("payloads", "created_at", "", "call_id", None),
    ("entities", "created_at", "", "id", "entity_id"),
    ("instances", "started_at", "", "id", "instance_id"),
    ("api_calls", "started_at", "", "id", None),
    ("log_events", "ts", "", "id", None),
    ("steps", "started_at", " AND status != 'running'", "id", None),
    ("runs", "started_at", " AND status NOT IN ('running', 'queued')", "id", None),
)
_BOUNDED = {"api_calls", "entities"}


class Retention:
    """Mixed into Store."""

    async def _id_bound(self, table: str, col: str, key: str, cutoff: float) -> int:
        """The largest id whose time is before `cutoff`, by binary search over the primary key.

        Ids grow with time, so old rows sit at the start of the table: bounding the chunked
        scan by this id means no time index is needed on api_calls (it cost a third of the
        write throughput) and the scan never walks the rows that stay.
        """
        async with self.wconn.execute(f"SELECT MIN({key}), MAX({key}) FROM {table}") as cur:
            lo, hi = await cur.fetchone()
        if lo is None:
            return 0
        best = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            async with self.wconn.execute(
                f"SELECT {key}, {col} FROM {table} WHERE {key} >= ? ORDER BY {key} LIMIT 1", (mid,)
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                hi = mid - 1
            elif row[1] < cutoff:
                best = row[0]
                lo = row[0] + 1
            else:
                hi = mid - 1
        return best

    async def _entity_run_bound(self, cutoff: float) -> int:
        """The newest entity of any run started before `cutoff`.

        An entity is never older than its run, so every entity older than the cutoff belongs to
        such a run: this bounds the rows the id-ordered binary search can miss (a run still
        writing, or stuck, after newer runs' rows). Through indexed links only (runs_started,
        steps_run, the max of entities_step per step), so entities need no time index (it cost
        the engine's inserts a sixth B-tree).
        """
        async with self.wconn.execute(
            "SELECT MAX((SELECT MAX(id) FROM entities WHERE step_id = st.id)) FROM steps st "
            "WHERE st.run_id IN (SELECT id FROM runs WHERE started_at < ?)",
            (cutoff,),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0] or 0)

    async def _chunked(
        self, sql_ids: str, params: list, apply: str, key: str = "id", also: str | None = None
    ) -> tuple[int, int]:
        """Select ids in ascending chunks and apply `apply` (with {marks} for the ids); `also`
        is a column of api_calls whose rows go with them, in the same transaction.
        Returns (rows deleted, calls deleted with them)."""
        total = 0
        calls = 0
        lo = 0
        while True:
            async with self.wconn.execute(
                f"{sql_ids} AND {key} > ? ORDER BY {key} LIMIT {CHUNK}", (*params, lo)
            ) as cur:
                ids = [r[0] for r in await cur.fetchall()]
            if not ids:
                return total, calls
            async with self.transaction() as conn:
                marks = ",".join("?" * len(ids))
                if also:
                    cur = await conn.execute(
                        f"DELETE FROM api_calls WHERE {also} IN ({marks})", ids
                    )
                    calls += max(cur.rowcount, 0)
                cur = await conn.execute(apply.format(marks=marks), ids)
                total += max(cur.rowcount, 0)
            lo = ids[-1]
            await asyncio.sleep(0.005)  # let the engine and other writers in

    async def prune(
        self,
        *,
        retention_days: float = 30,
        compress_after_days: float = 7,
        payload_keep_hours: float | None = 24,
        reference: float | None = None,
    ) -> PruneReport:
        ref = now() if reference is None else reference
        report = PruneReport(cutoff=ref - retention_days * DAY)
        for table, col, extra, key, also in _TABLES:
            params: list = [report.cutoff]
            if table in _BOUNDED:
                extra = f" AND {key} <= ?{extra}"
                bound = await self._id_bound(table, col, key, report.cutoff)
                if table == "entities":
                    bound = max(bound, await self._entity_run_bound(report.cutoff))
                params.append(bound)
            deleted, calls = await self._chunked(
                f"SELECT {key} FROM {table} WHERE {col} < ?{extra}",
                params,
                f"DELETE FROM {table} WHERE {key} IN ({{marks}})",
                key,
                also,
            )
            report.deleted[table] = report.deleted.get(table, 0) + deleted
            report.deleted["api_calls"] = report.deleted.get("api_calls", 0) + calls
        async with self.transaction() as conn:
            await conn.execute(
                "DELETE FROM log_counts WHERE n <= 0 OR day < ?", (int(report.cutoff // DAY),)
            )
            await conn.execute("DELETE FROM undo_log WHERE at < ?", (report.cutoff,))
            # the fleet's bookkeeping: old schedule fires, workers long stopped or lost
            await conn.execute("DELETE FROM schedule_fires WHERE fire_at < ?", (report.cutoff,))
            await conn.execute(
                "DELETE FROM workers WHERE status <> 'running' AND stopped_at < ?",
                (report.cutoff,),
            )
        if payload_keep_hours is not None:
            report.payloads_dropped, _ = await self._chunked(
                "SELECT call_id FROM payloads WHERE created_at < ?",
                [ref - payload_keep_hours * 3600],
                "DELETE FROM payloads WHERE call_id IN ({marks})",
                "call_id",
            )
        report.payloads_compressed = await self.compress_payloads(ref - compress_after_days * DAY)
        return report

    async def compress_payloads(self, older_than: float) -> int:
        """zlib-compress bodies in place; reads (rows.unpack_body) return them unchanged."""
        done = 0
        lo = 0
        while True:
            async with self.wconn.execute(
                "SELECT call_id, request_body, response_body FROM payloads WHERE created_at < ? "
                f"AND compressed = 0 AND call_id > ? ORDER BY call_id LIMIT {CHUNK // 4}",
                (older_than, lo),
            ) as cur:
                found = list(await cur.fetchall())
            if not found:
                return done
            packed = [(_pack(r[1]), _pack(r[2]), r[0]) for r in found]
            async with self.transaction() as conn:
                await conn.executemany(
                    "UPDATE payloads SET request_body = ?, response_body = ?, compressed = 1 "
                    "WHERE call_id = ? AND compressed = 0",
                    packed,
                )
            done += len(found)
            lo = found[-1][0]
            await asyncio.sleep(0.005)

    async def vacuum_hint(self) -> dict[str, int]:
        async with self.rconn.execute("PRAGMA page_count") as cur:
            pages = (await cur.fetchone())[0]
        async with self.rconn.execute("PRAGMA freelist_count") as cur:
            free = (await cur.fetchone())[0]
        return {"pages": int(pages), "free_pages": int(free)}


def _pack(body: bytes | str | None) -> bytes | None:
    if body is None:
        return None
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    return zlib.compress(raw, 6)


__all__ = ["PruneReport", "Retention", "Where"]
