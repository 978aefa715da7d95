"""Opening the store: missing, corrupt, newer-version, foreign, empty and locked files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.errors import StoreError
from core.store import LATEST, open_store
from core.store.sqlite import db as store_db


async def test_missing_file_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nope.db"
    with pytest.raises(StoreError, match="No store at"):
        await open_store(path, create=False)
    assert not path.exists()


async def test_create_makes_a_migrated_wal_store(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.db"
    async with await open_store(path) as store:
        assert await store.schema_version() == LATEST
        info = await store.info()
    assert info["journal_mode"] == "wal"
    assert path.exists()


async def test_corrupt_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    junk = b"this is not sqlite at all " * 400
    path.write_bytes(junk)
    with pytest.raises(StoreError, match="not a readable syncdeck database"):
        await open_store(path, create=False)
    assert path.read_bytes() == junk


def _sqlite_file(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


async def test_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    _sqlite_file(path, "CREATE TABLE x (a)", f"PRAGMA user_version = {LATEST + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer syncdeck") as exc:
        await open_store(path, create=False)
    assert f"schema {LATEST + 1}" in exc.value.message
    assert "Upgrade syncdeck" in exc.value.hint
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


async def test_foreign_sqlite_database_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "other-app.db"
    _sqlite_file(path, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('mine')")
    before = path.read_bytes()
    for create in (False, True):
        with pytest.raises(StoreError, match="not a syncdeck store"):
            await open_store(path, create=create)
    assert path.read_bytes() == before


async def test_empty_file_is_missing_for_readers(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreError, match="empty"):
        await open_store(path, create=False)
    assert path.stat().st_size == 0
    async with await open_store(path, create=True) as store:  # a writer may start it
        assert await store.schema_version() == LATEST


async def test_locked_store_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "locked.db"
    async with await open_store(path):
        pass
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            await open_store(path, create=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root reads any file",
)
async def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    async with await open_store(path):
        pass
    path.chmod(0)
    try:
        with pytest.raises(StoreError, match="permission denied"):
            await open_store(path, create=False)
    finally:
        path.chmod(0o600)
