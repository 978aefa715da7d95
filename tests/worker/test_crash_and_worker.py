"""Crash safety and the worker, with real processes against the loopback sandbox servers.

- SIGKILL a `syncdeck run` mid-way: on the next start the run is marked interrupted, no row
  committed before the kill is lost, and the next update run resumes from the last committed
  cursor and creates no duplicate at the destination (counted at the sandbox ERP).
- `syncdeck worker` runs two scheduled services and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import signal
import time

from ops_helpers import config_text, make_store, query, sandbox, syncdeck

from core.cli import main
from core.sandbox import Faults


def _wait(pred, timeout: float = 60.0, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"syncdeck exited {proc.returncode}: {proc.stderr.read()}")
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_sigkill_mid_run_then_resume_without_duplicates(tmp_path, capsys) -> None:
    with sandbox(120, Faults(latency_ms=60)) as sb:
        db = make_store(tmp_path, config_text(sb, per_page=5))
        proc = syncdeck("run", "customers", "--db", str(db))
        _wait(lambda: query(db, "SELECT COUNT(*) FROM entities")[0][0] >= 30, proc=proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        sb.erp.faults.latency_ms = 0
        sb.crm.faults.latency_ms = 0
        entities = query(db, "SELECT id, external_id, internal_id FROM entities ORDER BY id")
        calls = query(db, "SELECT COUNT(*) FROM api_calls")[0][0]
        cursor = query(db, "SELECT cursor_value FROM stream_state")[0][0]
        assert query(db, "SELECT status FROM runs")[0][0] == "running"  # nobody marked it yet
        assert 30 <= len(entities) < 120

        assert main(["runs", "--db", str(db)]) == 0  # any syncdeck start marks it
        assert query(db, "SELECT status FROM runs WHERE id = 1")[0][0] == "interrupted"
        kept = query(db, "SELECT id, external_id, internal_id FROM entities WHERE run_id = 1 "
                         "ORDER BY id")  # fmt: skip
        assert kept == entities  # nothing committed before the kill is lost
        assert query(db, "SELECT COUNT(*) FROM api_calls WHERE run_id = 1")[0][0] == calls
        # the cursor committed with the last page covers exactly the entities kept
        done = {int(e[1]) for e in entities}
        assert cursor == max(c["updated_at"] for c in sb.crm.customers if c["id"] in done)

        sb.crm.requests.clear()
        assert main(["run", "customers", "--force", "--db", str(db)]) == 0
        first = sb.crm.requests[0]
        assert "updated_since=" + cursor.replace(":", "%3A") in first  # resumed from it
        assert query(db, "SELECT sync_type FROM runs WHERE id = 2")[0][0] == "update"
        sources = [a["source_id"] for a in sb.erp.accounts.values()]
        assert len(sources) == len(set(sources)) == 120  # every record, no duplicate


def test_worker_runs_two_services_and_stops_on_sigterm(tmp_path) -> None:
    with sandbox(300, Faults(latency_ms=40)) as sb:
        text = config_text(sb, services=("alpha", "beta"), schedule="* * * * * */1", per_page=5)
        db = make_store(tmp_path, text)
        proc = syncdeck("worker", "--tick", "0.2", "--db", str(db))
        try:
            _wait(lambda: {r[0] for r in query(db, "SELECT service_id FROM runs")} == {1, 2})
            _wait(lambda: query(db, "SELECT COUNT(*) FROM instances")[0][0] >= 4)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
        assert proc.returncode == 0, err
        assert "Worker started; scheduled services: alpha" in out and "Worker stopped." in out
        assert "Traceback" not in err
        rows = query(db, "SELECT service_id, trigger, status FROM runs")
        assert {r[1] for r in rows} == {"schedule"}
        assert all(r[2] in ("cancelled", "success", "partial") for r in rows), rows
        assert any(r[2] == "cancelled" for r in rows)  # 300 records do not finish in time
        per_service = [sum(1 for r in rows if r[0] == s and r[2] == "running") for s in (1, 2)]
        assert per_service == [0, 0]
        # one run per service at a time: a service's runs never overlap
        for sid in (1, 2):
            spans = query(db, "SELECT started_at, finished_at FROM runs WHERE service_id = ? "
                              "ORDER BY id", (sid,))  # fmt: skip
            for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
                assert end <= start
