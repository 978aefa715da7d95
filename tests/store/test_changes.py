"""Change detection: a console on one connection sees what a worker on another commits
(data_version moves, wait_for_change wakes), on both backends; on PostgreSQL one NOTIFY per
committed page or status change (never per row), and the snapshot poll when LISTEN is out."""

from __future__ import annotations

import asyncio
import time

import pytest

from core.store import Batch, CallRow, Counts, EntityRow, LogRow, Store, open_store


def _page(run: int, step: int, n: int) -> Batch:
    t = time.time()
    return Batch(
        entities=[
            EntityRow(step_id=step, run_id=run, external_id=f"E-{i}", action="create",
                      status="success", created_at=t,
                      calls=[CallRow(run_id=run, method="POST", url="http://x/a", started_at=t)])
            for i in range(n)
        ],
        logs=[LogRow(ts=t, level="INFO", kind="event", title=f"row {i}") for i in range(n)],
        run_id=run, run_counts=Counts(pulled=n), step_id=step, step_counts=Counts(processed=n),
    )  # fmt: skip


async def _moved(console: Store, before: int, within: float) -> bool:
    deadline = time.perf_counter() + within
    while await console.data_version() == before:
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


async def _worker_run(worker: Store) -> tuple[int, int]:
    cid = await worker.upsert_connector("crm")
    sid = await worker.upsert_service("svc", source_id=cid, destination_id=cid)
    run = await worker.start_run(sid, sync_type="full", trigger="manual")
    return run, await worker.start_step(run, "customers")


async def test_a_console_sees_a_worker_on_another_connection(store_location: str) -> None:
    worker = await open_store(store_location)
    console = await open_store(store_location)
    try:
        run, step = await _worker_run(worker)
        before = await console.data_version()
        assert await console.data_version() == before  # idle: nothing moves
        await worker.write_batch(_page(run, step, 5))
        # PostgreSQL's notification crosses a connection of its own: allow it a moment
        assert await _moved(console, before, within=1.0)
        assert (await console.get_run(run)).pulled == 5
        # a status change wakes a waiting console long before its 5-second refresh
        waiting = asyncio.create_task(console.wait_for_change(5))
        await asyncio.sleep(0.05)
        t = time.perf_counter()
        await worker.update_run(run, status="success", finished_at=time.time())
        assert await waiting
        assert time.perf_counter() - t < 1.0
        assert (await console.get_run(run)).status == "success"
        assert not await console.wait_for_change(0.3)  # and nothing else happened
    finally:
        await worker.close()
        await console.close()


async def _notifications(url: str, action) -> list[str]:
    import asyncpg

    from core.store.postgres.base import CHANNEL

    got: list[str] = []
    conn = await asyncpg.connect(url)
    await conn.add_listener(CHANNEL, lambda *args: got.append(args[3]))
    try:
        await action()
        await asyncio.sleep(0.2)
    finally:
        await conn.close()
    return got


async def test_postgres_notifies_once_per_page_and_status_change(pg_location: str) -> None:
    store_location = pg_location
    worker = await open_store(store_location)
    try:
        run, step = await _worker_run(worker)
        got = await _notifications(
            store_location, lambda: worker.write_batch(_page(run, step, 200))
        )
        assert got == ["batch"]  # 200 entities, 200 calls, 200 logs: one notification
        got = await _notifications(
            store_location, lambda: worker.update_run(run, status="cancelled")
        )
        assert got == [f"run {run} cancelled"]

        async def fails() -> None:
            with pytest.raises(ValueError):
                await worker.update_run(run, no_such_field=1)

        assert await _notifications(store_location, fails) == []  # nothing committed: silent
    finally:
        await worker.close()


async def test_postgres_poll_fallback_without_listen(pg_location: str) -> None:
    store_location = pg_location
    worker = await open_store(store_location)
    console = await open_store(store_location)
    try:
        console.changes._tried = True  # as if LISTEN were impossible (a pooler)
        run, step = await _worker_run(worker)
        before = await console.data_version()
        assert not console.changes.listening
        await worker.write_batch(_page(run, step, 3))
        assert await console.data_version() != before
    finally:
        await worker.close()
        await console.close()
