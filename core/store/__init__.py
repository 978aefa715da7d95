"""The store: all SQL lives in core/store/, behind the `Store` interface (interface.py) that the
engine, the facade and the CLI use. One folder per backend: sqlite/ (the embedded default) and
postgres/ (one database shared by a fleet of workers and consoles; asyncpg is imported only when
a postgresql:// URL is opened)."""

from __future__ import annotations

import os

from ..errors import StoreError
from .interface import Store
from .location import is_postgres_url
from .page import PAGE_SIZES, Page
from .records import Batch, CallRow, Counts, EntityRow, IdMapRow, LogRow, PruneReport
from .sqlite import LATEST, open_sqlite_store
from .sqlite.db import default_db_path, resolve_db_path

__all__ = [
    "LATEST", "PAGE_SIZES", "Batch", "CallRow", "Counts", "EntityRow", "IdMapRow", "LogRow",
    "Page", "PruneReport", "Store", "default_db_path", "driver_error", "is_postgres_url",
    "open_store",
    "resolve_db_path",
]  # fmt: skip


async def open_store(
    location: str | os.PathLike[str] | None = None, *, create: bool = True, read_only: bool = False
) -> Store:
    """Open (and migrate) the store the user named: a postgresql:// (or postgres://) URL, a
    path, or else `SYNCDECK_DB` or the default file. `create=False` refuses a missing store
    with a clear message. `read_only` never writes (nor creates, nor migrates) the store."""
    if location is None or str(location) == "":
        location = os.environ.get("SYNCDECK_DB") or None
    if is_postgres_url(location):
        from .postgres import open_postgres_store

        return await open_postgres_store(
            str(location).strip(), create=create and not read_only, read_only=read_only
        )
    return await open_sqlite_store(
        resolve_db_path(location), create=create and not read_only, read_only=read_only
    )


def driver_error(exc: BaseException, location: str | os.PathLike[str] | None) -> StoreError | None:
    """A PostgreSQL driver or network error raised mid-command (the server went away, a
    statement was refused), in the user's words; None for anything else."""
    location = location or os.environ.get("SYNCDECK_DB")
    if not is_postgres_url(location):
        return None
    if not (type(exc).__module__.startswith("asyncpg") or isinstance(exc, OSError)):
        return None
    from .postgres.db import translate_error

    return translate_error(exc, str(location))
