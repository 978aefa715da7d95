"""RunWatch: a live run renews its heartbeat (readers elsewhere tell it from a dead one) and
notices a cancel from any process, cutting a long wait short (both backends)."""

from __future__ import annotations

import asyncio
import time

from core.connectors.interrupt import Interrupt
from core.engine.watch import RunWatch


async def test_watch_beats_and_cuts_a_wait_short_on_cancel(store) -> None:
    cid = await store.upsert_connector("crm", base_url="https://crm.example")
    sid = await store.upsert_service("s", source_id=cid, destination_id=cid)
    rid = await store.start_run(sid, sync_type="full", trigger="manual")
    first = (await store.get_run(rid)).heartbeat_at
    interrupt = Interrupt()
    watch = RunWatch(store, rid, interrupt, poll=0.05, heartbeat=0.1)
    watch.start()
    try:
        await asyncio.sleep(0.5)
        assert (await store.get_run(rid)).heartbeat_at > first
        assert not interrupt.is_set
        waiting = asyncio.create_task(interrupt.sleep(30))  # a Retry-After: 30
        t0 = time.monotonic()
        await store.request_cancel(rid)
        assert await waiting is True
        assert time.monotonic() - t0 < 1.0
        assert interrupt.reason == "the run was cancelled" and not interrupt.send_nothing
    finally:
        await watch.stop()


async def test_halt_refuses_every_request_and_cancel_only_retries() -> None:
    from core.config import ConnectorConfig
    from core.connectors.client import Client

    cfg = ConnectorConfig.model_validate({"base_url": "http://127.0.0.1:9"})
    client = Client("x", cfg)
    try:
        interrupt = Interrupt()
        client.set_interrupt(interrupt)
        interrupt.cancel("the run was cancelled")
        assert not client._refused(1) and client._refused(2)  # page in flight: first tries go
        interrupt.halt("the store's disk is full, so nothing more was sent")
        ex = await client.request("POST", "/accounts", json={"a": 1})
        assert ex.calls == [] and ex.error.startswith("not sent: the store's disk is full")
    finally:
        await client.aclose()
