"""Engine state: the id map, incremental cursors, value mappings and the imported config."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from ...models import ValueMapping
from ...timeutil import now
from .. import rows


class State:
    """Mixed into Store (uses Reads helpers and the Writes transaction)."""

    async def get_id_map(
        self, service_id: int, stream: str, external_ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None, bool]]:
        """external id -> (internal id, payload hash, pending) for the ids that have an entry."""
        out: dict[str, tuple[str | None, str | None, bool]] = {}
        ids = list(external_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found = await self._all(
                "SELECT external_id, internal_id, payload_hash, pending FROM id_map "
                f"WHERE service_id = ? AND stream = ? AND external_id IN ({marks})",
                [service_id, stream, *chunk],
            )
            out.update({r[0]: (r[1], r[2], bool(r[3])) for r in found})
        return out

    async def pending_id_map(self, service_id: int, stream: str) -> list[str]:
        """External ids whose push was started but whose result was never committed."""
        found = await self._all(
            "SELECT external_id FROM id_map WHERE service_id = ? AND stream = ? AND pending = 1",
            (service_id, stream),
        )
        return [r[0] for r in found]

    async def get_stream_state(self, service_id: int, stream: str) -> str | None:
        return await self._scalar(
            "SELECT cursor_value FROM stream_state WHERE service_id = ? AND stream = ?",
            (service_id, stream),
        )

    async def clear_stream_state(self, service_id: int, stream: str | None = None) -> None:
        async with self.transaction() as conn:
            if stream is None:
                await conn.execute("DELETE FROM stream_state WHERE service_id = ?", (service_id,))
            else:
                await conn.execute(
                    "DELETE FROM stream_state WHERE service_id = ? AND stream = ?",
                    (service_id, stream),
                )

    async def cancel_requested(self, run_id: int) -> bool:
        """Whether someone asked this run to stop (checked by the engine between pages)."""
        return bool(await self._scalar("SELECT cancel_requested FROM runs WHERE id = ?", (run_id,)))

    async def latest_config_file(self) -> str | None:
        return await self._scalar("SELECT toml FROM config_files ORDER BY id DESC LIMIT 1")

    async def connector_config(self, name: str) -> dict:
        raw = await self._scalar("SELECT config_json FROM connectors WHERE name = ?", (name,))
        return json.loads(raw or "{}")

    async def service_config(self, name: str) -> dict:
        raw = await self._scalar("SELECT config_json FROM services WHERE name = ?", (name,))
        return json.loads(raw or "{}")

    # ---- value mappings (lookup tables) ------------------------------------------------------

    async def list_value_mappings(
        self, service_id: int, lookup: str, *, status: str | None = None
    ) -> list[ValueMapping]:
        """Unmapped first, then response errors, then mapped; alphabetical within each."""
        params: list[object] = [service_id, lookup]
        extra = ""
        if status:
            extra = " AND status = ?"
            params.append(status)
        found = await self._all(
            "SELECT * FROM value_mappings WHERE service_id = ? AND lookup = ?"
            f"{extra} ORDER BY CASE status WHEN 'unmapped' THEN 0 WHEN 'response_error' THEN 1 "
            "ELSE 2 END, source_value",
            params,
        )
        return [rows.value_mapping(r) for r in found]

    async def set_value_mappings(
        self, service_id: int, lookup: str, pairs: Iterable[tuple[str, str | None, str]]
    ) -> None:
        """Upsert (source value, destination value, status) rows of one lookup table."""
        async with self.transaction() as conn:
            await conn.executemany(
                "INSERT INTO value_mappings (service_id, lookup, source_value, destination_value, "
                "status, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (service_id, lookup, "
                "source_value) DO UPDATE SET destination_value = excluded.destination_value, "
                "status = excluded.status, updated_at = excluded.updated_at",
                [(service_id, lookup, s, d, st, now()) for s, d, st in pairs],
            )

    async def note_unmapped(self, service_id: int, lookup: str, values: Iterable[str]) -> None:
        """Source values seen in pulled records with no mapping appear as unmapped rows."""
        async with self.transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO value_mappings (service_id, lookup, source_value, status, "
                "updated_at) VALUES (?, ?, ?, 'unmapped', ?)",
                [(service_id, lookup, v, now()) for v in values],
            )
