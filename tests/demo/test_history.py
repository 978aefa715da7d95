"""Demo history: deterministic, complete (every status, action, HTTP status) and the 4711 story."""

from __future__ import annotations

from pathlib import Path

from core.demo import seed_history
from core.models import EntityAction, RunStatus, SyncType, Trigger
from core.store import Store, open_store

NOW = 1_750_000_000.0
SCALE = 0.25


async def _seeded(path: Path, seed: int = 7) -> tuple[Store, dict]:
    store = await open_store(path)
    counts = await seed_history(store, scale=SCALE, seed=seed, now=NOW)
    return store, counts


async def _first_rows(store: Store) -> list[tuple]:
    out = []
    for sql in (
        "SELECT * FROM runs ORDER BY id LIMIT 3",
        "SELECT * FROM entities ORDER BY id LIMIT 3",
        "SELECT * FROM api_calls ORDER BY id LIMIT 3",
        "SELECT * FROM log_events ORDER BY id LIMIT 3",
    ):
        out.extend(tuple(r) for r in await store._all(sql))
    return out


async def _distinct(store: Store, sql: str) -> set:
    return {r[0] for r in await store._all(sql)}


async def test_same_seed_and_now_give_the_same_history(tmp_path: Path) -> None:
    a, counts_a = await _seeded(tmp_path / "a.db")
    b, counts_b = await _seeded(tmp_path / "b.db")
    c, counts_c = await _seeded(tmp_path / "c.db", seed=8)
    try:
        for counts in (counts_a, counts_b):
            counts.pop("seconds")
        counts_c.pop("seconds")
        assert counts_a == counts_b
        assert counts_a["calls"] > 0 and counts_a["entities"] > 0
        assert await _first_rows(a) == await _first_rows(b)
        assert (await a.info())["rows"] == (await b.info())["rows"]
        assert counts_c != counts_a  # another seed, another history
    finally:
        for s in (a, b, c):
            await s.close()


async def test_history_covers_every_status_action_and_http_status(tmp_path: Path) -> None:
    store, counts = await _seeded(tmp_path / "demo.db")
    try:
        live = {RunStatus.RUNNING.value, RunStatus.QUEUED.value}  # only the live engine's
        finished = {s.value for s in RunStatus} - live
        assert await _distinct(store, "SELECT status FROM runs") == finished
        assert await _distinct(store, "SELECT sync_type FROM runs") == {s.value for s in SyncType}
        assert await _distinct(store, "SELECT trigger FROM runs") == {t.value for t in Trigger}
        actions = await _distinct(store, "SELECT action FROM entities")
        assert actions == {a.value for a in EntityAction}
        codes = await _distinct(store, "SELECT status_code FROM api_calls")
        assert {200, 201, 400, 401, 403, 404, 429, 500} <= codes
        assert await _distinct(store, "SELECT level FROM log_events") == {
            "INFO",
            "WARNING",
            "ERROR",
        }
        keys = await _distinct(store, "SELECT code FROM log_events WHERE code IS NOT NULL")
        assert {
            "http_401", "http_403", "http_429", "http_500", "timeout", "invalid_sku",
            "agreement_mismatch", "unmapped_customer", "cooldown", "test_connection_failed",
            "response_error", "oauth_expired", "duplicate_connection", "required_field_empty",
            "lookup_unmapped",
        } <= keys  # fmt: skip
        for status in live:  # a seeded run never sits "running" with frozen counts
            assert (await store.list_runs(status=status)).total == 0, status
        statuses = {c.name: c.status.value for c in await store.list_connectors()}
        assert set(statuses.values()) == {"connected", "error", "disconnected", "untested"}
        retry_after = await store._scalar(
            "SELECT COUNT(*) FROM api_calls WHERE status_code = 429 "
            "AND response_headers_json LIKE '%Retry-After%'"
        )
        assert retry_after > 0
        leaked = await store._scalar(
            "SELECT COUNT(*) FROM api_calls WHERE request_headers_json LIKE '%Authorization%' "
            'AND request_headers_json NOT LIKE \'%"Authorization":"***"%\''
        )
        assert leaked == 0
        sid = await store.service_id("chargebee-to-connectwise")
        plans = await store.list_value_mappings(sid, "plans")
        assert {m.status.value for m in plans} == {"mapped", "unmapped", "response_error"}
        found = await store.list_logs(text="does not belong to company with ID")
        assert found.total > 0
        assert counts["compressed_payloads"] > 0
    finally:
        await store.close()


async def test_customer_4711_failed_last_night_with_a_clear_reason(tmp_path: Path) -> None:
    store, _ = await _seeded(tmp_path / "demo.db")
    try:
        hits = await store.search_id("4711", limit=200)
        failed = [h for h in hits.items if h.action == EntityAction.FAIL]
        assert len(failed) == 1
        miss = failed[0]
        assert miss.reason == "Agreement with ID 8812 does not belong to company with ID 19342."
        run = await store.get_run(miss.run_id)
        assert run.sync_type == SyncType.FULL and run.status == RunStatus.PARTIAL
        age_hours = (NOW - run.started_at.timestamp()) / 3600
        assert 0 < age_hours <= 26  # last night
        ok_nights = [
            h for h in hits.items if h.action == EntityAction.UPDATE and h.run_id < miss.run_id
        ]
        assert ok_nights
        calls = await store.list_calls(entity_id=miss.entity_id)
        bad = [c for c in calls.items if c.status_code == 400]
        assert bad and "does not belong to company" in (bad[-1].response_body or "")
        logs = await store.list_logs(run_id=miss.run_id, level="ERROR", limit=100)
        assert any(
            e.entity_id == miss.entity_id and e.code == "agreement_mismatch" for e in logs.items
        )
    finally:
        await store.close()
