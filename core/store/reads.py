"""Reads: every list keyset-paged on id with a total count; tiles; id and text search."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import aiosqlite

from ..errors import NotFound
from ..models import (
    ApiCall,
    Connector,
    ConnectorTiles,
    Entity,
    LogEvent,
    Run,
    SearchHit,
    Service,
    Step,
    StepInstance,
    Tiles,
)
from ..timeutil import now, to_dt
from . import rows
from .page import MAX_PAGE_SIZE, Page, Where

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
    ) -> Page[Run]:
        where = Where()
        await self._scope_where(where, connector, service, "r.service_id")
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
        self, run_id: int, *, limit: int = 50, after: int | None = None, before: int | None = None
    ) -> Page[Step]:
        where = Where().add("st.run_id = ?", run_id)
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
    ) -> Page[StepInstance]:
        """`text`: a substring of the URL, cursor or status code (every page of the step)."""
        where = Where().add("i.step_id = ?", step_id)
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
    ) -> Page[ApiCall]:
        """`text`: a substring of the method, URL, params, error or status code."""
        where = Where()
        if instance_id is not None:
            where.add("a.instance_id = ?", instance_id)
        if entity_id is not None:
            where.add("a.entity_id = ?", entity_id)
        if not where.parts:
            raise ValueError("list_calls needs instance_id or entity_id")
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

    # ---- log events ------------------------------------------------------------------------

    async def _log_where(
        self,
        *,
        level: str | Sequence[str] | None,
        kind: str | None,
        connector: str | None,
        service: str | None,
        run_id: int | None,
        since: float | None,
        until: float | None,
        text: str | None,
    ) -> Where:
        where = Where()
        if level:
            levels = [level] if isinstance(level, str) else list(level)
            where.add(f"l.level IN ({','.join('?' * len(levels))})", *[v.upper() for v in levels])
        if kind:
            where.add("l.kind = ?", kind)
        if connector:
            where.add("l.connector_id = ?", await self.connector_id(connector))
        if service:
            where.add("l.service_id = ?", await self.service_id(service))
        if run_id is not None:
            where.add("l.run_id = ?", run_id)
        if since is not None:
            where.add("l.ts >= ?", since)
        if until is not None:
            where.add("l.ts < ?", until)
        if text:
            if len(text) >= 3:
                where.add(
                    "l.id IN (SELECT rowid FROM log_fts WHERE log_fts MATCH ?)", fts_query(text)
                )
            else:  # the trigram index needs three characters
                pattern = (
                    "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                )
                where.add(
                    "(l.title LIKE ? ESCAPE '\\' OR l.details LIKE ? ESCAPE '\\')", pattern, pattern
                )
        return where

    async def list_logs(
        self,
        *,
        level: str | Sequence[str] | None = None,
        kind: str | None = None,
        connector: str | None = None,
        service: str | None = None,
        run_id: int | None = None,
        since: float | None = None,
        until: float | None = None,
        text: str | None = None,
        limit: int = 20,
        after: int | None = None,
        before: int | None = None,
    ) -> Page[LogEvent]:
        fts = bool(text) and len(text or "") >= 3
        where = await self._log_where(
            level=level, kind=kind, connector=connector, service=service, run_id=run_id,
            since=since, until=until, text=None if fts else text,
        )  # fmt: skip
        total = None
        if fts:
            return await self._text_logs(where, fts_query(text or ""), limit, after, before)
        if not (run_id is not None or until is not None or text):
            total = await self._counted_logs(level, kind, connector, since, service)
        return await self._keyset(
            rows.LOG_SELECT, "l", where, rows.log_event, newest_first=True, limit=limit,
            after=after, before=before, count_from="log_events l", total=total,
        )  # fmt: skip

    async def _text_logs(
        self, where: Where, phrase: str, limit: int, after: int | None, before: int | None
    ) -> Page[LogEvent]:
        """Full-text matches driven by the FTS index in rowid order, so a page stops after
        `limit` matches (an `id IN (MATCH ...)` subquery built every match first: 31 -> 1.7 ms
        for a phrase in 16k of 141k events). The total still counts every match."""
        joined = "log_fts f JOIN log_events l ON l.id = f.rowid"
        others = list(where.parts)
        where = Where(["log_fts MATCH ?", *others], [phrase, *where.params])
        total = None
        if not others:
            total = await self._scalar(
                "SELECT COUNT(*) FROM log_fts WHERE log_fts MATCH ?", (phrase,)
            )
        select = rows.LOG_SELECT.replace("FROM log_events l", f"FROM {joined}")
        return await self._keyset(
            select, "l", where, rows.log_event, newest_first=True, limit=limit, after=after,
            before=before, count_from=joined, total=total, key="f.rowid",
        )  # fmt: skip

    async def _counted_logs(
        self,
        level: str | Sequence[str] | None,
        kind: str | None,
        connector: str | None,
        since: float | None,
        service: str | None = None,
    ) -> int:
        """The total of a level/kind/connector/service/since filter from the daily counters
        (by service: COUNT(*) of 46k events 0.6 ms, the counters under 0.1 ms): whole days
        from log_counts, the first partial day counted exactly (COUNT(*) over half of 10M rows
        took 3-5 ms; this takes well under 1 ms)."""
        where = Where()
        exact = Where()
        if level:
            levels = [v.upper() for v in ([level] if isinstance(level, str) else level)]
            where.add(f"level IN ({','.join('?' * len(levels))})", *levels)
            exact.add(f"level IN ({','.join('?' * len(levels))})", *levels)
        if kind:
            where.add("kind = ?", kind)
            exact.add("kind = ?", kind)
        if connector:
            cid = await self.connector_id(connector)
            where.add("connector_id = ?", cid)
            exact.add("connector_id = ?", cid)
        if service:
            sid = await self.service_id(service)
            where.add("service_id = ?", sid)
            exact.add("service_id = ?", sid)
        partial = 0
        if since is not None:
            first_full_day = int(since // DAY) + 1
            where.add("day >= ?", first_full_day)
            exact.add("ts >= ?", since).add("ts < ?", first_full_day * DAY)
            partial = await self._scalar(
                f"SELECT COUNT(*) FROM log_events{exact.sql()}", exact.params
            )
        whole = await self._scalar(f"SELECT SUM(n) FROM log_counts{where.sql()}", where.params)
        return int(whole or 0) + int(partial or 0)

    async def count_logs_after(self, after_id: int, **filters: Any) -> int:
        """How many matching events are newer than `after_id` (the "N new" while paused)."""
        where = await self._log_where(**{**_LOG_FILTER_DEFAULTS, **filters})
        where.add("l.id > ?", after_id)
        return int(
            await self._scalar(f"SELECT COUNT(*) FROM log_events l{where.sql()}", where.params)
        )

    async def get_log(self, event_id: int) -> LogEvent:
        r = await self._one(f"{rows.LOG_SELECT} WHERE l.id = ?", (event_id,))
        if r is None:
            raise NotFound(f"No log event {event_id}.", "List events with `syncdeck logs`.")
        return rows.log_event(r)

    # ---- tiles -----------------------------------------------------------------------------

    async def _counts_since(self, since: float, connector_id: int | None) -> dict[int, dict]:
        """Per connector id: {level: n, 'last': ts}. Whole days from the counters, the first
        partial day counted exactly from the events."""
        first_full_day = int(since // DAY) + 1
        cfilter = "" if connector_id is None else " AND connector_id = ?"
        cparams: list[Any] = [] if connector_id is None else [connector_id]
        out: dict[int, dict] = {}
        for r in await self._all(
            "SELECT connector_id, level, SUM(n), MAX(last_ts) FROM log_counts "
            f"WHERE day >= ?{cfilter} GROUP BY 1, 2",
            [first_full_day, *cparams],
        ):
            _add_count(out, r[0], r[1], r[2], r[3])
        lcfilter = "" if connector_id is None else " AND l.connector_id = ?"
        for r in await self._all(
            "SELECT COALESCE(l.connector_id, 0), l.level, COUNT(*), MAX(l.ts) FROM log_events l "
            f"WHERE l.ts >= ? AND l.ts < ?{lcfilter} GROUP BY 1, 2",
            [since, first_full_day * DAY, *cparams],
        ):
            _add_count(out, r[0], r[1], r[2], r[3])
        return out

    async def tiles(
        self, *, connector: str | None = None, service: str | None = None, days: int = 30
    ) -> Tiles:
        since = now() - days * DAY
        if service:
            # Services have no counters of their own: count their events directly (indexed).
            sid = await self.service_id(service)
            found = await self._all(
                "SELECT level, COUNT(*), MAX(ts) FROM log_events WHERE service_id = ? AND ts >= ? "
                "GROUP BY level",
                (sid, since),
            )
            by_level = {r[0]: r[1] for r in found}
            last = max((r[2] for r in found), default=None)
            return Tiles(
                total=sum(by_level.values()), errors=by_level.get("ERROR", 0),
                warnings=by_level.get("WARNING", 0), last_update=to_dt(last),
                scope=f"service {service}",
            )  # fmt: skip
        cid = await self.connector_id(connector) if connector else None
        counts = await self._counts_since(since, cid)
        merged: dict = {}
        for per in counts.values():
            for key, value in per.items():
                merged[key] = (
                    max(merged.get(key, 0), value)
                    if key == "last"
                    else (merged.get(key, 0) + value)
                )
        return Tiles(
            total=sum(v for k, v in merged.items() if k != "last"),
            errors=merged.get("ERROR", 0),
            warnings=merged.get("WARNING", 0),
            last_update=to_dt(merged.get("last")),
            scope=f"connector {connector}" if connector else "all",
        )

    async def connector_tiles(self, days: int = 30) -> list[ConnectorTiles]:
        counts = await self._counts_since(now() - days * DAY, None)
        synced = await self.last_synced_by_connector()
        out = []
        for r in await self._all("SELECT id, name FROM connectors ORDER BY name"):
            per = counts.get(r[0], {})
            out.append(
                ConnectorTiles(
                    connector=r[1],
                    total=sum(v for k, v in per.items() if k != "last"),
                    errors=per.get("ERROR", 0),
                    warnings=per.get("WARNING", 0),
                    last_update=to_dt(per.get("last")),
                    last_synced_at=to_dt(synced.get(r[0])),
                )
            )
        return out

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
            select, "e", where, _search_hit, newest_first=True, limit=limit, after=after,
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


_LOG_FILTER_DEFAULTS: dict[str, Any] = dict(
    level=None,
    kind=None,
    connector=None,
    service=None,
    run_id=None,
    since=None,
    until=None,
    text=None,
)


def _text_filter(where: Where, text: str, *columns: str) -> None:
    """Case-insensitive substring of any of `columns` (LIKE, wildcards in `text` escaped)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    ors = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns)
    where.add(f"({ors})", *([pattern] * len(columns)))


def _add_count(out: dict, connector_id: int, level: str, n: int, last: float | None) -> None:
    per = out.setdefault(connector_id, {})
    per[level] = per.get(level, 0) + (n or 0)
    if last is not None and (n or 0) > 0:
        per["last"] = max(per.get("last", last), last)


def _search_hit(r: sqlite3.Row) -> SearchHit:
    return SearchHit(
        run_id=r["run_id"],
        step_id=r["step_id"],
        entity_id=r["id"],
        service=r["service"] or "",
        stream=r["stream"],
        external_id=r["external_id"],
        internal_id=r["internal_id"],
        action=r["action"],
        status=r["status"],
        reason=r["reason"],
        at=to_dt(r["created_at"]),
    )
