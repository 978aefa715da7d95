"""The PostgreSQL end of `db migrate`: an empty destination is checked (and migrated), then
every table arrives by COPY in batches inside one transaction, ids kept, identity sequences
moved past them, counts checked before the commit (a failure leaves no row behind)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import StoreError
from ..location import display_url
from .db import MIGRATION_LOCK, create_pool, current_version, prepare, translate_error
from .hot_path import body
from .schema import IDENTITY_TABLES


def _text(v: Any) -> Any:
    """SQLite text as PostgreSQL text, which cannot hold NUL: that one character becomes
    U+FFFD (a stored API error quoting a NUL must not make the whole store unmovable)."""
    if v is None:
        return v
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    elif not isinstance(v, str):
        v = str(v)
    return v.replace("\x00", "\ufffd") if "\x00" in v else v


def _int(v: Any) -> Any:
    return v if v is None or isinstance(v, int) else int(v)


def _float(v: Any) -> Any:
    return v if v is None or isinstance(v, float) else float(v)


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "text": _text, "bigint": _int, "integer": _int, "smallint": _int,
    "double precision": _float, "bytea": body,
}  # fmt: skip


class PgDestination:
    """A connection to the destination database for the whole copy."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.shown = display_url(url)
        self.pool: Any = None
        self.conn: Any = None

    async def open(self) -> None:
        self.pool = await create_pool(self.url, max_size=1)
        self.conn = await self.pool.acquire()

    async def close(self) -> None:
        if self.pool is not None:
            if self.conn is not None:
                await self.pool.release(self.conn)
            self.pool.terminate()
            self.pool = self.conn = None

    async def _tables(self) -> list[str]:
        return [r[0] for r in await self.conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]  # fmt: skip

    async def check_empty(self) -> None:
        """Refuse a database holding anything: syncdeck rows, or tables of something else."""
        version = await current_version(self.conn)
        tables = await self._tables()
        if version is None:
            if tables:
                raise StoreError(
                    f"The database {self.shown} already holds tables ({', '.join(tables[:3])}"
                    f"{', ...' if len(tables) > 3 else ''}) and no syncdeck store.",
                    "Migrate into an empty database of its own (createdb), then retry.",
                )
            return
        for table in sorted(t for t in tables if t not in ("syncdeck_schema", "log_counts")):
            if await self.conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
                raise StoreError(
                    f"The store {self.shown} already holds data (table {table}).",
                    "Migrate into an empty database (createdb a new one), then retry; "
                    "nothing was written.",
                )

    async def prepare(self) -> None:
        """Create (or upgrade) the syncdeck schema in the empty database."""
        await prepare(self.conn, self.url, create=True)

    async def columns(self, table: str) -> dict[str, Callable[[Any], Any]]:
        rows = await self.conn.fetch(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1", table,
        )  # fmt: skip
        return {r[0]: _CONVERT.get(r[1], lambda v: v) for r in rows}

    def transaction(self) -> Any:
        return self.conn.transaction()

    async def lock(self) -> None:
        """Inside the copy's transaction: no migration or second copy meanwhile."""
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)

    async def copy(
        self, table: str, cols: list[str], convert: list[Any], rows: list[tuple]
    ) -> None:
        records = [tuple(f(v) for f, v in zip(convert, r, strict=True)) for r in rows]
        await self.conn.copy_records_to_table(table, records=records, columns=cols)

    async def count(self, table: str) -> int:
        return int(await self.conn.fetchval(f"SELECT COUNT(*) FROM {table}"))

    async def move_sequence(self, table: str, floor: int) -> None:
        """The next id the table gives is past every copied one (and past the source's)."""
        if table not in IDENTITY_TABLES or floor < 1:
            return
        await self.conn.execute(
            "SELECT setval(pg_get_serial_sequence($1, 'id'), $2::bigint)", table, floor
        )

    def error(self, exc: Exception) -> StoreError:
        return translate_error(exc, self.url)
