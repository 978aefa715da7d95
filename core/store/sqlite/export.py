"""Reading a whole SQLite store for `db migrate`: checks that it is a syncdeck store at this
syncdeck's schema, then streams each table in batches from one read snapshot (a 1M-row store
is never held in memory)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

from ...errors import StoreError
from .schema import LATEST

# Copied, in this order (configuration first, then history). Left out: the log counters and the
# FTS index (the destination rebuilds its own), workers and schedule fires (per host, live).
TABLES = (
    "connectors", "services", "config_files", "value_mappings", "id_map", "stream_state",
    "samples", "undo_log", "runs", "steps", "instances", "entities", "api_calls", "payloads",
    "log_events",
)  # fmt: skip
REQUIRED = ("connectors", "services", "runs", "log_events")


class SqliteSource:
    """One read-only connection to the source file, one read transaction for the whole copy."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn: sqlite3.Connection | None = None

    def open(self) -> None:
        shown = str(self.path)
        if not self.path.is_file():
            raise StoreError(f"No store file at {shown}.", "Check the path given to --from.")
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error as exc:
            raise StoreError(
                f"{shown} is not a syncdeck store ({exc}).", "Check the path given to --from."
            ) from None
        if any(t not in names for t in REQUIRED):
            conn.close()
            raise StoreError(f"{shown} is not a syncdeck store.", "Check the path given to --from.")
        if version != LATEST:
            conn.close()
            if version > LATEST:
                raise StoreError(
                    f"{shown} was written by a newer syncdeck (schema {version}; this one "
                    f"knows {LATEST}).",
                    "Upgrade syncdeck (pip install -U syncdeck), then retry.",
                )
            raise StoreError(
                f"{shown} has an older schema ({version}; this syncdeck writes {LATEST}).",
                f"Upgrade it in place first (`syncdeck db info --db {shown}`), then retry.",
            )
        conn.execute("BEGIN")  # one snapshot: counts and rows agree even if a worker writes
        self.conn = conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def columns(self, table: str) -> list[str]:
        assert self.conn is not None
        return [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]

    def count(self, table: str) -> int:
        assert self.conn is not None
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def live_runs(self) -> list[tuple[int, str]]:
        """Runs marked running in the snapshot (a worker may still be writing them)."""
        assert self.conn is not None
        sql = "SELECT id, status FROM runs WHERE status = 'running' ORDER BY id LIMIT 20"
        return [(int(r[0]), str(r[1])) for r in self.conn.execute(sql)]

    def id_floor(self, table: str) -> int:
        """The highest id the table ever gave (AUTOINCREMENT remembers deleted ones)."""
        assert self.conn is not None
        if "id" not in self.columns(table):
            return 0
        top = self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
        try:
            row = self.conn.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)
            ).fetchone()
        except sqlite3.OperationalError:  # no AUTOINCREMENT table at all
            row = None
        return max(int(top), int(row[0]) if row else 0)

    async def batches(self, table: str, cols: list[str], size: int) -> AsyncIterator[list[tuple]]:
        assert self.conn is not None
        cur = self.conn.execute(f"SELECT {', '.join(cols)} FROM {table}")
        try:
            while rows := await asyncio.to_thread(cur.fetchmany, size):
                yield rows
        finally:
            cur.close()
