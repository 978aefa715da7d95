"""`--read-only` never marks runs, so a run whose process died must still not read "running":
it shows as "stale / probably dead" from its pid (this host) or heartbeat (another host)
(issue 10, item 5)."""

from __future__ import annotations

import json
import signal
import sqlite3
import time

from ops_helpers import config_text, make_store, query, sandbox, syncdeck

from core.cli import main
from core.sandbox import Faults


def _wait(pred, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _runs_json(db, capsys) -> dict[int, dict]:
    capsys.readouterr()
    assert main(["--read-only", "--db", str(db), "runs", "--json"]) == 0
    return {r["id"]: r for r in json.loads(capsys.readouterr().out)["items"]}


def test_read_only_shows_a_killed_run_as_stale(tmp_path, capsys) -> None:
    with sandbox(60, Faults(latency_ms=60)) as sb:
        db = make_store(tmp_path, config_text(sb, per_page=5))
        proc = syncdeck("run", "customers", "--db", str(db))
        _wait(lambda: query(db, "SELECT COUNT(*) FROM entities")[0][0] >= 10)
        alive = _runs_json(db, capsys)[1]
        assert alive["status"] == "running" and alive["stale"] is False
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    run = _runs_json(db, capsys)[1]
    assert run["status"] == "running" and run["stale"] is True
    assert main(["--read-only", "--db", str(db), "runs"]) == 0
    out = capsys.readouterr().out
    assert "stale" in out and "probably dead" in out
    assert main(["--read-only", "--db", str(db), "runs", "--csv"]) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    assert dict(zip(header.split(","), row.split(","), strict=False))["stale"] == "True"
    assert query(db, "SELECT status FROM runs")[0][0] == "running"  # read-only wrote nothing


def test_another_hosts_run_is_stale_only_when_its_heartbeat_is_old(tmp_path, capsys) -> None:
    with sandbox(5) as sb:
        db = make_store(tmp_path, config_text(sb, services=("a", "b")))
        assert main(["run", "a", "--db", str(db)]) == 0
        assert main(["run", "b", "--db", str(db)]) == 0
    t = time.time()
    with sqlite3.connect(db) as conn:  # two runs "still going" on another host
        conn.execute("UPDATE runs SET status = 'running', finished_at = NULL, "
                     "host = 'elsewhere', heartbeat_at = CASE id WHEN 1 THEN ? ELSE ? END",
                     (t - 600, t - 5))  # fmt: skip
    runs = _runs_json(db, capsys)
    assert runs[1]["stale"] is True  # silent for 10 minutes
    assert runs[2]["stale"] is False  # beat 5 s ago
