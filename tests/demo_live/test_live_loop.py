"""The live demo's engine loop in-process, fast: real servers on 127.0.0.1, the real engine."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from pathlib import Path

from core.demo.live import live_loop
from core.demo.live_api import SERVICE, LiveOptions, LiveWorld
from core.store import open_store

FAST = LiveOptions(
    customers=60,
    per_page=10,
    source_latency_ms=5,
    dest_latency_ms=2,
    rate_limit_every=4,
    retry_after="0",
    error_rate=0.15,
    seed=3,
    accounting=False,
)  # fmt: skip  (the Xero and QuickBooks services: test_accounting_sandboxes.py)


def _listening(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


async def test_two_live_runs_create_update_skip_fail_through_429s_and_500s(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    lines: list[str] = []
    started = await live_loop(
        db, interval=0, stop=asyncio.Event(), runs=2, say=lines.append, options=FAST
    )
    assert started == 2
    with sqlite3.connect(db) as conn:
        runs = conn.execute(
            "SELECT r.status, r.created, r.updated, r.skipped, r.failed, r.trigger FROM runs r "
            "JOIN services s ON s.id = r.service_id WHERE s.name = ? ORDER BY r.id",
            (SERVICE,),
        ).fetchall()
        codes = dict(conn.execute("SELECT status_code, count(*) FROM api_calls GROUP BY 1"))
        skips = [r for (r,) in conn.execute("SELECT DISTINCT reason FROM entities WHERE "
                                            "action = 'skip'")]  # fmt: skip
    assert [r[0] in ("success", "partial") for r in runs] == [True, True], runs
    first, second = runs
    assert first[1] > 0 and first[3] > 0  # created; skipped (no email, unmapped plan)
    assert second[2] > 0  # the source changed between runs: updates
    assert {r[5] for r in runs} == {"schedule"}
    assert codes.get(429, 0) > 0 and codes.get(500, 0) > 0  # retried, and recorded
    assert any("email" in r for r in skips) and any("plans" in r or "bronze" in r for r in skips)
    assert any("stopped" in line for line in lines)


async def test_unmapped_values_are_noted_for_the_mapping_grid(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    await live_loop(db, interval=0, stop=asyncio.Event(), runs=1, say=lambda _: None,
                    options=FAST)  # fmt: skip
    async with await open_store(db, create=False) as store:
        svc = await store.get_service(SERVICE)
        mappings = await store.list_value_mappings(svc.id, "plans")
    unmapped = [m.source_value for m in mappings if m.status.value == "unmapped"]
    assert unmapped == ["bronze"]


async def test_stop_cancels_the_run_in_flight_and_closes_both_ports(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    stop = asyncio.Event()
    slow = LiveOptions(customers=200, per_page=5, source_latency_ms=200, rate_limit_every=0)
    lines: list[str] = []
    task = asyncio.create_task(live_loop(db, interval=0, stop=stop, say=lines.append, options=slow))
    for _ in range(100):
        await asyncio.sleep(0.1)
        if lines:
            break
    urls = lines[0].split()[1], lines[0].split()[4]
    assert all(_listening(u) for u in urls)
    await asyncio.sleep(1.0)  # a run is under way
    stop.set()
    await asyncio.wait_for(task, 5)
    assert not any(_listening(u) for u in urls)
    with sqlite3.connect(db) as conn:
        (status,) = conn.execute("SELECT status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    assert status == "cancelled"


def test_churn_changes_the_source() -> None:
    world = LiveWorld(FAST)
    before = len(world.crm.customers)
    change = world.churn()
    assert change["edited"] > 0 and len(world.crm.customers) == before + change["added"]


def _failing(world: LiveWorld) -> tuple[int, int]:
    """Customers the ERP refuses (a 'reject' email) and customers with no email (skipped)."""
    refused = sum("reject" in str(c.get("email", "")) for c in world.crm.customers)
    return refused, sum("email" not in c for c in world.crm.customers)


def test_an_hour_of_churn_keeps_the_failures_steady() -> None:
    """Every run is a full pull, so a refused customer fails again each run until its address is
    fixed: if nobody ever fixed one, the demo's failed count climbed run after run (1, 3, 5 ...
    11 after 15 runs). Over 120 runs (an hour at 30 s) the failing and skipped records stay few."""
    world = LiveWorld(LiveOptions(seed=11))
    _, no_email_at_start = _failing(world)
    seen = []
    for _ in range(120):
        world.churn()
        seen.append(_failing(world))
    refused = [r for r, _ in seen]
    assert max(refused) <= 8, refused
    assert sum(r > 0 for r in refused) >= 60  # still something to fail most runs
    assert max(n for _, n in seen) <= no_email_at_start + 6, seen
    assert len(world.crm.customers) <= 240 + 120 * 3
