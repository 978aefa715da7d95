"""`syncdeck db migrate`: an SQLite store's whole history and configuration into an empty
PostgreSQL database, ids kept (so every reference holds), counts checked table by table.

Nothing is written to a destination that is refused (unreachable, not empty) or for a source
that is refused (missing, not a syncdeck store, another schema). The rows
arrive in one transaction, a few thousand at a time: a failure part-way leaves no row behind.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError, UserError
from .location import is_postgres_url

BATCH_ROWS = 5000


@dataclass
class TableCount:
    table: str
    source_rows: int
    copied_rows: int | None = None  # None on a dry run


def source_path(text: str) -> Path:
    """`sqlite:///path/to/syncdeck.db` or a plain path."""
    text = (text or "").strip()
    if is_postgres_url(text):
        raise UserError(
            "db migrate copies from an SQLite store; --from names a PostgreSQL URL.",
            "Give the SQLite file: --from sqlite:///path/to/syncdeck.db (or a plain path).",
        )
    if text.lower().startswith("sqlite:///"):
        text = text[len("sqlite://") :]
    elif "://" in text or text.lower().startswith("sqlite:"):
        raise UserError(
            f"--from {text!r} is neither a path nor an sqlite:/// URL.",
            "Write it as --from sqlite:///path/to/syncdeck.db (or a plain path).",
        )
    if not text:
        raise UserError("--from is empty.", "Give the SQLite store's path.")
    return Path(os.path.expanduser(text))


def destination_url(text: str) -> str:
    text = (text or "").strip()
    if not is_postgres_url(text):
        raise UserError(
            "db migrate copies into PostgreSQL; --to is not a postgresql:// URL.",
            "Write it as --to postgresql://USER:PASSWORD@HOST:PORT/DATABASE.",
        )
    return text


@dataclass
class MigrateReport:
    tables: list[TableCount]
    running: list[int]  # runs still running in the source: copied as they were at the snapshot


async def migrate_store(
    source: str, destination: str, *, dry_run: bool = False, batch: int = BATCH_ROWS
) -> MigrateReport:
    from .postgres.copy_in import PgDestination
    from .sqlite.export import TABLES, SqliteSource

    path, url = source_path(source), destination_url(destination)
    src = SqliteSource(path)
    src.open()
    dest = PgDestination(url)
    try:
        running = [i for i, _ in src.live_runs()]
        counts = [TableCount(t, src.count(t)) for t in TABLES]
        await dest.open()
        try:
            await dest.check_empty()
            if dry_run:
                return MigrateReport(counts, running)
            await dest.prepare()
            async with dest.transaction():
                await dest.lock()
                await dest.check_empty()
                for c in counts:
                    await _copy_table(src, dest, c.table, batch)
                    c.copied_rows = await dest.count(c.table)
                    await dest.move_sequence(c.table, src.id_floor(c.table))
                wrong = [c for c in counts if c.copied_rows != c.source_rows]
                if wrong:
                    raise StoreError(
                        "The copy's counts differ from the source ("
                        + ", ".join(f"{c.table} {c.source_rows} -> {c.copied_rows}" for c in wrong)
                        + "); nothing was kept.",
                        "Stop every syncdeck process using the source store, then retry.",
                    )
        except UserError:
            raise
        except sqlite3.Error as exc:  # the source went bad mid-copy (nothing was committed)
            raise StoreError(
                f"Reading {path} failed part-way ({exc}); nothing was written.",
                "Check the file (`syncdeck db info --db PATH`), then retry.",
            ) from None
        except Exception as exc:
            if not (type(exc).__module__.startswith("asyncpg") or isinstance(exc, OSError)):
                raise
            raise dest.error(exc) from None  # a driver or network error, in the user's words
    finally:
        await dest.close()
        src.close()
    return MigrateReport(counts, running)


async def _copy_table(src: object, dest: object, table: str, batch: int) -> None:
    cols = src.columns(table)  # type: ignore[attr-defined]
    target = await dest.columns(table)  # type: ignore[attr-defined]
    missing = [c for c in cols if c not in target]
    if missing:
        raise StoreError(
            f"The destination's {table} table lacks {', '.join(missing)}.",
            "Use the same syncdeck version on both ends, then retry.",
        )
    convert = [target[c] for c in cols]
    async for rows in src.batches(table, cols, batch):  # type: ignore[attr-defined]
        await dest.copy(table, cols, convert, rows)  # type: ignore[attr-defined]
