"""Stopping a run promptly and cleanly, with real processes against the loopback sandbox.

- Cancel while a page waits out `429 Retry-After: 30` (pull or push): the run stops within 2 s,
  marked cancelled, every record it pulled accounted for (issue 10, item 15).
- SIGTERM to `syncdeck run`: the page in flight finishes, the run is marked cancelled, exit
  143 (SIGINT: 130); a second signal stops at once, still marked cancelled (item 6).
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


def _status(db) -> str:
    return query(db, "SELECT status FROM runs WHERE id = 1")[0][0]


def _cancel_within_2s(db, proc) -> float:
    t0 = time.monotonic()
    assert main(["cancel", "1", "--db", str(db)]) == 0
    _wait(lambda: _status(db) != "running", timeout=10)
    took = time.monotonic() - t0
    proc.communicate(timeout=10)
    return took


def test_cancel_interrupts_a_retry_after_wait_of_the_pull(tmp_path) -> None:
    with sandbox(20, Faults(fail_next=[429], retry_after="30")) as sb:
        db = make_store(tmp_path, config_text(sb, per_page=5))
        proc = syncdeck("run", "customers", "--db", str(db))
        _wait(lambda: sb.crm.faults.count >= 1, proc=proc)  # the 429: now waiting 30 s
        time.sleep(0.3)
        took = _cancel_within_2s(db, proc)
    print(f"\ncancel during a 30 s Retry-After (pull): stopped after {took:.2f}s")
    assert took < 2.0
    assert _status(db) == "cancelled"
    assert proc.returncode == 1
    assert query(db, "SELECT status_code FROM api_calls") == [(429,)]  # recorded
    assert sb.crm.faults.count == 1  # never retried after the cancel


def test_cancel_interrupts_a_retry_after_wait_of_a_push(tmp_path) -> None:
    with sandbox(5) as sb:
        sb.erp.faults.fail_next = [429]
        sb.erp.faults.retry_after = "30"
        db = make_store(tmp_path, config_text(sb, per_page=5))
        proc = syncdeck("run", "customers", "--db", str(db))
        _wait(lambda: sb.erp.faults.count >= 1, proc=proc)  # the 429: now waiting 30 s
        time.sleep(0.5)
        took = _cancel_within_2s(db, proc)
        accounts = list(sb.erp.accounts.values())
    print(f"\ncancel during a 30 s Retry-After (push): stopped after {took:.2f}s")
    assert took < 2.0
    assert _status(db) == "cancelled"
    rows = query(db, "SELECT external_id, status, reason FROM entities ORDER BY external_id")
    assert len(rows) == 5  # every pulled record accounted for
    failed = [r for r in rows if r[1] == "failed"]
    assert any("429" in r[2] and "not retried: the run was cancelled" in r[2] for r in failed)
    assert all("not retried" in r[2] or "not sent" in r[2] for r in failed)
    assert len(accounts) == sum(r[1] == "success" for r in rows) == 5 - len(failed)
    pending = query(db, "SELECT COUNT(*) FROM id_map WHERE pending = 1")[0][0]
    assert pending == 0  # a 429 was not applied: nothing is left ambiguous


def _sigterm_mid_run(tmp_path, sig: signal.Signals, twice: bool = False):
    with sandbox(200, Faults(latency_ms=80)) as sb:
        db = make_store(tmp_path, config_text(sb, per_page=5))
        proc = syncdeck("run", "customers", "--db", str(db))
        _wait(lambda: query(db, "SELECT COUNT(*) FROM entities")[0][0] >= 10, proc=proc)
        if twice:
            sb.erp.faults.latency_ms = 3000  # the page in flight now takes 3 s
            time.sleep(0.5)
        t0 = time.monotonic()
        proc.send_signal(sig)
        if twice:
            time.sleep(0.2)
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
        took = time.monotonic() - t0
        created = len(sb.erp.accounts)
    return db, proc.returncode, out, err, took, created


def test_sigterm_finishes_the_page_and_marks_the_run_cancelled(tmp_path) -> None:
    db, code, out, err, took, created = _sigterm_mid_run(tmp_path, signal.SIGTERM)
    print(f"\nSIGTERM: exited {code} after {took:.2f}s")
    assert code == 143
    assert "Traceback" not in err and "SIGTERM" in err
    assert "cancelled" in out
    run = query(db, "SELECT status, message FROM runs WHERE id = 1")[0]
    assert run[0] == "cancelled" and "SIGTERM" in run[1]
    assert query(db, "SELECT COUNT(*) FROM steps WHERE status = 'running'")[0][0] == 0
    # the page in flight finished: every record sent is recorded, nothing left pending
    recorded = query(db, "SELECT COUNT(*) FROM entities WHERE status = 'success'")[0][0]
    assert recorded == created
    assert query(db, "SELECT COUNT(*) FROM id_map WHERE pending = 1")[0][0] == 0
    assert query(db, "SELECT COUNT(*) FROM entities")[0][0] % 5 == 0  # whole pages only


def test_sigint_twice_stops_at_once_and_still_marks_cancelled(tmp_path) -> None:
    db, code, _out, err, took, _ = _sigterm_mid_run(tmp_path, signal.SIGINT, twice=True)
    print(f"\nSIGINT twice: exited {code} after {took:.2f}s")
    assert code == 130
    assert took < 1.5  # did not wait out the 3 s page
    assert "Traceback" not in err
    assert _status(db) == "cancelled"
