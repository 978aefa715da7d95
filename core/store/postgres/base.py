"""Query helpers every PostgreSQL mixin uses: `?` placeholders, a pool, transactions that
announce their commit (NOTIFY), and keyset pages.

The SQL in this package is written with `?` placeholders, like the SQLite backend's, and turned
into PostgreSQL's `$1, $2, ...` once per statement text (cached), so the shared `Where` builder
works on both backends.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from ...errors import StoreFull
from ..page import MAX_PAGE_SIZE, Page, Where

T = TypeVar("T")
CHANNEL = "syncdeck_changes"


@functools.lru_cache(maxsize=1024)
def pg_sql(sql: str) -> str:
    """`?` -> `$n` outside string literals and quoted names."""
    out: list[str] = []
    n = 0
    quote = ""
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            n += 1
            out.append(f"${n}")
            continue
        out.append(ch)
    return "".join(out)


DISK_FULL = "53100"  # SQLSTATE disk_full: raised as StoreFull, like SQLite's SQLITE_FULL


class PgConn:
    """One connection inside a transaction, with the SQLite backend's calling style
    (`execute(sql, params)`, `executemany(sql, rows)`) so callers need not know the driver."""

    def __init__(self, conn: Any) -> None:
        self.raw = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Runs one statement; returns the number of rows it touched."""
        status = await self.raw.execute(pg_sql(sql), *params)
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            await self.raw.executemany(pg_sql(sql), rows)

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return await self.raw.fetch(pg_sql(sql), *params)

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self.raw.fetchval(pg_sql(sql), *params)


class PgBase:
    """Mixed into PostgresStore first: `self.pool` is an asyncpg pool."""

    pool: Any

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return await self.pool.fetch(pg_sql(sql), *params)

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self.pool.fetchrow(pg_sql(sql), *params)

    async def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self.pool.fetchval(pg_sql(sql), *params)

    @asynccontextmanager
    async def transaction(self, notify: str = "write") -> AsyncIterator[PgConn]:
        """BEGIN ... COMMIT on a pooled connection; rolled back on any error. A committed
        write sends one NOTIFY (delivered at commit, never for a rollback), so a console on
        any host learns of it at once."""
        try:
            async with self.pool.acquire() as conn, conn.transaction():
                yield PgConn(conn)
                if notify:
                    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, notify)
        except Exception as exc:
            if getattr(exc, "sqlstate", None) == DISK_FULL:
                raise StoreFull(
                    "The disk of the PostgreSQL server holding the store is full.",
                    "Free some space there; reads still work meanwhile.",
                ) from exc
            raise

    async def _keyset(
        self,
        select: str,
        alias: str,
        where: Where,
        convert: Callable[[Any], T],
        *,
        newest_first: bool,
        limit: int,
        after: int | None,
        before: int | None,
        count_from: str,
        total: int | None = None,
        key: str | None = None,
    ) -> Page[T]:
        """One page: `after` moves on in list order, `before` moves back; total via COUNT(*)
        unless the caller knows it. Same contract as the SQLite backend's."""
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
        page = self._all(sql, [*page_where.params, limit + 1])
        if total is None:  # the page and its total on two pooled connections at once
            counted = self._scalar(f"SELECT COUNT(*) FROM {count_from}{where.sql()}", where.params)
            found, total = await asyncio.gather(page, counted)
        else:
            found = await page
        fetched = list(found)
        more = len(fetched) > limit
        fetched = fetched[:limit]
        if going_back:
            fetched.reverse()
            has_prev, has_next = more, True
        else:
            has_prev, has_next = after is not None, more
        return Page(
            items=[convert(r) for r in fetched],
            total=int(total or 0),
            has_next=has_next,
            has_prev=has_prev,
            limit=limit,
        )


def text_filter(where: Where, text: str, *columns: str) -> None:
    """Case-insensitive substring of any of `columns` (ILIKE, wildcards in `text` escaped);
    the log's title and details have trigram (pg_trgm) indexes that serve it."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    ors = " OR ".join(f"{c} ILIKE ?" for c in columns)
    where.add(f"({ors})", *([pattern] * len(columns)))
