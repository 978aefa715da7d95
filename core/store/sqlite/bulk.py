"""Bulk loads (demo history, `db migrate`): rows with explicit ids, executemany per table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..records import BULK_COLUMNS, BULK_TABLES

# No fsync per checkpoint and fewer, larger checkpoints while loading; restored afterwards.
_FAST = (
    "PRAGMA synchronous = OFF",
    "PRAGMA wal_autocheckpoint = 10000",
    "PRAGMA cache_size = -262144",
)
_RESTORE = ("PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 1000",
            "PRAGMA cache_size = -65536")  # fmt: skip


def _sql(kind: str) -> str:
    cols = BULK_COLUMNS[kind]
    marks = ",".join("?" * len(cols))
    return f"INSERT INTO {BULK_TABLES[kind]} ({', '.join(cols)}) VALUES ({marks})"


class Bulk:
    """Mixed into SqliteStore (uses the writer connection and its transaction)."""

    async def bulk_first_ids(self) -> dict[str, int]:
        """The first free id of each kind of row (keys of BULK_COLUMNS but payloads), for a
        load into a store nobody else writes to (the demo refuses a store with history)."""
        kinds = [k for k in BULK_TABLES if k != "payloads"]
        sql = "SELECT " + ", ".join(
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {BULK_TABLES[k]})" for k in kinds
        )
        async with self.wconn.execute(sql) as cur:  # type: ignore[attr-defined]
            row = await cur.fetchone()
        return {k: int(v) for k, v in zip(kinds, row, strict=True)}

    async def bulk_insert(self, rows: Mapping[str, Sequence[tuple]]) -> None:
        """Insert rows (tuples in BULK_COLUMNS order) of several kinds in one transaction."""
        async with self.transaction() as conn:  # type: ignore[attr-defined]
            for kind in BULK_COLUMNS:
                if rows.get(kind):
                    await conn.executemany(_sql(kind), rows[kind])

    async def bulk_mode(self, on: bool) -> None:
        """Trade durability for speed while a bulk load runs (and back)."""
        for pragma in _FAST if on else _RESTORE:
            await self.wconn.execute(pragma)  # type: ignore[attr-defined]
