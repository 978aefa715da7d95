"""Bad arguments are one line naming the flag, exit 2, never a traceback: ids too large for the
store, dates out of range, a folder given as the store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main

BIG = "12345678901234567890123"  # 23 digits: more than SQLite's INTEGER holds
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "argv",
    [
        ["steps", BIG], ["entities", BIG], ["instances", BIG], ["calls", "--instance", BIG],
        ["calls", "--entity", BIG], ["cancel", BIG], ["retry", BIG], ["logs", "--run", BIG],
        ["runs", "--after", BIG], ["runs", "--before", BIG], ["logs", "--page", BIG],
    ],
)  # fmt: skip
def test_every_id_too_large_is_one_clear_line(capsys, seeded_db, argv) -> None:
    assert main([*argv, "--db", str(seeded_db.path)]) == 2
    err = capsys.readouterr().err
    assert "too large" in err and "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("flag", ["--until", "--since"])
@pytest.mark.parametrize("when", ["0001-01-01", "1" * 400 + "h"], ids=["year-1", "huge-span"])
def test_out_of_range_dates_name_the_flag(capsys, seeded_db, flag, when) -> None:
    assert main(["runs", flag, when, "--db", str(seeded_db.path)]) == 2
    err = capsys.readouterr().err
    assert f"argument {flag}:" in err and "_since" not in err, err
    assert "range" in err or "100 years" in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["prune", "--days", "nan"], "not a period"),
        (["prune", "--days", "inf"], "not a period"),
        (["prune", "--compress-after", "nan"], "not a period"),
        (["prune", "--keep-payloads", "9" * 30 + "h"], "100 years"),
        (["cancel", "1", "--wait", "nan"], "out of range"),
        (["cancel", "1", "--wait", "1e308"], "out of range"),
        (["demo", "--seed-only", "--scale", "1e300"], "1000 or less"),
        (["runs", "--limit", BIG], "too large"),
    ],
)
def test_numbers_out_of_range_are_refused(capsys, seeded_db, argv, words) -> None:
    assert main([*argv, "--db", str(seeded_db.path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err, err


def test_config_export_to_a_missing_folder_is_one_line(capsys, tmp_path) -> None:
    (tmp_path / "c.toml").write_text('[connectors.a]\nbase_url = "http://127.0.0.1:9"\n')
    db = str(tmp_path / "s.db")
    assert main(["config", "import", str(tmp_path / "c.toml"), "--db", db]) == 0
    out = tmp_path / "out"
    out.mkdir()
    for target in (out / "no" / "such.toml", out):
        assert main(["config", "export", "-o", str(target), "--db", db]) == 2
        assert "Cannot write" in capsys.readouterr().err
    assert list(out.iterdir()) == []  # nothing half-written


@pytest.mark.parametrize("argv", [["runs"], ["runs", "--read-only"], ["config", "export"]])
def test_a_store_path_too_long_is_one_line(capsys, tmp_path, argv) -> None:
    db = tmp_path / ("a" * 300) / "x.db"
    assert main([*argv, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "File name too long" in err and "Traceback" not in err


def test_a_folder_as_the_store_is_one_line_every_time(tmp_path) -> None:
    for _ in range(3):  # the traceback came "sometimes": a thread racing the loop's close
        out = subprocess.run(
            [sys.executable, "-m", "core.cli", "runs", "--db", str(tmp_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert out.returncode == 2
        assert "Traceback" not in out.stderr and "Event loop is closed" not in out.stderr
        assert len(out.stderr.splitlines()) == 1 and "folder" in out.stderr
