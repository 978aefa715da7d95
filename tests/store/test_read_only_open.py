"""A store the user may only read opens with SQLite's read-only URI modes (issue 10, item 14).

The real case: a closed store (no -wal / -shm) in a folder nobody may write to. Tests run as
root, so permission bits would not stop them: the folder is a read-only bind mount instead
(`mount --bind` + `remount,ro`, a real EROFS for every process, root included).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.store import open_store
from core.store.sqlite.db import readonly_uris

ROOT = Path(__file__).resolve().parents[2]


async def _make_store(path: Path, runs: int = 3) -> None:
    store = await open_store(path, create=True)
    try:
        cid = await store.upsert_connector("crm", base_url="https://crm.example")
        sid = await store.upsert_service("crm-to-erp", source_id=cid, destination_id=cid)
        for _ in range(runs):
            run = await store.start_run(sid, sync_type="full", trigger="manual")
            await store.update_run(run, status="success", finished_at=1.0)
    finally:
        await store.close()


@pytest.fixture
def ro_folder(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable source folder, the same folder mounted read-only)."""
    src, ro = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    ro.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(src), str(ro)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        yield src, ro
    finally:
        subprocess.run(["umount", str(ro)], check=True)


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *argv], cwd=ROOT, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


async def test_read_only_runs_on_a_store_in_a_read_only_folder(ro_folder) -> None:
    src, ro = ro_folder
    await _make_store(src / "s.db")
    assert sorted(p.name for p in src.iterdir()) == ["s.db"]  # closed: no -wal, no -shm
    digest = hashlib.sha256((src / "s.db").read_bytes()).hexdigest()
    out = _cli("--read-only", "--db", str(ro / "s.db"), "runs", "--json")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["items"]) == 3
    out = _cli("--read-only", "--db", str(ro / "s.db"), "db", "info")
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in src.iterdir()) == ["s.db"]
    assert hashlib.sha256((src / "s.db").read_bytes()).hexdigest() == digest


async def test_writing_command_on_a_read_only_folder_is_one_clear_line(ro_folder) -> None:
    src, ro = ro_folder
    await _make_store(src / "s.db")
    out = _cli("--db", str(ro / "s.db"), "runs")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "--read-only" in out.stderr


async def test_read_only_open_never_writes_and_sees_a_live_writer(tmp_path: Path) -> None:
    """Folder writable, a writer has the store open (WAL): read-only sees its commits."""
    path = tmp_path / "s.db"
    await _make_store(path, runs=1)
    writer = await open_store(path, create=False)
    try:
        reader = await open_store(path, create=False, read_only=True)
        try:
            assert (await reader.list_runs()).total == 1
            sid = (await writer.list_services())[0].id
            await writer.start_run(sid, sync_type="full", trigger="manual")
            assert (await reader.list_runs()).total == 2
            with pytest.raises(Exception, match="readonly"):
                await reader.start_run(sid, sync_type="full", trigger="manual")
        finally:
            await reader.close()
    finally:
        await writer.close()


def test_uri_modes(tmp_path: Path) -> None:
    """mode=ro first; immutable=1 only as the fallback when nothing may be written beside the
    file and no writer has a WAL open (immutable would ignore a WAL's pages)."""
    path = tmp_path / "a b?#.db"
    path.write_bytes(b"")
    uris = readonly_uris(path)
    assert uris[0].endswith("?mode=ro") and "a%20b%3F%23.db" in uris[0]
    assert uris[1].endswith("?immutable=1")
    Path(f"{path}-wal").write_bytes(b"x" * 32)
    assert len(readonly_uris(path)) == 1  # a live WAL: never immutable
