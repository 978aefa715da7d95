"""Admin state (PostgreSQL): sample records of the last pull (mapping preview, source-path
completion), the undo log of console edits, and removing a connector nobody uses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ...timeutil import now

SAMPLE_SIZE = 20


class Samples:
    """Mixed into Store (uses Reads helpers and the Writes transaction)."""

    async def record_samples(
        self, service_id: int, stream: str, records: Sequence[Any], keep: int = SAMPLE_SIZE
    ) -> None:
        """Replace the samples of one stream with the first `keep` records of a pulled page."""
        kept = [r for r in records if isinstance(r, dict)][:keep]
        if not kept:
            return
        at = now()
        async with self.transaction() as conn:
            await conn.execute(
                "DELETE FROM samples WHERE service_id = ? AND stream = ?", (service_id, stream)
            )
            await conn.executemany(
                "INSERT INTO samples (service_id, stream, seq, record_json, pulled_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (service_id, stream, i, json.dumps(r, default=str, ensure_ascii=False), at)
                    for i, r in enumerate(kept)
                ],
            )

    async def list_samples(self, service_id: int, stream: str) -> list[dict[str, Any]]:
        found = await self._all(
            "SELECT record_json FROM samples WHERE service_id = ? AND stream = ? ORDER BY seq",
            (service_id, stream),
        )
        out = []
        for r in found:
            try:
                value = json.loads(r[0])
            except ValueError:
                continue
            if isinstance(value, dict):
                out.append(value)
        return out

    # ---- undo log ------------------------------------------------------------------------

    async def push_undo(self, what: str, undo: dict[str, Any], service_id: int | None) -> int:
        async with self.transaction() as conn:
            return int(
                await conn.fetchval(
                    "INSERT INTO undo_log (at, service_id, what, undo_json) VALUES (?, ?, ?, ?) "
                    "RETURNING id",
                    (now(), service_id, what, json.dumps(undo, default=str)),
                )
            )

    async def last_undo(self) -> tuple[int, str, dict[str, Any]] | None:
        row = await self._one("SELECT id, what, undo_json FROM undo_log ORDER BY id DESC LIMIT 1")
        if row is None:
            return None
        return int(row[0]), str(row[1]), json.loads(row[2])

    async def drop_undo(self, undo_id: int) -> None:
        async with self.transaction() as conn:
            await conn.execute("DELETE FROM undo_log WHERE id = ?", (undo_id,))

    async def delete_connector(self, name: str) -> None:
        """Remove a connector that no service uses (the undo of an add)."""
        async with self.transaction() as conn:
            await conn.execute(
                "DELETE FROM connectors WHERE name = ? AND id NOT IN "
                "(SELECT source_id FROM services UNION SELECT destination_id FROM services)",
                (name,),
            )

    async def delete_value_mappings(
        self, service_id: int, lookup: str, sources: Sequence[str]
    ) -> None:
        async with self.transaction() as conn:
            await conn.executemany(
                "DELETE FROM value_mappings WHERE service_id = ? AND lookup = ? "
                "AND source_value = ?",
                [(service_id, lookup, s) for s in sources],
            )

    async def delete_service(self, name: str) -> None:
        """Remove a service and its sync state (id map, cursors, samples, value mappings); its
        runs and log events stay as history."""
        sid = await self.service_id(name)
        async with self.transaction() as conn:
            for table in ("id_map", "stream_state", "samples", "value_mappings"):
                await conn.execute(f"DELETE FROM {table} WHERE service_id = ?", (sid,))
            await conn.execute("DELETE FROM services WHERE id = ?", (sid,))
