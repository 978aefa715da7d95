"""Bulk loads (demo history, `db migrate`) on PostgreSQL: COPY per table, then each identity
sequence is moved past the explicit ids, so later inserts never collide with loaded rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..records import BULK_COLUMNS, BULK_TABLES
from .hot_path import body

_BODIES = {"request_body", "response_body"}


def _records(kind: str, rows: Sequence[tuple]) -> list[tuple]:
    cols = BULK_COLUMNS[kind]
    blobs = [i for i, c in enumerate(cols) if c in _BODIES]
    if not blobs:
        return list(rows)
    out = []
    for r in rows:
        r = list(r)
        for i in blobs:
            r[i] = body(r[i])
        out.append(tuple(r))
    return out


class Bulk:
    """Mixed into PostgresStore after PgBase."""

    async def bulk_first_ids(self) -> dict[str, int]:
        """A first id per kind of row, drawn from its sequence. The load gives ids upwards
        from there, so the store must have no other writer meanwhile (the demo refuses a
        store with history; `db migrate` a non-empty target)."""
        kinds = [k for k in BULK_TABLES if k != "payloads"]
        sql = "SELECT " + ", ".join(f"nextval('{BULK_TABLES[k]}_id_seq')" for k in kinds)
        row = await self._one(sql)  # type: ignore[attr-defined]
        return {k: int(v) for k, v in zip(kinds, row, strict=True)}

    async def bulk_insert(self, rows: Mapping[str, Sequence[tuple]]) -> None:
        """Insert rows (tuples in BULK_COLUMNS order) of several kinds in one transaction."""
        async with self.transaction("batch") as conn:  # type: ignore[attr-defined]
            for kind, cols in BULK_COLUMNS.items():
                if rows.get(kind):
                    await conn.raw.copy_records_to_table(
                        BULK_TABLES[kind], records=_records(kind, rows[kind]), columns=list(cols)
                    )
            for kind in BULK_COLUMNS:
                if rows.get(kind) and kind != "payloads":
                    table = BULK_TABLES[kind]
                    await conn.execute(
                        f"SELECT setval('{table}_id_seq', GREATEST((SELECT MAX(id) FROM {table}),"
                        f" (SELECT last_value FROM {table}_id_seq)))"
                    )

    async def bulk_mode(self, on: bool) -> None:
        """Nothing to trade on PostgreSQL: COPY is already the fast path."""
        return None
