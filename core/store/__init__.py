"""The store: all SQL lives in core/store/, behind the `Store` interface (interface.py) that the
engine, the facade and the CLI use. One folder per backend: sqlite/ (the embedded default)."""

from __future__ import annotations

import os

from .interface import Store
from .page import PAGE_SIZES, Page
from .records import Batch, CallRow, Counts, EntityRow, IdMapRow, LogRow, PruneReport
from .sqlite import LATEST, open_sqlite_store
from .sqlite.db import default_db_path, resolve_db_path

__all__ = [
    "LATEST", "PAGE_SIZES", "Batch", "CallRow", "Counts", "EntityRow", "IdMapRow", "LogRow",
    "Page", "PruneReport", "Store", "default_db_path", "open_store", "resolve_db_path",
]  # fmt: skip


async def open_store(
    location: str | os.PathLike[str] | None = None, *, create: bool = True, read_only: bool = False
) -> Store:
    """Open (and migrate) the store the user named: a path (or `SYNCDECK_DB`, or the default
    file). `create=False` refuses a missing store with a clear message. `read_only` never
    writes (nor creates, nor migrates) the store."""
    return await open_sqlite_store(
        resolve_db_path(location), create=create and not read_only, read_only=read_only
    )
