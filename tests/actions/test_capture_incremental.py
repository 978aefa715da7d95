"""Payload capture (off by default; truncated, secrets redacted, dropped by prune after 24 h),
headroom stored on every page, and incremental cursors (`--full` ignores them)."""

from __future__ import annotations

import asyncio

from ops_helpers import config_text, make_store, query, sandbox

from core.cli import main
from core.sandbox import Faults
from core.store import open_store
from core.timeutil import now

BEARER = 'auth = { type = "bearer", token = "env:CRM_TOKEN" }'


def test_capture_off_by_default(tmp_path) -> None:
    with sandbox(5) as sb:
        db = make_store(tmp_path, config_text(sb))
        assert main(["run", "customers", "--db", str(db)]) == 0
        assert query(db, "SELECT COUNT(*) FROM payloads")[0][0] == 0


def test_capture_truncates_redacts_and_prune_drops(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CRM_TOKEN", "tok-SECRET-42")
    with sandbox(5, Faults(token="tok-SECRET-42")) as sb:
        sb.crm.customers[0]["company"]["name"] = "leaks tok-SECRET-42 here"
        extra = "capture_payloads = true\npayload_max_bytes = 300"
        text = config_text(sb, crm_auth=BEARER, extra_service=extra)
        db = make_store(tmp_path, text, {"CRM_TOKEN": "x"})
        assert main(["run", "customers", "--db", str(db)]) == 0
        bodies = query(db, "SELECT request_body, response_body FROM payloads")
        assert bodies
        texts = [b for row in bodies for b in row if b is not None]
        assert all(len(t) <= 300 for t in texts)
        assert any("***" in t for t in texts)
        assert not any("tok-SECRET-42" in t for t in texts)

        async def prune() -> int:
            store = await open_store(db)
            try:
                report = await store.prune(reference=now() + 25 * 3600)
                return report.payloads_dropped
            finally:
                await store.close()

        assert asyncio.run(prune()) == len(bodies)
        assert query(db, "SELECT COUNT(*) FROM payloads")[0][0] == 0


def test_incremental_resume_and_full(tmp_path) -> None:
    with sandbox(20) as sb:
        db = make_store(tmp_path, config_text(sb, cooldown=0))
        assert main(["run", "customers", "--db", str(db)]) == 0
        cursor = query(db, "SELECT cursor_value FROM stream_state")[0][0]
        assert cursor == max(c["updated_at"] for c in sb.crm.customers)
        sb.crm.update(7, updated_at="2027-01-01T00:00:00Z", email="new7@example.com")
        assert main(["run", "customers", "--db", str(db)]) == 0
        assert query(db, "SELECT sync_type, pulled, updated, created FROM runs WHERE id = 2") == [
            ("update", 1, 1, 0)]  # fmt: skip
        assert query(db, "SELECT cursor_value FROM stream_state")[0][0] == "2027-01-01T00:00:00Z"
        assert main(["run", "customers", "--full", "--db", str(db)]) == 0
        assert query(db, "SELECT sync_type, pulled, skipped FROM runs WHERE id = 3") == [
            ("full", 20, 20)]  # fmt: skip
