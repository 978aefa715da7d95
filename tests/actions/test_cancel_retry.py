"""cancel (from another process: the run stops within one page, marked cancelled) and retry
(a new run of trigger "retry" pushing only the failed entities), with their refusals."""

from __future__ import annotations

import asyncio
import time

import pytest
from ops_helpers import config_text, make_store, query, sandbox, syncdeck

from core.actions import failed_entities, retry_run
from core.cli import main
from core.errors import NotFound, UserError
from core.sandbox import Faults
from core.store import open_store


def _wait(pred, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_cancel_from_another_process_stops_within_one_page(
    tmp_path, capsys, store_location
) -> None:
    with sandbox(200, Faults(latency_ms=150)) as sb:
        db = make_store(tmp_path, config_text(sb, per_page=5), location=store_location)
        proc = syncdeck("run", "customers", "--db", str(db))
        try:
            _wait(lambda: query(db, "SELECT COUNT(*) FROM instances WHERE records > 0")[0][0] >= 2)
            run_id = query(db, "SELECT id FROM runs")[0][0]
            assert main(["cancel", str(run_id), "--db", str(db)]) == 0
            asked_at = time.time()
            assert proc.wait(timeout=30) == 1
        finally:
            proc.kill()
        status, msg = query(db, "SELECT status, message FROM runs WHERE id = ?", (run_id,))[0]
        assert status == "cancelled"
        pages = query(db, "SELECT COUNT(*) FROM instances")[0][0]
        # Pages pulled before the request may still be committed after it (the recorder writes
        # behind the pull); at most one page is begun after it: the one in flight.
        begun_after = query(db, "SELECT COUNT(*) FROM instances WHERE started_at > ?",
                            (asked_at,))[0][0]  # fmt: skip
        assert begun_after <= 1
        assert pages < 40  # far from the 40 pages of a whole run
        assert "Cancel requested" in capsys.readouterr().out


def test_cancel_refusals_change_nothing(tmp_path, capsys) -> None:
    with sandbox(5) as sb:
        db = make_store(tmp_path, config_text(sb))
        assert main(["run", "customers", "--db", str(db)]) == 0
        assert main(["cancel", "1", "--db", str(db)]) == 2
        assert "Run 1 is not running (it is success)" in capsys.readouterr().err
        assert query(db, "SELECT cancel_requested FROM runs WHERE id = 1")[0][0] == 0
        assert main(["cancel", "99", "--db", str(db)]) == 2
        assert "No run #99" in capsys.readouterr().err


def test_retry_pushes_only_the_failed_entities(tmp_path, capsys, store_location) -> None:
    with sandbox(30) as sb:
        for c in sb.crm.customers[:3]:
            c["email"] = f"reject{c['id']}@example.com"  # the ERP answers 422
        db = make_store(tmp_path, config_text(sb), location=store_location)
        assert main(["run", "customers", "--db", str(db)]) == 3  # partial
        assert sb.erp.creates == 27
        for c in sb.crm.customers[:3]:
            c["email"] = f"fixed{c['id']}@example.com"
        capsys.readouterr()
        assert main(["retry", "1", "--db", str(db)]) == 0
        assert "Retry of run 1" in capsys.readouterr().out
        trigger, retry_of, created, pulled = query(
            db, "SELECT trigger, retry_of, created, pulled FROM runs WHERE id = 2"
        )[0]
        assert (trigger, retry_of, created, pulled) == ("retry", 1, 3, 3)
        ids = sorted(int(r[0]) for r in query(db, "SELECT external_id FROM entities "
                                                  "WHERE run_id = 2"))  # fmt: skip
        assert ids == [1, 2, 3]
        assert sb.erp.creates == 30 and len(sb.erp.accounts) == 30


def test_retry_refusals(tmp_path, capsys) -> None:
    with sandbox(5) as sb:
        db = make_store(tmp_path, config_text(sb))
        assert main(["run", "customers", "--db", str(db)]) == 0
        capsys.readouterr()
        assert main(["retry", "1", "--db", str(db)]) == 2
        assert "Run 1 has no failed entities to retry" in capsys.readouterr().err
        assert main(["retry", "7", "--db", str(db)]) == 2
        assert query(db, "SELECT COUNT(*) FROM runs")[0][0] == 1


async def test_failed_entities_and_core_refusals(tmp_path) -> None:
    store = await open_store(tmp_path / "s.db")
    try:
        with pytest.raises(NotFound):
            await retry_run(store, 1)
        cid = await store.upsert_connector("a", base_url="http://127.0.0.1:9")
        sid = await store.upsert_service("s", source_id=cid, destination_id=cid)
        run = await store.start_run(sid, sync_type="full", trigger="manual")
        with pytest.raises(UserError, match="still running"):
            await retry_run(store, run)
        assert await failed_entities(store, run) == {}
    finally:
        await store.close()
    await asyncio.sleep(0)
