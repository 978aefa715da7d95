"""prune keeps the fleet's bookkeeping bounded: schedule fires and stopped or lost workers older
than the retention go; running workers and recent fires stay."""

from __future__ import annotations

from core.store import Store


async def test_prune_drops_old_fires_and_gone_workers(store: Store) -> None:
    c = await store.upsert_connector("A")
    sid = await store.upsert_service("s", source_id=c, destination_id=c)
    now = await store.db_now()
    old, recent = now - 40 * 86400, now - 60
    assert (await store.fire_schedule(sid, old, None))[0] == "queued"
    assert (await store.fire_schedule(sid, recent, None))[0] == "busy"
    gone = await store.register_worker("old", 1, 60)
    await store.stop_worker(gone)
    live = await store.register_worker("live", 2, 60)
    await store.prune(retention_days=30, reference=now)
    assert await store.fire_schedule(sid, recent, None) == ("taken", None)  # recent: kept
    assert (await store.fire_schedule(sid, old, None))[0] != "taken"  # old: pruned
    assert {w.id for w in await store.list_workers(include_stopped=True)} == {gone, live}
    await store.prune(retention_days=0, reference=now + 10)
    assert {w.id for w in await store.list_workers(include_stopped=True)} == {live}
