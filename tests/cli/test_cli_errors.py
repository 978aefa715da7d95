"""Bad input: one line on stderr saying what is wrong and what to do, exit 2, nothing written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.store import LATEST

ROOT = Path(__file__).resolve().parents[2]


def fails(capsys, *argv: str) -> str:
    """Run main(argv); assert exit 2, nothing on stdout, one line on stderr; return it."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    assert out == ""
    assert err.startswith("syncdeck: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_missing_store_is_not_created(capsys, tmp_path: Path) -> None:
    path = tmp_path / "nope.db"
    for cmd in (["runs"], ["steps", "1"], ["logs"], ["stats"], ["db", "info"], ["prune"],
                ["search", "x"], ["calls", "--entity", "1"]):  # fmt: skip
        err = fails(capsys, *cmd, "--db", str(path))
        assert f"No store at {path}." in err and "syncdeck demo --seed-only" in err
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_corrupt_and_newer_stores(capsys, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"garbage" * 1000)
    err = fails(capsys, "runs", "--db", str(corrupt))
    assert "not a readable syncdeck database" in err and "backup" in err

    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()
    before = newer.read_bytes()
    err = fails(capsys, "logs", "--db", str(newer))
    assert "newer syncdeck" in err and "Upgrade syncdeck" in err
    assert newer.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.db", "newer.db"]


def test_locked_store(capsys, seeded_db, monkeypatch) -> None:
    from core.store.sqlite import db as store_db

    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(seeded_db.path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        err = fails(capsys, "runs", "--db", str(seeded_db.path))
        assert "locked by another process" in err
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unknown_ids_and_names(capsys, seeded_db) -> None:
    db = ["--db", str(seeded_db.path)]
    assert "No run #999999." in fails(capsys, "steps", "999999", *db)
    assert "No step 999999." in fails(capsys, "instances", "999999", *db)
    assert "No step 999999." in fails(capsys, "entities", "999999", *db)
    assert "No step instance 999999." in fails(capsys, "calls", "--instance", "999999", *db)
    assert "No entity 999999." in fails(capsys, "calls", "--entity", "999999", *db)
    err = fails(capsys, "search", "no-such-id", *db)
    assert "No run touched an entity with id 'no-such-id'" in err
    err = fails(capsys, "runs", "--connector", "Nope", *db)
    assert "No connector named 'Nope'. Known connectors: ConnectWise, HubSpot, Xero." in err
    assert "No service named 'x'" in fails(capsys, "logs", "--service", "x", *db)
    assert "There is no page 99" in fails(capsys, "runs", "--page", "99", *db)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["logs", "--since", "yesterday"], "'yesterday' is not a time span or a date"),
        (["runs", "--until", "soon"], "'soon' is not a time span or a date"),
        (["runs", "--status", "exploded"], "'exploded' is not one of queued, running"),
        (["logs", "--level", "DEBUG"], "'DEBUG' is not one of INFO, WARNING, ERROR"),
        (["entities", "1", "--action", "zap"], "'zap' is not one of create, update"),
        (["runs", "--limit", "0"], "0 is too small"),
        (["runs", "--limit", "5000"], "Use 1000 or fewer"),
        (["runs", "--limit", "x"], "'x' is not a whole number"),
        (["runs", "--after", "3", "--before", "9"], "not allowed with argument"),
        (["runs", "--json", "--csv"], "not allowed with argument"),
        (["steps"], "the following arguments are required: RUN"),
        (["steps", "abc"], "argument RUN: 'abc' is not a whole number"),
        (["calls"], "one of the arguments --instance --entity is required"),
        (["runs", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["--frobnicate", "runs"], "unrecognized arguments: --frobnicate"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["db"], "the following arguments are required: COMMAND"),
        (["prune", "--days", "-3"], "-3 days is not a period"),
        (["prune", "--keep-payloads", "1 fortnight"], "'1 fortnight' is not a time span"),
        (["prune", "--read-only"], "--read-only forbids writing"),
    ],
)
def test_bad_flags(capsys, seeded_db, argv, expected) -> None:
    before = seeded_db.path.read_bytes()
    err = fails(capsys, *argv, "--db", str(seeded_db.path))
    assert expected in err
    assert "--help" in err or "." in err  # the next step
    assert seeded_db.path.read_bytes() == before  # nothing written


def test_ctrl_c_exits_130_quietly(capsys, seeded_db, monkeypatch) -> None:
    from core.commands import reads

    async def interrupted(args, api):
        raise KeyboardInterrupt

    monkeypatch.setattr(reads, "stats", interrupted)
    assert main(["stats", "--db", str(seeded_db.path)]) == 130
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")


def _cli() -> list[str]:
    """The installed console script when there is one, else `python -m core.cli`."""
    script = Path(sys.executable).with_name("syncdeck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "core.cli"]


@pytest.mark.parametrize("command", [_cli(), [sys.executable, "-m", "core.cli"]])
def test_real_process_exit_code_and_no_traceback(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "missing.db"
    env = {**os.environ, "SYNCDECK_DB": str(missing), "PYTHONPATH": str(ROOT)}
    for argv in (["runs"], ["runs", "--bogus"], ["logs", "--since", "later"]):
        proc = subprocess.run(
            [*command, *argv], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
        )
        assert proc.returncode == 2, (argv, proc.stderr)
        assert proc.stdout == ""
        assert proc.stderr.startswith("syncdeck: ") and proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_help_exits_0(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in ("runs", "steps", "instances", "entities", "calls", "logs", "search", "stats",
                 "prune", "db", "demo"):  # fmt: skip
        assert name in out
