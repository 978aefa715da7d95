"""The live demo's Xero and QuickBooks Online sandboxes, reached through the presets by the real
engine on 127.0.0.1: refresh tokens rotated into the demo's secrets file (never the store),
Xero's envelopes in batches with per-contact validation errors, QuickBooks' SyncToken read
before each update (a stale one re-read once), and a lost create answer resent with the same
requestid creating one customer."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from core.demo.live import configure, live_loop
from core.demo.live_api import QBO_SERVICE, XERO, XERO_SERVICE, LiveOptions, LiveWorld
from core.engine.runner import run_service
from core.models import RunStatus
from core.secrets import read_secrets
from core.store import open_store

SMALL = LiveOptions(
    customers=24, per_page=12, source_latency_ms=0, dest_latency_ms=0, rate_limit_every=0,
    error_rate=0.0, qbo_conflict_rate=0.0, seed=3,
)  # fmt: skip


@pytest.fixture
async def world(tmp_path, monkeypatch):
    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(tmp_path / "conf"))
    w = LiveWorld(SMALL).start()
    store = await open_store(tmp_path / "s.db")
    try:
        await configure(store, w)
        yield w, store
    finally:
        await store.close()
        w.stop()


async def _entities(store, run_id: int) -> dict[str, tuple[str, str]]:
    out = {}
    for step in (await store.list_steps(run_id)).items:
        for e in (await store.list_entities(step.id, limit=500)).items:
            out[e.external_id] = (str(getattr(e.status, "value", e.status)), e.reason or "")
    return out


async def test_xero_batches_rotate_tokens_and_fail_only_the_refused_contact(world, tmp_path):
    w, store = world
    first_token = w.xero.issuer.initial
    r1 = await run_service(store, XERO_SERVICE)
    assert (r1.status, r1.created, r1.failed) == (RunStatus.SUCCESS, 22, 0), r1.message
    assert len(w.xero.contacts) == 22  # every 10th customer has no email: skipped
    assert first_token not in w.xero.issuer.valid  # rotated at the first refresh
    assert read_secrets()[f"{XERO}.refresh_token"] in w.xero.issuer.valid
    # a renamed customer and one Xero refuses (its email): only that one fails
    w.crm.update(1, company={"name": "Renamed Ltd"}, updated_at="2027-01-01T00:00:00Z")
    w.crm.update(2, email="reject2@example.com", updated_at="2027-01-01T00:00:00Z")
    r2 = await run_service(store, XERO_SERVICE)
    assert (r2.updated, r2.failed) == (1, 1), r2.message
    reasons = await _entities(store, r2.run_id)
    assert reasons["2"][0] == "failed" and "Email address must be valid" in reasons["2"][1]
    assert [c["Name"] for c in w.xero.contacts.values() if c["AccountNumber"] == "1"] == [
        "Renamed Ltd"
    ]
    assert len(w.xero.contacts) == 22  # updated in place
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("s.db*"))
    for token in (first_token, read_secrets()[f"{XERO}.refresh_token"]):
        assert token.encode() not in stored


async def test_quickbooks_stale_sync_token_is_read_again_once(world):
    w, store = world
    assert (await run_service(store, QBO_SERVICE)).created == 22
    w.crm.update(1, company={"name": "Renamed Ltd"}, updated_at="2027-01-01T00:00:00Z")
    w.qbo.conflict_next = 1  # someone saves the customer in QuickBooks right after our read
    r = await run_service(store, QBO_SERVICE)
    assert (r.status, r.updated, r.failed) == (RunStatus.SUCCESS, 1, 0), r.message
    assert w.qbo.stale == 1
    cust = next(c for c in w.qbo.customers.values() if c.get("Notes") == "1")
    assert cust["DisplayName"] == "Renamed Ltd" and cust["SyncToken"] == "2"
    # stale twice: the entity fails with the reason, the run goes on
    w.crm.update(1, company={"name": "Renamed Again"}, updated_at="2027-01-02T00:00:00Z")
    w.qbo.conflict_next = 2
    r = await run_service(store, QBO_SERVICE)
    assert r.failed == 1
    (status, reason) = (await _entities(store, r.run_id))["1"]
    assert status == "failed" and "changed at the destination" in reason


async def test_quickbooks_lost_create_answer_is_resent_with_the_same_requestid(world):
    w, store = world
    w.qbo.lose_answers = 2  # the first two creates are done, their answers lost (502)
    r = await run_service(store, QBO_SERVICE)
    assert (r.status, r.created, r.failed) == (RunStatus.SUCCESS, 22, 0), r.message
    assert w.qbo.creates == 22  # nothing duplicated
    names = [c["DisplayName"] for c in w.qbo.customers.values()]
    assert len(names) == len(set(names)) == 22


def test_demo_secrets_stay_next_to_the_demo_store(tmp_path):
    from core.demo.live import demo_secrets_dir

    assert demo_secrets_dir(tmp_path / "demo.db") == tmp_path / "demo-secrets"
    assert isinstance(demo_secrets_dir("postgresql://u@h/db"), Path)


async def test_the_live_loop_runs_all_three_services_side_by_side(tmp_path, monkeypatch):
    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(tmp_path / "conf"))
    opts = LiveOptions(customers=24, per_page=12, source_latency_ms=2, dest_latency_ms=1,
                       rate_limit_every=5, retry_after="0", error_rate=0.1,
                       qbo_conflict_rate=0.3, seed=3)  # fmt: skip
    lines: list[str] = []
    db = tmp_path / "live.db"
    rounds = await live_loop(db, interval=0, stop=asyncio.Event(), runs=2, say=lines.append,
                             options=opts)  # fmt: skip
    assert rounds == 2
    with sqlite3.connect(db) as conn:
        runs = conn.execute(
            "SELECT s.name, r.status, r.created, r.updated, r.failed FROM runs r "
            "JOIN services s ON s.id = r.service_id ORDER BY r.id"
        ).fetchall()
        codes = dict(conn.execute("SELECT status_code, count(*) FROM api_calls GROUP BY 1"))
    by = {name: [r for r in runs if r[0] == name] for name in {r[0] for r in runs}}
    assert set(by) == {"demo-crm-to-erp", XERO_SERVICE, QBO_SERVICE}
    for name in (XERO_SERVICE, QBO_SERVICE):
        first, second = by[name]
        assert first[1] == "success" and first[2] == 22 and first[4] == 0, runs
        assert second[1] in ("success", "partial") and second[3] > 0, runs
    assert codes.get(500, 0) > 0  # the sandboxes' faults were met and retried
    assert "stopped" in lines[-1]
