"""Retention: delete what is older than the window, compress old payloads in place.

Work is done in short transactions over id ranges (ids grow with time), with a pause between
them, so neither the engine's writes nor any reader waits more than a moment.
"""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass, field

from ..timeutil import now
from .page import Where

CHUNK = 2000
DAY = 86400

# table, time column, extra condition (runs still going are never deleted)
_TABLES = (
    ("payloads", "created_at", "", "call_id"),
    ("api_calls", "started_at", "", "id"),
    ("entities", "created_at", "", "id"),
    ("instances", "started_at", "", "id"),
    ("log_events", "ts", "", "id"),
    ("steps", "started_at", " AND status != 'running'", "id"),
    ("runs", "started_at", " AND status NOT IN ('running', 'queued')", "id"),
)


@dataclass
class PruneReport:
    deleted: dict[str, int] = field(default_factory=dict)
    payloads_dropped: int = 0
    payloads_compressed: int = 0
    cutoff: float = 0.0


class Retention:
    """Mixed into Store."""

    async def _chunked(self, sql_ids: str, params: list, apply: str, key: str = "id") -> int:
        """Select ids in ascending chunks and apply `apply` (with ? placeholders for lo, hi)."""
        total = 0
        lo = 0
        while True:
            async with self.wconn.execute(
                f"{sql_ids} AND {key} > ? ORDER BY {key} LIMIT {CHUNK}", (*params, lo)
            ) as cur:
                ids = [r[0] for r in await cur.fetchall()]
            if not ids:
                return total
            async with self.transaction() as conn:
                marks = ",".join("?" * len(ids))
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
        for table, col, extra, key in _TABLES:
            report.deleted[table] = await self._chunked(
                f"SELECT {key} FROM {table} WHERE {col} < ?{extra}",
                [report.cutoff],
                f"DELETE FROM {table} WHERE {key} IN ({{marks}})",
                key,
            )
        async with self.transaction() as conn:
            await conn.execute(
                "DELETE FROM log_counts WHERE n <= 0 OR day < ?", (int(report.cutoff // DAY),)
            )
            await conn.execute("DELETE FROM undo_log WHERE at < ?", (report.cutoff,))
        if payload_keep_hours is not None:
            report.payloads_dropped = await self._chunked(
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
