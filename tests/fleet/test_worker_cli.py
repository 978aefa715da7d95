"""`syncdeck worker` refuses a SQLite store on a network filesystem; `syncdeck workers` lists
the fleet (table and --json); `syncdeck run --queue` queues for a worker; bad flags are one
line, exit 2."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from core.cli import main
from core.store import open_store
from core.store.sqlite import mounts


def _fake_mounts(tmp_path: Path, point: Path, fstype: str) -> Path:
    table = tmp_path / "mounts"
    table.write_text(
        "/dev/sda1 / ext4 rw,relatime 0 0\n"
        f"server:/export {str(point).replace(' ', chr(92) + '040')} {fstype} rw 0 0\n"
    )
    return table


async def _close(opening) -> None:
    await (await opening).close()


@pytest.mark.parametrize("fstype", ["nfs4", "cifs", "fuse.sshfs"])
def test_network_filesystem_is_found_by_the_longest_mount(tmp_path, fstype) -> None:
    share = tmp_path / "a share"
    share.mkdir()
    table = _fake_mounts(tmp_path, share, fstype)
    assert mounts.network_filesystem(share / "store.db", table) == fstype
    assert mounts.network_filesystem(tmp_path / "store.db", table) is None


def test_worker_on_a_network_mount_is_one_line_exit_2(tmp_path, monkeypatch, capsys) -> None:
    share = tmp_path / "share"
    share.mkdir()
    monkeypatch.setattr(mounts, "MOUNTS", _fake_mounts(tmp_path, share, "nfs4"))
    db = share / "store.db"
    asyncio.run(_close(open_store(db)))
    assert main(["worker", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "network filesystem (nfs4)" in err
    assert "postgresql://" in err and "Traceback" not in err

    async def count() -> int:
        async with await open_store(db, create=False) as st:
            return len(await st.list_workers(include_stopped=True))

    assert asyncio.run(count()) == 0  # nothing registered


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["worker", "--lease", "0.5", "--heartbeat", "1"], "at least two heartbeats"),
        (["worker", "--lease", "abc"], "not a number of seconds"),
        (["worker", "--concurrency", "0"], "worker"),
    ],
)
def test_worker_bad_flags(tmp_path, capsys, argv, words) -> None:
    asyncio.run(_close(open_store(tmp_path / "s.db")))
    assert main([*argv, "--db", str(tmp_path / "s.db")]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_workers_lists_the_fleet_with_stale_ones_marked(tmp_path, capsys) -> None:
    db = tmp_path / "s.db"

    async def seed() -> None:
        async with await open_store(db) as st:
            c = await st.upsert_connector("A")
            sid = await st.upsert_service("s", source_id=c, destination_id=c)
            live = await st.register_worker("host-a", 11, 60)
            await st.register_worker("host-b", 22, 0.1)
            await st.enqueue_run(sid, trigger="manual")
            assert (await st.claim_run(live)).run_id == 1
            gone = await st.register_worker("host-c", 33, 60)
            await st.stop_worker(gone)
            await asyncio.sleep(0.3)

    asyncio.run(seed())
    assert main(["workers", "--read-only", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "host-a" in out and "host-b" in out and "host-c" not in out
    assert "STALE" in out
    assert main(["workers", "--all", "--json", "--db", str(db)]) == 0
    doc = {w["host"]: w for w in json.loads(capsys.readouterr().out)}
    assert doc["host-a"]["runs_in_hand"] == 1 and not doc["host-a"]["stale"]
    # a writable start expires what is past its lease: the stale one is now lost
    assert doc["host-b"]["status"] == "lost" and doc["host-c"]["status"] == "stopped"
    assert main(["runs", "--json", "--db", str(db)]) == 0
    (run,) = json.loads(capsys.readouterr().out)["items"]
    assert run["host"] == "host-a" and run["status"] == "running"


def test_run_queue_twice_is_refused_while_the_first_waits(tmp_path, capsys) -> None:
    db = tmp_path / "s.db"

    async def seed() -> None:
        async with await open_store(db) as st:
            c = await st.upsert_connector("A")
            await st.upsert_service("s", source_id=c, destination_id=c, config={
                "streams": [{"name": "contacts"}]})  # fmt: skip

    asyncio.run(seed())
    assert main(["run", "s", "--queue", "--db", str(db)]) == 0
    assert "Run 1 of s queued" in capsys.readouterr().out
    assert main(["run", "s", "--queue", "--force", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "already has run 1 queued" in err and "syncdeck cancel 1" in err
    assert main(["run", "s", "--queue", "--stream", "nope", "--db", str(db)]) == 2
    assert main(["cancel", "1", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["runs", "--json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["items"][0]["status"] == "cancelled"
