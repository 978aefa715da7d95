"""Reads: every list keyset-paged on id with a total count; tiles; id and text search."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import aiosqlite

from ...errors import NotFound
from ...models import (
    ApiCall,
    Connector,
    Entity,
    Run,
    Service,
    Step,
    StepInstance,
)
from .. import rows
from ..page import MAX_PAGE_SIZE, Page, Where

T = TypeVar("T")
DAY = 86400
RETENTION_WINDOW_DAYS = 30

SERVICE_SELECT = """
SELECT s.*, src.name AS source, dst.name AS destination
FROM services s
JOIN connectors src ON src.id = s.source_id
JOIN connectors dst ON dst.id = s.destination_id
"""


def fts_query(text: str) -> str:
    """A user's words as one FTS5 phrase (quotes doubled), so no FTS syntax leaks through."""
    return '"' + text.replace('"', '""') + '"'


class Reads:
    """Mixed into Store. `self.rconn` is the reader connection."""

    rconn: aiosqlite.Connection

    # One trip to the connection's thread per query (execute + fetch + close were three): on a
    # busy 2-core machine each trip costs 0.1-0.5 ms, and a page is 2-4 queries.
    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return list(await self.rconn.execute_fetchall(sql, params))

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row of a query that returns at most one."""
        found = await self.rconn.execute_fetchall(sql, params)
        return found[0] if found else None

    async def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self._one(sql, params)
        return None if row is None else row[0]

    async def _keyset(
        self,
        select: str,
        alias: str,
        where: Where,
        convert: Callable[[sqlite3.Row], T],
        *,
        newest_first: bool,
        limit: int,
        after: int | None,
        before: int | None,
        count_from: str,
        total: int | None = None,
        key: str | None = None,
    ) -> Page[T]:
        """One page: `after` moves on in list order, `before` moves back. Total via COUNT(*)
        unless the caller already knows it (`total`). `key` orders and bounds the page when it
        is not `{alias}.id` (an equal column the planner can walk, e.g. an FTS rowid)."""
        limit = max(1, min(int(limit), MAX_PAGE_SIZE))
        col = key or f"{alias}.id"
        fwd_op, back_op = ("<", ">") if newest_first else (">", "<")
        fwd_order, back_order = ("DESC", "ASC") if newest_first else ("ASC", "DESC")
        page_where = Where(list(where.parts), list(where.params))
        going_back = before is not None and after is None
        if going_back:
            page_where.add(f"{col} {back_op} ?", before)
            order = back_order
        else:
            if after is not None:
                page_where.add(f"{col} {fwd_op} ?", after)
            order = fwd_order
        sql = f"{select}{page_where.sql()} ORDER BY {col} {order} LIMIT ?"
        fetched = await self._all(sql, [*page_where.params, limit + 1])
        more = len(fetched) > limit
        fetched = fetched[:limit]
        if going_back:
            fetched.reverse()
            has_prev, has_next = more, True
        else:
            has_prev, has_next = after is not None, more
        if total is None:
            total = await self._scalar(
                f"SELECT COUNT(*) FROM {count_from}{where.sql()}", where.params
            )
        return Page(
            items=[convert(r) for r in fetched],
            total=int(total or 0),
            has_next=has_next,
            has_prev=has_prev,
            limit=limit,
        )

    # ---- names ---------------------------------------------------------------------------

    async def connector_id(self, name: str) -> int:
        cid = await self._scalar("SELECT id FROM connectors WHERE name = ?", (name,))
        if cid is None:
            names = [r[0] for r in await self._all("SELECT name FROM connectors ORDER BY name")]
            raise NotFound(
                f"No connector named '{name}'.",
                f"Known connectors: {', '.join(names) or 'none yet'}.",
            )
        return int(cid)

    async def service_id(self, name: str) -> int:
        sid = await self._scalar("SELECT id FROM services WHERE name = ?", (name,))
        if sid is None:
            names = [r[0] for r in await self._all("SELECT name FROM services ORDER BY name")]
            raise NotFound(
                f"No service named '{name}'.",
                f"Known services: {', '.join(names) or 'none yet'}.",
            )
        return int(sid)

    # ---- connectors and services -----------------------------------------------------------

    async def list_connectors(self) -> list[Connector]:
        synced = await self.last_synced_by_connector()
        found = await self._all("SELECT * FROM connectors ORDER BY name")
        return [rows.connector(r, synced.get(r["id"])) for r in found]

    async def get_connector(self, name: str) -> Connector:
        cid = await self.connector_id(name)
        r = await self._one("SELECT * FROM connectors WHERE id = ?", (cid,))
        synced = await self.last_synced_by_connector()
        return rows.connector(r, synced.get(cid))

    async def list_services(self) -> list[Service]:
        return [rows.service(r) for r in await self._all(f"{SERVICE_SELECT} ORDER BY s.name")]

    async def get_service(self, name: str) -> Service:
        r = await self._one(f"{SERVICE_SELECT} WHERE s.name = ?", (name,))
        if r is None:
            await self.service_id(name)  # raises NotFound with the known names
        return rows.service(r)

    async def last_synced_by_connector(self) -> dict[int, float]:
        """Newest finished success/partial run per connector (source or destination side).

        One indexed MAX per service (partial index runs_synced), not a join over every run.
        """
        found = await self._all(
            "SELECT s.source_id, s.destination_id, (SELECT MAX(r.finished_at) FROM runs r "
            "WHERE r.service_id = s.id AND r.status IN ('success', 'partial')) FROM services s"
        )
        out: dict[int, float] = {}
        for source_id, destination_id, last in found:
            if last is None:
                continue
            for cid in (source_id, destination_id):
                out[cid] = max(out.get(cid, last), last)
        return out

    async def reconnected_at(self) -> dict[str, float]:
        """connector name -> time of its newest "Connector NAME reconnected" milestone (what
        core.actions.reconnect_connector writes; the demo's history says "Connector
        reconnected"), for the Needs resync state."""
        found = await self._all(
            "SELECT c.name, (SELECT MAX(l.ts) FROM log_events l WHERE l.connector_id = c.id "
            "AND l.level = 'INFO' AND l.kind = 'milestone' "
            "AND l.title IN ('Connector ' || c.name || ' reconnected', 'Connector reconnected')) "
            "FROM connectors c"
        )
        return {r[0]: float(r[1]) for r in found if r[1] is not None}

    # ---- runs > steps > instances > entities > calls -------------------------------------

    async def _scope_where(
        self, where: Where, connector: str | None, service: str | None, col: str
    ) -> None:
        if service:
            where.add(f"{col} = ?", await self.service_id(service))
        if connector:
            cid = await self.connector_id(connector)
            # The service ids as literals: with none (a connector no service uses), the page
            # walked every run to find nothing (1.4 ms on 19k runs); `0` answers at once.
            sids = [
                r[0]
                for r in await self._all(
                    "SELECT id FROM services WHERE source_id = ? OR destination_id = ?", (cid, cid)
                )
            ]
            if sids:
                where.add(f"{col} IN ({','.join('?' * len(sids))})", *sids)
            else:
                where.add("0")

    async def list_runs(
        self,
        *,
        connector: str | None = None,
        service: str | None = None,
        status: str | Sequence[str] | None = None,
        since: float | None = None,
        until: float | None = None,
        touching: str | None = None,
        limit: int = 20,
        after: int | None = None,
        before: int | None = None,
        failed: bool = False,
    ) -> Page[Run]:
        """`failed`: only runs with failures (status failed or partial, or a failed count)."""
        where = Where()
        await self._scope_where(where, connector, service, "r.service_id")
        if failed:
            where.add("(r.failed > 0 OR r.status IN ('failed', 'partial'))")
        if status:
            statuses = [status] if isinstance(status, str) else list(status)
            where.add(f"r.status IN ({','.join('?' * len(statuses))})", *statuses)
        # Unary + keeps the planner walking ids newest first: through the time index it sorted
        # every matching run (35 ms on 19k runs); the id walk stops after one page (0.2 ms).
        if since is not None and until is not None and since >= until:
            where.add("0")  # an empty range: no walk over every run to find nothing
        if since is not None:
            where.add("+r.started_at >= ?", since)
        if until is not None:
            where.add("+r.started_at < ?", until)
        if touching:
            where.add(
                "r.id IN (SELECT run_id FROM entities WHERE external_id = ? "
                "UNION SELECT run_id FROM entities WHERE internal_id = ?)",
                touching,
                touching,
            )
        total = None
        if since is not None or until is not None:
            # The count may use the time index (0.9 -> 0.3 ms on 19k runs); the page may not.
            counted = Where([p.replace("+r.started_at", "r.started_at") for p in where.parts],
                            list(where.params))  # fmt: skip
            total = await self._scalar(
                f"SELECT COUNT(*) FROM runs r{counted.sql()}", counted.params
            )
        return await self._keyset(
            rows.RUN_SELECT, "r", where, rows.run, newest_first=True, limit=limit,
            after=after, before=before, count_from="runs r", total=total,
        )  # fmt: skip

    async def get_run(self, run_id: int) -> Run:
        r = await self._one(f"{rows.RUN_SELECT} WHERE r.id = ?", (run_id,))
        if r is None:
            raise NotFound(f"No run #{run_id}.", "List runs with `syncdeck runs`.")
        return rows.run(r)

    async def list_steps(
        self,
        run_id: int,
        *,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
        failed: bool = False,
    ) -> Page[Step]:
        """`failed`: only steps with failed entities or a failed / partial status."""
        where = Where().add("st.run_id = ?", run_id)
        if failed:
            where.add("(st.failed > 0 OR st.status IN ('failed', 'partial'))")
        return await self._keyset(
            "SELECT st.* FROM steps st", "st", where, rows.step, newest_first=False, limit=limit,
            after=after, before=before, count_from="steps st",
        )  # fmt: skip

    async def get_step(self, step_id: int) -> Step:
        r = await self._one("SELECT * FROM steps WHERE id = ?", (step_id,))
        if r is None:
            raise NotFound(f"No step {step_id}.", "List a run's steps with `syncdeck steps RUN`.")
        return rows.step(r)

    async def list_instances(
        self,
        step_id: int,
        *,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
        text: str | None = None,
        failed: bool = False,
    ) -> Page[StepInstance]:
        """`text`: a substring of the URL, cursor or status code (every page of the step).
        `failed`: only pages answered 4xx/5xx or holding a failed entity."""
        where = Where().add("i.step_id = ?", step_id)
        if failed:
            where.add(
                "(i.status_code >= 400 OR i.id IN (SELECT e.instance_id FROM entities e "
                "WHERE e.step_id = ? AND e.status = 'failed'))",
                step_id,
            )
        if text:
            _text_filter(where, text, "i.url", "i.cursor", "CAST(i.status_code AS TEXT)")
        return await self._keyset(
            "SELECT i.* FROM instances i", "i", where, rows.instance, newest_first=False,
            limit=limit, after=after, before=before, count_from="instances i",
        )  # fmt: skip

    async def get_instance(self, instance_id: int) -> StepInstance:
        r = await self._one("SELECT * FROM instances WHERE id = ?", (instance_id,))
        if r is None:
            raise NotFound(
                f"No step instance {instance_id}.",
                "List a step's pages with `syncdeck instances STEP`.",
            )
        return rows.instance(r)

    async def list_entities(
        self,
        step_id: int,
        *,
        action: str | None = None,
        status: str | None = None,
        external_id: str | None = None,
        instance_id: int | None = None,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
    ) -> Page[Entity]:
        where = Where().add("e.step_id = ?", step_id)
        if instance_id is not None:
            where.add("e.instance_id = ?", instance_id)
        if action:
            where.add("e.action = ?", action)
        if status:
            where.add("e.status = ?", status)
        if external_id:
            where.add("(e.external_id = ? OR e.internal_id = ?)", external_id, external_id)
        return await self._keyset(
            "SELECT e.* FROM entities e", "e", where, rows.entity, newest_first=False,
            limit=limit, after=after, before=before, count_from="entities e",
        )  # fmt: skip

    async def get_entity(self, entity_id: int) -> Entity:
        r = await self._one("SELECT * FROM entities WHERE id = ?", (entity_id,))
        if r is None:
            raise NotFound(
                f"No entity {entity_id}.", "List a step's entities with `syncdeck entities STEP`."
            )
        return rows.entity(r)

    async def list_calls(
        self,
        *,
        instance_id: int | None = None,
        entity_id: int | None = None,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
        text: str | None = None,
        failed: bool = False,
    ) -> Page[ApiCall]:
        """`text`: a substring of the method, URL, params, error or status code.
        `failed`: only calls answered 4xx/5xx or with no answer (an error)."""
        where = Where()
        if instance_id is not None:
            where.add("a.instance_id = ?", instance_id)
        if entity_id is not None:
            where.add("a.entity_id = ?", entity_id)
        if not where.parts:
            raise ValueError("list_calls needs instance_id or entity_id")
        if failed:
            where.add("(a.status_code >= 400 OR a.error != '')")
        if text:
            _text_filter(where, text, "a.method", "a.url", "a.params_json", "a.error",
                         "CAST(a.status_code AS TEXT)")  # fmt: skip
        return await self._keyset(
            rows.CALL_SELECT, "a", where, rows.api_call, newest_first=False, limit=limit,
            after=after, before=before, count_from="api_calls a",
        )  # fmt: skip

    async def get_call(self, call_id: int) -> ApiCall:
        r = await self._one(f"{rows.CALL_SELECT} WHERE a.id = ?", (call_id,))
        if r is None:
            raise NotFound(f"No API call {call_id}.", "List calls with `syncdeck calls`.")
        return rows.api_call(r)

    # ---- change detection ------------------------------------------------------------------

    async def data_version(self) -> int:
        """Changes whenever another connection commits: the cheap "did anything change?"."""
        return int(await self._scalar("PRAGMA data_version"))

    async def max_ids(self) -> dict[str, int]:
        r = await self._one(
            "SELECT (SELECT MAX(id) FROM runs), (SELECT MAX(id) FROM log_events), "
            "(SELECT MAX(id) FROM entities), (SELECT MAX(id) FROM api_calls)"
        )
        return {
            k: int(v or 0) for k, v in zip(("runs", "logs", "entities", "calls"), r, strict=True)
        }


def _text_filter(where: Where, text: str, *columns: str) -> None:
    """Case-insensitive substring of any of `columns` (LIKE, wildcards in `text` escaped)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    ors = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns)
    where.add(f"({ors})", *([pattern] * len(columns)))
