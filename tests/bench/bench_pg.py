# ruff: noqa: E501
"""PostgreSQL store benchmarks (not collected by pytest; prints figures). A throwaway cluster
on a loopback port (tests/pg_cluster.py), the same machine as the SQLite figures.

1. Pull + record of one run (the real engine pulling a sandbox CRM on 127.0.0.1, mapping,
   pushing to the sandbox ERP, recording every page, entity and call) into SQLite and into
   PostgreSQL, same data, alternating passes: records/s and the ratio.
2. The console's reads on a seeded PostgreSQL store (the demo history, --scale N): drill-down
   pages (runs, steps, pages, entities, calls), log grid pages, tiles, id search, log text
   search: p50 / p95 over repeated calls.
3. Status change to a console on another connection seeing it: LISTEN/NOTIFY vs the snapshot
   poll (every 0.5 s) vs the console's 5-second refresh (computed: half the interval on average).

Run:  .venv/bin/python tests/bench/bench_pg.py [--records 3000] [--scale 4] [--rounds 40]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bench_engine import config, start  # noqa: E402
from pg_cluster import Cluster  # noqa: E402

from core.config import parse_config  # noqa: E402
from core.config_io import apply  # noqa: E402
from core.demo.history import seed_history  # noqa: E402
from core.engine.runner import run_service  # noqa: E402
from core.store import open_store  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def one_run(location: str, crm: str, erp: str) -> tuple[float, int]:
    store = await open_store(location)
    try:
        await apply(store, parse_config(config(crm, erp, 100, True)), "")
        t = time.perf_counter()
        r = await run_service(store, "bench", environ={})
        return time.perf_counter() - t, r.pulled
    finally:
        await store.close()


async def throughput(pg: Cluster, records: int, passes: int) -> None:
    print(f"\n1. pull + record + push of one run, {records} records, 100 per page")
    crm_proc, crm = start("crm", records)
    rates: dict[str, list[float]] = {"sqlite": [], "postgres": []}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for i in range(passes):
                for backend in ("sqlite", "postgres"):
                    erp_proc, erp = start("erp")  # a fresh ERP: every record is a create
                    try:
                        if backend == "sqlite":
                            loc = str(Path(tmp) / f"run{i}.db")
                        else:
                            loc = await pg.create_database(f"run{i}", "tpl")
                        secs, n = await one_run(loc, crm, erp)
                    finally:
                        erp_proc.terminate()
                        erp_proc.wait()
                    rates[backend].append(n / secs)
                    print(
                        f"   pass {i + 1} {backend:8s} {n} records in {secs:.2f} s = {n / secs:,.0f} records/s"
                    )
        finally:
            crm_proc.terminate()
    s, p = statistics.median(rates["sqlite"]), statistics.median(rates["postgres"])
    print(
        f"   median: SQLite {s:,.0f} records/s, PostgreSQL {p:,.0f} records/s, ratio PG/SQLite {p / s:.2f}"
    )


async def timed(fn, rounds: int) -> tuple[float, float]:
    await fn()
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t) * 1000)
    return pct(out, 50), pct(out, 95)


async def reads(pg: Cluster, scale: int, rounds: int) -> None:
    url = await pg.create_database("seeded", "tpl")
    store = await open_store(url)
    t = time.perf_counter()
    totals = await seed_history(store, scale=scale)
    conn_url = url
    await store.close()
    import asyncpg

    conn = await asyncpg.connect(conn_url)
    await conn.execute("VACUUM ANALYZE")
    await conn.close()
    print(
        f"\n2. console reads on a seeded PostgreSQL store (demo --scale {scale}: {totals['calls']:,} calls, "
        f"{totals['entities']:,} entities, {totals['logs']:,} log events, {totals['runs']:,} runs; "
        f"seeded in {time.perf_counter() - t:.1f} s)"
    )
    store = await open_store(url)
    try:
        runs = await store.list_runs(limit=50)
        big = max(runs.items, key=lambda r: r.pulled)
        step = (await store.list_steps(big.id)).items[0]
        inst = (await store.list_instances(step.id)).items[0]
        ent = (await store.list_entities(step.id)).items[0]
        ext = ent.external_id
        mid = runs.items[len(runs.items) // 2].id
        cases = {
            "runs, first page (50)": lambda: store.list_runs(limit=50),
            "runs, a page back in time": lambda: store.list_runs(limit=50, after=mid),
            "runs of one service": lambda: store.list_runs(service=big.service, limit=50),
            "steps of a run": lambda: store.list_steps(big.id),
            "pages of a step": lambda: store.list_instances(step.id),
            "entities of a step": lambda: store.list_entities(step.id),
            "entities, failed only": lambda: store.list_entities(step.id, action="fail"),
            "calls of a page": lambda: store.list_calls(instance_id=inst.id),
            "log grid, first page": lambda: store.list_logs(limit=50),
            "log grid, errors only": lambda: store.list_logs(level="ERROR", limit=50),
            "tiles (30 days)": lambda: store.tiles(),
            "connector tiles": lambda: store.connector_tiles(),
            "id search (external id)": lambda: store.search_id(ext),
            "log text search (pg_trgm)": lambda: store.list_logs(text="required field", limit=50),
            "data_version (LISTEN)": lambda: store.data_version(),
        }
        for name, fn in cases.items():
            p50, p95 = await timed(fn, rounds)
            print(f"   {name:28s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
    finally:
        await store.close()


async def latency(pg: Cluster, rounds: int) -> None:
    print("\n3. a run's status change -> a console on another connection sees it")
    url = await pg.create_database("latency", "tpl")
    writer = await open_store(url)
    cid = await writer.upsert_connector("c")
    sid = await writer.upsert_service("s", source_id=cid, destination_id=cid)
    run = await writer.start_run(sid, sync_type="full", trigger="manual")
    for mode in ("notify", "poll"):
        console = await open_store(url)
        if mode == "poll":
            console.changes._tried = True  # as if LISTEN were impossible (a pooler): the fallback
        await console.data_version()
        seen = []
        for i in range(rounds):
            waiter = asyncio.create_task(console.wait_for_change(10))
            await asyncio.sleep(0.05 + (i % 7) * 0.07)  # not in step with the poll
            t = time.perf_counter()
            await writer.update_run(run, status="running" if i % 2 else "success")
            assert await waiter
            seen.append((time.perf_counter() - t) * 1000)
        print(
            f"   {mode:6s}: p50 {pct(seen, 50):7.1f} ms   p95 {pct(seen, 95):7.1f} ms   ({rounds} changes)"
        )
        await console.close()
    print("   5-second refresh alone: 2,500 ms on average, 5,000 ms at worst")
    await writer.close()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=3000)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--scale", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=40)
    args = ap.parse_args()
    with Cluster() as pg:
        tpl = await pg.create_database("tpl")
        await (await open_store(tpl)).close()
        print("PostgreSQL cluster: fsync off (throwaway), 127.0.0.1, same 2-core machine")
        await throughput(pg, args.records, args.passes)
        await latency(pg, args.rounds)
        await reads(pg, args.scale, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
