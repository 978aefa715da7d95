"""The store's fleet methods: claims, one live run per service, schedule fires with one owner,
worker leases by the database's clock, cancel of a queued run."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from core.errors import RunActive
from core.store import Store, open_store


async def _services(store: Store, n: int) -> list[int]:
    c = await store.upsert_connector("A")
    return [await store.upsert_service(f"s{i}", source_id=c, destination_id=c) for i in range(n)]


async def test_each_queued_run_is_claimed_by_exactly_one_of_two_stores(store, tmp_path) -> None:
    ids = await _services(store, 6)
    queued = [await store.enqueue_run(sid, trigger="manual") for sid in ids]
    other = await open_store(store.location)
    try:
        w1 = await store.register_worker("h1", 1, 60)
        w2 = await other.register_worker("h2", 2, 60)

        async def drain(st: Store, wid: int) -> list[int]:
            got = []
            while (claim := await st.claim_run(wid)) is not None:
                got.append(claim.run_id)
                await asyncio.sleep(0)
            return got

        a, b = await asyncio.gather(drain(store, w1), drain(other, w2))
    finally:
        await other.close()
    assert sorted(a + b) == queued and not set(a) & set(b)
    runs = (await store.list_runs(limit=20)).items
    assert {r.status.value for r in runs} == {"running"}
    assert {r.host for r in runs if r.id in a} <= {"h1"} and {r.worker_id for r in runs} <= {w1, w2}


async def test_one_live_run_per_service(store) -> None:
    (sid,) = await _services(store, 1)
    run = await store.enqueue_run(sid, trigger="manual", options={"full": True})
    with pytest.raises(RunActive) as err:
        await store.enqueue_run(sid, trigger="manual")
    assert f"already has run {run} queued" in str(err.value)
    with pytest.raises(RunActive):
        await store.start_run(sid, sync_type="full", trigger="manual")
    wid = await store.register_worker("h", 1, 60)
    claim = await store.claim_run(wid)
    assert claim is not None and claim.options == {"full": True} and claim.service == "s0"
    assert await store.claim_run(wid) is None
    await store.update_run(run, status="success")
    assert await store.start_run(sid, sync_type="full", trigger="manual") > run


async def test_a_fire_has_one_owner_and_a_busy_service_skips(store) -> None:
    (sid,) = await _services(store, 1)
    first = await store.fire_schedule(sid, 1000.0, None)
    assert first[0] == "queued"
    assert await store.fire_schedule(sid, 1000.0, None) == ("taken", None)
    assert await store.fire_schedule(sid, 1060.0, None) == ("busy", first[1])
    assert await store.fire_schedule(sid, 1060.0, None) == ("taken", None)
    assert (await store.list_runs()).total == 1


async def test_a_worker_past_its_lease_is_lost_and_its_run_interrupted(store) -> None:
    ids = await _services(store, 2)
    runs = [await store.enqueue_run(sid, trigger="manual") for sid in ids]
    dead = await store.register_worker("h-dead", 1, 0.3)
    live = await store.register_worker("h-live", 2, 0.3)
    assert (await store.claim_run(dead)).run_id == runs[0]
    assert (await store.claim_run(live)).run_id == runs[1]
    step = await store.start_step(runs[0], "contacts")
    for _ in range(6):  # the live one beats every 0.1 s; the dead one never again
        await asyncio.sleep(0.1)
        assert await store.heartbeat_worker(live)
    assert await store.expire_workers() == [runs[0]]
    assert (await store.get_run(runs[0])).status.value == "interrupted"
    assert (await store.get_step(step)).status.value == "interrupted"
    assert (await store.get_run(runs[1])).status.value == "running"
    assert await store.heartbeat_worker(dead) is False  # it must drop what it held
    workers = {w.id: w for w in await store.list_workers(include_stopped=True)}
    assert workers[dead].status == "lost" and workers[live].status == "running"
    assert workers[live].runs_in_hand == 1 and not workers[live].stale
    assert [w.id for w in await store.list_workers()] == [live]


async def test_cancel_of_a_queued_run_ends_it_and_touch_reports_a_running_ones(store) -> None:
    a, b = await _services(store, 2)
    queued = await store.enqueue_run(a, trigger="manual")
    running = await store.start_run(b, sync_type="full", trigger="manual")
    await store.request_cancel(queued)
    assert (await store.get_run(queued)).status.value == "cancelled"
    assert await store.touch_run(running) is False
    await store.request_cancel(running)
    assert await store.touch_run(running) is True
    assert (await store.get_run(running)).status.value == "running"  # stops after its page


async def test_queued_runs_wait_for_a_worker_and_are_not_marked_dead(store) -> None:
    (sid,) = await _services(store, 1)
    run = await store.enqueue_run(sid, trigger="manual")
    assert await store.mark_interrupted() == []
    assert (await store.get_run(run)).status.value == "queued"


async def test_db_now_is_the_database_clock(store) -> None:
    import time

    assert abs(await store.db_now() - time.time()) < 2


def test_v5_migration_keeps_one_live_run_per_service(tmp_path) -> None:
    from core.store.sqlite.schema import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:4]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 4")
    conn.execute("INSERT INTO connectors (name) VALUES ('A')")
    conn.execute("INSERT INTO services (name, source_id, destination_id) VALUES ('s', 1, 1)")
    for _ in range(3):
        conn.execute("INSERT INTO runs (service_id, sync_type, trigger, status, started_at) "
                     "VALUES (1, 'full', 'manual', 'running', 1.0)")  # fmt: skip
    conn.commit()
    conn.close()

    async def go() -> list[str]:
        async with await open_store(path) as st:
            return [r.status.value for r in (await st.list_runs()).items]

    assert asyncio.run(go()) == ["running", "interrupted", "interrupted"]
