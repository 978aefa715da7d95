"""Opening the store: where the file lives, pragmas, migrations and the errors a user can fix."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

import aiosqlite
import platformdirs

from ...errors import StoreError
from .schema import LATEST, MIGRATIONS

BUSY_TIMEOUT_MS = 5000


def default_db_path() -> Path:
    env = os.environ.get("SYNCDECK_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("syncdeck", appauthor=False)) / "syncdeck.db"


def resolve_db_path(path: str | os.PathLike[str] | None) -> Path:
    return Path(path).expanduser() if path else default_db_path()


def _missing_message(path: Path) -> StoreError:
    return StoreError(
        f"No store at {path}.",
        "Create one with `syncdeck demo --seed-only` or `syncdeck config import FILE`, "
        "or point --db / SYNCDECK_DB at an existing store.",
    )


def translate_error(exc: Exception, path: Path) -> StoreError:
    """Turn sqlite3's wording into the user's: what is wrong and what to do."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"The store {path} is locked by another process.",
            "Wait for it to finish (a long prune or import), or stop it, then try again.",
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"The store {path} is not a readable syncdeck database (it may be corrupt).",
            "Restore it from a backup, or move it aside and start a new store.",
        )
    if "unable to open" in text or "readonly" in text or "permission" in text:
        return StoreError(
            f"Cannot open the store {path}: {exc}.",
            "Check that the file and its folder exist and that you may read and write them, "
            "or add --read-only to only look at it.",
        )
    if "disk" in text and "full" in text:
        return StoreError(f"The disk holding {path} is full.", "Free some space, then retry.")
    return StoreError(f"The store {path} could not be used: {exc}.", "Check the file, then retry.")


async def _thread_stopped(conn: aiosqlite.Connection) -> None:
    """After a failed connect aiosqlite stops its worker thread, which then answers on this event
    loop: wait for it, or it finds the loop closed and prints a traceback after our message."""
    thread = getattr(conn, "_thread", None)
    if thread is not None:
        await asyncio.to_thread(thread.join, 5)


def readonly_uris(path: Path) -> list[str]:
    """The URIs a read-only open tries, in order. `mode=ro` reads a live store (it needs the
    -shm file beside it, created if missing). When the folder may not be written (a closed store
    shared read-only: no -wal, no -shm) that fails, and `immutable=1` reads the file as it is:
    only offered when no WAL holds pages, since immutable ignores them."""
    base = "file:" + quote(str(path.resolve()), safe="/")
    uris = [f"{base}?mode=ro"]
    wal = Path(f"{path}-wal")
    if not (wal.exists() and wal.stat().st_size > 0):
        uris.append(f"{base}?immutable=1")
    return uris


def _check_file(path: Path, *, create: bool) -> None:
    if not create and not path.exists():
        raise _missing_message(path)
    if not create and path.is_file() and path.stat().st_size == 0:
        raise StoreError(
            f"The store {path} is an empty file, not a syncdeck store.",
            "Create one with `syncdeck demo --seed-only`, or point --db at an existing store.",
        )
    if path.exists() and not os.access(path, os.R_OK):
        raise StoreError(
            f"Cannot read the store {path}: permission denied.",
            f"Ask its owner, or run `chmod u+rw {path}` if it is yours.",
        )
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the folder for the store {path}: {exc.strerror}.",
                "Choose another path with --db.",
            ) from None
    if path.is_dir():
        raise StoreError(
            f"{path} is a folder, not a store file.",
            f"Point --db at a file, for example --db {path / 'syncdeck.db'}.",
        )


async def open_connection(
    path: Path, *, create: bool, readonly: bool = False
) -> aiosqlite.Connection:
    """Open, configure and migrate one connection. Raises StoreError in the user's words.
    `readonly`: SQLite's read-only URI modes; nothing is written, nothing migrated."""
    try:
        _check_file(path, create=create and not readonly)
    except OSError as exc:  # a name too long, a loop of links, a path through a file...
        raise StoreError(
            f"Cannot use {str(path)[:120]} as the store: {exc.strerror or exc}.",
            "Choose another path with --db.",
        ) from None
    if not readonly:
        return await _open(path, str(path), readonly=False)
    uris = readonly_uris(path)
    for n, uri in enumerate(uris):
        try:
            return await _open(path, uri, readonly=True)
        except _CannotOpen as exc:
            if n == len(uris) - 1:
                raise translate_error(exc.error, path) from None
    raise AssertionError("unreachable")


class _CannotOpen(Exception):
    def __init__(self, error: sqlite3.Error) -> None:
        super().__init__(str(error))
        self.error = error


async def _open(path: Path, target: str, *, readonly: bool) -> aiosqlite.Connection:
    conn = aiosqlite.connect(
        target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, uri=readonly
    )
    try:
        await conn
    except sqlite3.Error as exc:
        await _thread_stopped(conn)
        raise translate_error(exc, path) from None
    try:
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            version = (await (await conn.execute("PRAGMA user_version")).fetchone())[0]
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if readonly and ("unable to open" in text or "readonly" in text):
                raise _CannotOpen(exc) from None
            raise
        await _configure(conn, path, version, readonly=readonly)
    except (StoreError, _CannotOpen):
        await conn.close()
        raise
    except sqlite3.Error as exc:
        await conn.close()
        raise translate_error(exc, path) from None
    return conn


async def _configure(
    conn: aiosqlite.Connection, path: Path, version: int, *, readonly: bool
) -> None:
    if version == 0 and (
        await (await conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")).fetchone()
    ):
        raise StoreError(
            f"The file {path} is an SQLite database but not a syncdeck store.",
            "Point --db at a syncdeck store, or at a new file to start one.",
        )
    if version > LATEST:
        raise StoreError(
            f"The store {path} was written by a newer syncdeck (schema {version}; "
            f"this one knows {LATEST}).",
            "Upgrade syncdeck (pip install -U syncdeck), or use another store with --db.",
        )
    if not readonly:
        mode = (await (await conn.execute("PRAGMA journal_mode = WAL")).fetchone())[0]
        if mode.lower() != "wal":
            raise StoreError(
                f"The store {path} cannot use WAL mode (got {mode}).",
                "Keep the store on a local disk, not a network filesystem.",
            )
        await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA foreign_keys = OFF")
    await conn.execute("PRAGMA temp_store = MEMORY")
    await conn.execute("PRAGMA cache_size = -65536")
    # Checkpoint every ~40 MB of WAL instead of 4 MB: sustained writes went 26k -> 41k rows/s
    # on a 10M-call store (bench_store), readers are unaffected.
    await conn.execute("PRAGMA wal_autocheckpoint = 10000")
    if version < LATEST:
        if readonly:
            raise StoreError(
                f"The store {path} has an older schema ({version}) and needs an upgrade.",
                "Run any syncdeck command without --read-only once to upgrade it in place.",
            )
        await migrate(conn, version)


async def migrate(conn: aiosqlite.Connection, current: int, target: int = LATEST) -> None:
    """Upgrade in place, one version per transaction, without losing a row."""
    for version in range(current + 1, target + 1):
        script = MIGRATIONS[version - 1]
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check under the write lock: another process may have migrated meanwhile.
            now_at = (await (await conn.execute("PRAGMA user_version")).fetchone())[0]
            if now_at >= version:
                await conn.execute("ROLLBACK")
                continue
            for statement in _statements(script):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {version}")
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    out: list[str] = []
    buf = ""
    for line in script.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
