"""The fleet with real processes on one store (SQLite, and PostgreSQL for the first two) and the
loopback sandbox CRM and ERP:

- 3 workers, 3 services firing every 2 s: each fire is owned once and each queued run is run by
  exactly one worker (every worker's output names the runs it ran; no id twice across them).
- SIGKILL a worker mid-run: another worker's lease expiry (database clock) marks the worker lost
  and its run interrupted; the next fire resumes and the ERP holds each record once.
- cancel from another process reaches the worker's run within one page.
"""

from __future__ import annotations

import re
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "actions"))

from ops_helpers import config_text, make_store, query, sandbox, syncdeck  # noqa: E402

from core.sandbox import Faults  # noqa: E402

FAST = {"SYNCDECK_HEARTBEAT": "0.2", "SYNCDECK_LEASE": "1.5"}
EVERY_2S = "* * * * * */2"


def _wait(pred, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _stop(procs) -> list[str]:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    outs = []
    for p in procs:
        try:
            out, err = p.communicate(timeout=30)
        finally:
            p.kill()
        assert "Traceback" not in err, err
        outs.append(out + err)
    return outs


def test_three_workers_three_services_each_fire_runs_exactly_once(tmp_path, store_location) -> None:
    names = ("alpha", "beta", "gamma")
    with sandbox(20) as sb:
        text = config_text(sb, services=names, schedule=EVERY_2S)
        db = make_store(tmp_path, text, location=store_location)
        procs = [syncdeck("worker", "--tick", "0.1", "--db", str(db), env=FAST) for _ in range(3)]
        try:
            _wait(lambda: query(db, "SELECT COUNT(*) FROM runs WHERE status = 'success'")[0][0]
                  >= 6, what="six finished runs")  # fmt: skip
            workers = query(db, "SELECT COUNT(*) FROM workers WHERE status = 'running'")[0][0]
        finally:
            outs = _stop(procs)
    assert workers == 3
    codes = [p.returncode for p in procs]
    assert codes == [0, 0, 0], [(c, o[-600:]) for c, o in zip(codes, outs, strict=True)]
    ran = [int(m) for out in outs for m in re.findall(r"^Run (\d+) of \w+: ", out, re.M)]
    assert len(ran) == len(set(ran))  # no run was run by two workers
    fires = query(db, "SELECT service_id, fire_at, outcome, run_id FROM schedule_fires")
    queued = sorted(f[3] for f in fires if f[2] == "queued")
    runs = query(db, "SELECT id, trigger, status, worker_id FROM runs ORDER BY id")
    assert [r[0] for r in runs] == queued  # every run is exactly one fire's
    assert {r[1] for r in runs} == {"schedule"} and all(r[3] for r in runs)
    finished = [r[0] for r in runs if r[2] == "success"]
    assert set(finished) <= set(ran) and len(finished) >= 6
    per_service = {sid: sum(1 for f in fires if f[0] == sid) for sid in (1, 2, 3)}
    assert min(per_service.values()) >= 2
    busy = [f for f in fires if f[2] == "busy"]
    skips = query(db, "SELECT COUNT(*) FROM log_events WHERE title LIKE 'Scheduled run of % "
                      "skipped'")[0][0]  # fmt: skip
    assert skips == len(busy)  # a busy fire is logged once, not once per worker
    sources = [a["source_id"] for a in sb.erp.accounts.values()]
    assert len(sources) == 60 and all(sources.count(s) == 3 for s in set(sources))


def test_sigkilled_worker_lease_expires_and_resume_creates_no_duplicate(
    tmp_path, store_location
) -> None:
    with sandbox(120, Faults(latency_ms=150)) as sb:
        text = config_text(sb, schedule=EVERY_2S, per_page=5)
        db = make_store(tmp_path, text, location=store_location)
        procs = [syncdeck("worker", "--tick", "0.1", "--db", str(db), env=FAST) for _ in range(2)]
        try:
            _wait(lambda: query(db, "SELECT COUNT(*) FROM entities")[0][0] >= 20, what="a page")
            (owner, pid) = query(db, "SELECT w.id, w.pid FROM runs r JOIN workers w "
                                     "ON w.id = r.worker_id WHERE r.id = 1")[0]  # fmt: skip
            victim = next(p for p in procs if p.pid == pid)
            survivor = next(p for p in procs if p.pid != pid)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
            killed_at = time.monotonic()
            kept = query(db, "SELECT id, external_id FROM entities WHERE run_id = 1 ORDER BY id")
            assert query(db, "SELECT status FROM runs WHERE id = 1")[0][0] == "running"
            _wait(lambda: query(db, "SELECT status FROM runs WHERE id = 1")[0][0] == "interrupted",
                  timeout=20, what="the lease to expire")  # fmt: skip
            noticed = time.monotonic() - killed_at
            sb.crm.faults.latency_ms = 0
            _wait(lambda: query(db, "SELECT COUNT(*) FROM runs WHERE status = 'success'")[0][0]
                  >= 1, what="the resumed run")  # fmt: skip
        finally:
            outs = _stop(procs)
    assert 20 <= len(kept) < 120
    assert 1.0 <= noticed < 10  # the lease is 1.5 s of database time
    workers = dict(query(db, "SELECT id, status FROM workers"))
    assert workers.pop(owner) == "lost" and list(workers.values()) == ["stopped"]
    assert query(db, "SELECT id, external_id FROM entities WHERE run_id = 1 ORDER BY id") == kept
    resumed = query(db, "SELECT worker_id, sync_type FROM runs WHERE status = 'success'")
    assert {r[0] for r in resumed} == set(workers) and {r[1] for r in resumed} == {"update"}
    assert "Run 1 interrupted: its worker stopped heartbeating." in outs[procs.index(survivor)]
    sources = [a["source_id"] for a in sb.erp.accounts.values()]
    assert len(sources) == len(set(sources)) == 120  # every record once at the destination


def test_cancel_from_another_process_stops_the_workers_run_within_one_page(tmp_path) -> None:
    with sandbox(400, Faults(latency_ms=150)) as sb:
        db = make_store(tmp_path, config_text(sb, schedule="0 0 1 1 *", per_page=5))
        worker = syncdeck("worker", "--tick", "0.1", "--db", str(db), env=FAST)
        try:
            queued = syncdeck("run", "customers", "--queue", "--db", str(db))
            out, err = queued.communicate(timeout=30)
            assert queued.returncode == 0, err
            assert "Run 1 of customers queued" in out
            _wait(lambda: query(db, "SELECT COUNT(*) FROM instances")[0][0] >= 3, what="pages")
            cancel = syncdeck("cancel", "1", "--wait", "20", "--db", str(db))
            out, err = cancel.communicate(timeout=40)
            assert cancel.returncode == 0, err
            assert "Run 1 is cancelled." in out
            assert worker.poll() is None  # the worker carries on
        finally:
            _stop([worker])
    (asked,) = query(db, "SELECT ts FROM log_events WHERE title = 'Cancel requested for run 1'")[0]
    after = query(db, "SELECT COUNT(*) FROM instances WHERE started_at > ?", (asked,))[0][0]
    assert after <= 1  # the page in flight at most
    total = query(db, "SELECT COUNT(*) FROM instances")[0][0]
    assert total < 80  # of 80 pages
    assert query(db, "SELECT status, worker_id FROM runs")[0] == ("cancelled", 1)
