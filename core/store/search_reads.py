"""Id search: which runs, steps and entities touched an external or internal id. The same SQL
on both backends (the PostgreSQL base turns `?` into `$n`), so one mixin serves both."""

from __future__ import annotations

from ..models import SearchHit, Step
from . import rows
from .page import Page, Where


class SearchReads:
    """Mixed into Store after Reads (uses its query helpers)."""

    # ---- search ----------------------------------------------------------------------------

    async def search_id(
        self,
        value: str,
        *,
        run_id: int | None = None,
        step_id: int | None = None,
        since: float | None = None,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
    ) -> Page[SearchHit]:
        """Every entity row whose external or internal id is `value`, newest first."""
        where = Where().add(
            "e.id IN (SELECT id FROM entities WHERE external_id = ? "
            "UNION SELECT id FROM entities WHERE internal_id = ?)",
            value,
            value,
        )
        if run_id is not None:
            where.add("e.run_id = ?", run_id)
        if step_id is not None:
            where.add("e.step_id = ?", step_id)
        if since is not None:
            where.add("e.created_at >= ?", since)
        select = """
            SELECT e.*, st.stream, s.name AS service FROM entities e
            JOIN steps st ON st.id = e.step_id
            JOIN runs r ON r.id = e.run_id
            LEFT JOIN services s ON s.id = r.service_id
        """
        return await self._keyset(
            select, "e", where, rows.search_hit, newest_first=True, limit=limit, after=after,
            before=before, count_from="entities e",
        )  # fmt: skip

    async def search_steps(self, run_id: int, value: str) -> list[Step]:
        """The steps of a run in which `value` appears as an external or internal id."""
        found = await self._all(
            "SELECT * FROM steps WHERE run_id = ? AND id IN (SELECT step_id FROM entities "
            "WHERE external_id = ? UNION SELECT step_id FROM entities WHERE internal_id = ?) "
            "ORDER BY id",
            (run_id, value, value),
        )
        return [rows.step(r) for r in found]
