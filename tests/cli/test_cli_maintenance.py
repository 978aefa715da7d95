"""prune, db info, demo, and opening the console (with stand-ins for modules others write)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
import types
from pathlib import Path

import pytest

from core.cli import COMMAND_MODULES, build_parser, main
from core.commands import demo as demo_cmd
from core.store import LATEST, open_store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_db_info_formats(capsys, seeded_db) -> None:
    db = ["--db", str(seeded_db.path)]
    code, out, err = run(capsys, "db", "info", *db)
    assert code == 0 and err == ""
    assert str(seeded_db.path) in out and f"{LATEST} (latest {LATEST})" in out
    assert "rows runs" in out and str(seeded_db.runs) in out
    code, out, _ = run(capsys, "--db", str(seeded_db.path), "db", "info", "--json")
    doc = json.loads(out)
    assert doc["rows"]["log_events"] == seeded_db.logs and doc["schema"] == LATEST
    code, out, _ = run(capsys, "db", "--db", str(seeded_db.path), "info", "--csv")
    rows = {r["what"]: r["value"] for r in csv.DictReader(io.StringIO(out))}
    assert rows["journal mode"] == "wal" and rows["rows entities"] == str(seeded_db.entities)


def test_prune_formats_and_effect(capsys, seeded_db) -> None:
    db = ["--db", str(seeded_db.path)]
    code, out, err = run(capsys, "prune", "--days", "15", "--compress-after", "1", *db)
    assert code == 0 and err == ""
    assert "deleted runs" in out and "payloads compressed" in out
    code, out, _ = run(capsys, "prune", "--days", "15", "--json", *db)
    doc = json.loads(out)
    assert doc["deleted"]["runs"] == 0  # the first prune took them
    code, out, _ = run(capsys, "runs", "--json", "--limit", "1000", *db)
    assert json.loads(out)["total"] < seeded_db.runs
    code, out, _ = run(capsys, "prune", "--days", "1", "--keep-payloads", "1h", "--csv", *db)
    rows = {r["what"]: r["value"] for r in csv.DictReader(io.StringIO(out))}
    assert rows["payloads dropped"] == "2"  # the two seeded bodies are 2 hours old
    assert int(rows["deleted log_events"]) > 0
    code, out, _ = run(capsys, "logs", "--json", *db)
    assert json.loads(out)["total"] == 0  # all events were older than a day


def test_prune_keeps_payloads_forever(capsys, seeded_db) -> None:
    code, out, _ = run(
        capsys, "prune", "--keep-payloads", "forever", "--json", "--db", str(seeded_db.path)
    )
    assert code == 0 and json.loads(out)["payloads_dropped"] == 0


@pytest.fixture
def fake_history(monkeypatch):
    """A stand-in for core.demo.history (written by another helper)."""
    calls = []

    async def seed_history(store, *, scale=1, seed=7, now=None):
        calls.append((store.path, scale, seed))
        cid = await store.upsert_connector("DemoConnector")
        await store.upsert_service("demo-svc", source_id=cid, destination_id=cid)
        return {"connectors": 1, "runs": 0, "scale": scale}

    module = types.ModuleType("core.demo.history")
    module.seed_history = seed_history
    monkeypatch.setitem(sys.modules, "core.demo.history", module)
    return calls


def test_demo_seed_only_into_a_new_store(capsys, tmp_path: Path, fake_history) -> None:
    path = tmp_path / "demo-here.db"
    code, out, err = run(capsys, "demo", "--seed-only", "--scale", "3", "--seed", "11",
                         "--db", str(path))  # fmt: skip
    assert code == 0, err
    assert fake_history == [(path, 3, 11)]
    assert "connectors  1" in out and f"syncdeck runs --db {path}" in out
    code, out, _ = run(capsys, "stats", "--json", "--db", str(path))
    assert [c["connector"] for c in json.loads(out)["connectors"]] == ["DemoConnector"]


def test_demo_refuses_a_store_with_history(capsys, seeded_db, fake_history) -> None:
    before = seeded_db.path.read_bytes()
    code, out, err = run(capsys, "demo", "--seed-only", "--db", str(seeded_db.path))
    assert code == 2 and "already holds history" in err and err.count("\n") == 1
    assert fake_history == [] and seeded_db.path.read_bytes() == before


def test_demo_default_path_is_its_own_file(capsys, tmp_path, fake_history, monkeypatch) -> None:
    monkeypatch.setattr(demo_cmd, "demo_db_path", lambda: tmp_path / "data" / "demo.db")
    monkeypatch.setenv("SYNCDECK_DB", str(tmp_path / "users-own.db"))
    for _ in range(2):  # a second demo starts afresh instead of refusing its own file
        code, out, err = run(capsys, "demo", "--seed-only")
        assert code == 0, err
    assert (tmp_path / "data" / "demo.db").exists()
    assert not (tmp_path / "users-own.db").exists()


def test_demo_without_generator_is_a_clear_error(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "core.demo.history", None)  # import raises
    code, _, err = run(capsys, "demo", "--seed-only", "--db", str(tmp_path / "d.db"))
    assert code == 2 and err.startswith("syncdeck: ")


@pytest.fixture
def fake_console(monkeypatch):
    opened = []

    def run_console(db=None, *, read_only=False, mouse=True, connector=None, service=None):
        opened.append({"db": db, "read_only": read_only, "mouse": mouse})
        return 0

    module = types.ModuleType("tui.app")
    module.run_console = run_console
    monkeypatch.setitem(sys.modules, "tui.app", module)
    return opened


def test_no_command_opens_the_console(fake_console) -> None:
    assert main([]) == 0
    assert main(["--db", "/some/where.db", "--read-only", "--no-mouse"]) == 0
    assert fake_console == [
        {"db": None, "read_only": False, "mouse": True},
        {"db": "/some/where.db", "read_only": True, "mouse": False},
    ]


def test_demo_opens_the_console_on_the_demo_store(
    capsys, tmp_path, fake_history, fake_console, monkeypatch
) -> None:
    monkeypatch.setattr(demo_cmd, "demo_db_path", lambda: tmp_path / "demo.db")
    assert main(["demo", "--no-mouse"]) == 0
    assert fake_console == [{"db": str(tmp_path / "demo.db"), "read_only": False, "mouse": False}]


def test_command_modules_register_one_line_each() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert {"runs", "steps", "instances", "entities", "calls", "logs", "search", "stats",
            "prune", "db", "demo"} <= set(sub.choices)  # fmt: skip
    assert all(name.startswith("core.commands.") for name in COMMAND_MODULES)


def test_store_left_consistent_after_cli_prune(capsys, seeded_db) -> None:
    """The CLI's writes go through the store: a reopened store sees them."""
    assert main(["prune", "--days", "10", "--db", str(seeded_db.path)]) == 0

    async def count() -> int:
        async with await open_store(seeded_db.path, create=False) as store:
            return (await store.list_logs()).total

    assert 0 < asyncio.run(count()) < seeded_db.logs


def test_a_failed_seed_leaves_no_half_store(capsys, tmp_path, monkeypatch) -> None:
    async def broken(store, **kwargs):
        await store.upsert_connector("half")
        raise KeyboardInterrupt

    module = types.ModuleType("core.demo.history")
    module.seed_history = broken
    monkeypatch.setitem(sys.modules, "core.demo.history", module)
    path = tmp_path / "new.db"
    assert main(["demo", "--seed-only", "--db", str(path)]) == 130
    assert list(tmp_path.iterdir()) == []
