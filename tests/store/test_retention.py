"""Retention: delete what is older than the window; compress payloads in place, read back same."""

from __future__ import annotations

import json

from core.store import Batch, CallRow, EntityRow, LogRow, Store

DAY = 86400
REF = 1_800_000_000.0

BODIES = [
    '{"email": "a@example.com", "name": "Zoë Ünïcödé 🚀"}',
    "",
    "x" * 200_000,
    json.dumps({"lines": [{"sku": f"SKU-{i}", "qty": i} for i in range(500)]}),
    "\x1b[31mraw escape\x07 bytes kept as sent\x00 with a NUL",
]


async def _history(store: Store) -> dict[str, int]:
    """One old run (40 days ago), one recent (2 days ago), one still running from 40 days ago."""
    c = await store.upsert_connector("ConnectWise")
    svc = await store.upsert_service("svc", source_id=c, destination_id=c)
    ids = {}
    for name, age, status in (("old", 40, "success"), ("new", 2, "failed"),
                              ("stuck", 40, "running")):  # fmt: skip
        t = REF - age * DAY
        run = await store.start_run(svc, sync_type="full", trigger="manual", started_at=t)
        if status != "running":
            await store.update_run(run, status=status, finished_at=t + 10)
        step = await store.start_step(run, "contacts", started_at=t)
        if status != "running":
            await store.update_step(step, status="success", finished_at=t + 10)
        inst = await store.add_instance(step, run, page=1, method="GET", url="u", started_at=t)
        await store.write_batch(Batch(
            entities=[EntityRow(step_id=step, run_id=run, external_id=f"{name}-{k}",
                                action="create", status="success", created_at=t,
                                calls=[CallRow(run_id=run, method="POST", url="u", started_at=t,
                                               connector_id=c, request_body=body,
                                               response_body=body[::-1])])
                      for k, body in enumerate(BODIES)],
            calls=[CallRow(run_id=run, method="GET", url="u", started_at=t, instance_id=inst)],
            logs=[LogRow(ts=t, level="ERROR", kind="event", title=f"{name} failed",
                         connector_id=c)],
        ))  # fmt: skip
        ids[name] = run
    return ids


async def _count(store: Store, table: str) -> int:
    return int(await store._scalar(f"SELECT COUNT(*) FROM {table}"))


async def test_prune_deletes_old_rows_keeps_recent_and_running(store: Store) -> None:
    ids = await _history(store)
    before = {t: await _count(store, t) for t in ("runs", "entities", "api_calls", "log_events")}
    report = await store.prune(retention_days=30, reference=REF, payload_keep_hours=None)
    assert report.deleted["runs"] == 1  # the old finished run; the stuck one stays
    assert report.deleted["entities"] == 2 * len(BODIES)  # old and stuck runs' entities
    assert report.deleted["api_calls"] == 2 * (len(BODIES) + 1)
    assert report.deleted["log_events"] == 2
    assert report.cutoff == REF - 30 * DAY
    assert await _count(store, "runs") == before["runs"] - 1
    remaining = [r.id for r in (await store.list_runs(limit=100)).items]
    assert sorted(remaining) == sorted([ids["new"], ids["stuck"]])
    new_steps = await store.list_steps(ids["new"])
    assert (await store.list_entities(new_steps.items[0].id)).total == len(BODIES)
    # the recent history is untouched and still searchable
    assert (await store.search_id("new-0")).total == 1
    assert (await store.search_id("old-0")).total == 0
    assert (await store.list_logs(text="new failed")).total == 1
    assert (await store.list_logs(text="old failed")).total == 0
    # a second prune has nothing left to do
    again = await store.prune(retention_days=30, reference=REF, payload_keep_hours=None)
    assert sum(again.deleted.values()) == 0


async def test_prune_keeps_tiles_consistent(store: Store, monkeypatch) -> None:
    from core.store.postgres import log_reads as pg_reads
    from core.store.sqlite import log_reads as reads

    for module in (reads, pg_reads):
        monkeypatch.setattr(module, "now", lambda: REF)
    await _history(store)
    assert (await store.tiles(days=60)).errors == 3
    await store.prune(retention_days=30, reference=REF, payload_keep_hours=None)
    assert (await store.tiles(days=60)).errors == 1
    assert await _count(store, "log_counts") == 1  # the emptied day counters are gone


async def test_payload_compression_round_trip_is_byte_identical(store: Store) -> None:
    ids = await _history(store)
    calls_before = {}
    for name in ("old", "new", "stuck"):
        steps = await store.list_steps(ids[name])
        for e in (await store.list_entities(steps.items[0].id, limit=100)).items:
            for call in (await store.list_calls(entity_id=e.id)).items:
                calls_before[call.id] = call
    assert {c.request_body for c in calls_before.values()} == set(BODIES)
    raw_before = dict(
        await store._all("SELECT call_id, length(request_body) FROM payloads")  # type: ignore
    )

    done = await store.compress_payloads(REF - 7 * DAY)
    assert done == 2 * len(BODIES)  # the old and the stuck run's payloads, not the recent ones
    assert await store.compress_payloads(REF - 7 * DAY) == 0  # idempotent

    packed = await store._all("SELECT call_id, compressed, request_body FROM payloads")
    for call_id, compressed, body in packed:
        created = calls_before[call_id].started_at.timestamp()
        assert compressed == (1 if created < REF - 7 * DAY else 0)
        if compressed:
            assert isinstance(body, bytes)
    big = [cid for cid, c in calls_before.items() if c.request_body == BODIES[2]]
    sizes = dict((r[0], r[1]) for r in await store._all(
        "SELECT call_id, length(request_body) FROM payloads"))  # fmt: skip
    assert any(sizes[cid] < raw_before[cid] / 50 for cid in big)  # it really shrank

    for call_id, before in calls_before.items():
        after = await store.get_call(call_id)
        assert after.request_body == before.request_body
        assert after.response_body == before.response_body
        assert after.request_body.encode() == before.request_body.encode()


async def test_prune_drops_old_payloads_then_compresses_the_rest(store: Store) -> None:
    await _history(store)
    # keep payloads 3 days: the recent run's (2 days old) stay, others are dropped with the rows
    report = await store.prune(
        retention_days=60, compress_after_days=1, payload_keep_hours=72, reference=REF
    )
    assert report.payloads_dropped == 2 * len(BODIES)
    assert report.payloads_compressed == len(BODIES)
    assert await _count(store, "payloads") == len(BODIES)
    assert await _count(store, "api_calls") == 3 * (len(BODIES) + 1)  # calls stay, bodies go
    bodies = await store._all(
        "SELECT a.id FROM api_calls a JOIN payloads p ON p.call_id = a.id ORDER BY a.id"
    )
    for (call_id,) in bodies:
        call = await store.get_call(call_id)
        assert call.request_body in BODIES and call.response_body[::-1] in BODIES


async def test_prune_of_an_empty_store(store: Store) -> None:
    report = await store.prune(reference=REF)
    assert sum(report.deleted.values()) == 0
    assert (report.payloads_dropped, report.payloads_compressed) == (0, 0)
