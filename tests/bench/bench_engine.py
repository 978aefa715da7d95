# ruff: noqa: E501
"""Engine benchmarks against loopback servers (not collected by pytest; prints figures).

1. Pull throughput: the engine (pull, map, record every page, entity and call in the store)
   vs a bare httpx loop with the same concurrency against the same server.
   Then the same comparison against a CRM that answers each page after a fixed latency
   (--latency, default 20 and 100 ms, like a real SaaS API), same concurrency for both.
2. 100,000 records end to end (pull, map, POST each to the ERP, record) and the RSS growth,
   after a bare httpx POST loop with the ERP's concurrency (the ceiling of end to end).

Servers run in subprocesses so their memory does not count. Run:
    .venv/bin/python tests/bench/bench_engine.py [--records 100000] [--latency 20,100] [--no-e2e]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.config import parse_config  # noqa: E402
from core.config_io import apply  # noqa: E402
from core.engine.runner import run_service  # noqa: E402
from core.sandbox import free_port  # noqa: E402
from core.store import open_store  # noqa: E402

CONCURRENCY = 4
ROUNDS = 5


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def start(kind: str, records: int = 0, latency_ms: float = 0) -> tuple[subprocess.Popen, str]:
    port = free_port()
    argv = [sys.executable, "-m", "core.sandbox.serve", kind, str(port), str(records)]
    proc = subprocess.Popen([*argv, str(latency_ms)] if latency_ms else argv, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/", timeout=0.2)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{kind} server did not start")


def config(crm: str, erp: str, per_page: int, push: bool) -> str:
    push_line = (
        'push = { create = "POST /accounts", update = "PATCH /accounts/{id}" }\n' if push else ""
    )
    return f"""
[connectors.crm]
base_url = "{crm}"
rate_limit = {{ concurrency = {CONCURRENCY} }}
[connectors.erp]
base_url = "{erp}"
rate_limit = {{ concurrency = {CONCURRENCY * 4} }}
[services.bench]
source = "crm"
destination = "erp"
[[services.bench.streams]]
name = "customers"
pull = {{ path = "/customers", params = {{ _per_page = {per_page} }}, data_selector = "data", paginator = {{ type = "page_number", page_param = "_page", total_path = "pages" }} }}
{push_line}[services.bench.streams.fields]
name = {{ from = "company.name", transforms = ["trim"] }}
email = {{ from = "email", transforms = ["lower"], required = true }}
source_id = {{ from = "id", transforms = ["string"] }}
"""


async def bare_pull(url: str, pages: int, per_page: int) -> tuple[float, int]:
    sem = asyncio.Semaphore(CONCURRENCY)
    n = 0
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=CONCURRENCY * 2)) as c:

        async def one(p: int) -> None:
            nonlocal n
            async with sem:
                r = await c.get(url + "/customers", params={"_per_page": per_page, "_page": p})
                n += len(r.json()["data"])

        t = time.perf_counter()
        await asyncio.gather(*(one(p) for p in range(1, pages + 1)))
        return time.perf_counter() - t, n


async def bare_push(url: str, n: int, concurrency: int) -> float:
    """The ceiling of end to end: one POST per record, no pull, no store."""
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency * 2)) as c:

        async def one(i: int) -> None:
            async with sem:
                body = {"name": f"Bench {i}", "email": f"bench{i}@example.com", "source_id": str(i)}
                r = await c.post(url + "/accounts", json=body)
                assert r.status_code == 201, r.status_code

        t = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return time.perf_counter() - t


async def engine(crm: str, erp: str, per_page: int, push: bool, tmp: str, tag: str):
    store = await open_store(Path(tmp) / f"{tag}.db")
    await apply(store, parse_config(config(crm, erp, per_page, push)), "")
    t = time.perf_counter()
    r = await run_service(store, "bench", environ={})
    dt = time.perf_counter() - t
    await store.close()
    return dt, r


async def compare_pull(
    records: int, per_page: int, tmp: str, latency_ms: float, rounds: int
) -> tuple[float, float]:
    """Bare loop vs engine, alternating, best of `rounds` each. Returns (bare, engine) rec/s."""
    crm, crm_url = start("crm", records, latency_ms)
    erp, erp_url = start("erp")
    try:
        pages = -(-records // per_page)
        await bare_pull(crm_url, 5, per_page)  # warm up
        # Alternate the two, so a busy machine slows both alike; best of rounds each.
        bare, eng = [], []
        cpu_bare, cpu_eng = [], []  # CPU of this process (all threads): steadier than wall time
        for i in range(rounds):
            c = time.process_time()
            bare.append(await bare_pull(crm_url, pages, per_page))
            cpu_bare.append(time.process_time() - c)
            c = time.process_time()
            eng.append(
                await engine(crm_url, erp_url, per_page, False, tmp, f"pull{latency_ms}-{i}")
            )
            cpu_eng.append(time.process_time() - c)
        bare_t, bare_n = min(bare)
        eng_t, r = min(eng, key=lambda x: x[0])
        assert r.pulled == bare_n == records, (r.pulled, bare_n)
        med = sorted(b[0] for b in bare)[rounds // 2] / sorted(e[0] for e in eng)[rounds // 2]
        print(
            f"pull, latency {latency_ms:g} ms per page: {bare_n} records, {pages} pages of "
            f"{per_page}, concurrency {CONCURRENCY}"
        )
        print(f"  bare httpx loop:        {bare_n / bare_t:10.0f} records/s")
        print(f"  engine (recorded):      {r.pulled / eng_t:10.0f} records/s")
        print(
            f"  engine / bare:          {bare_t / eng_t * 100:9.1f} % (medians: {med * 100:.1f} %)"
        )
        print(
            f"  client CPU per record:  {min(cpu_bare) / bare_n * 1e6:9.1f} us bare, "
            f"{min(cpu_eng) / r.pulled * 1e6:.1f} us engine (best of {rounds})"
        )
        return bare_n / bare_t, r.pulled / eng_t
    finally:
        crm.terminate()
        erp.terminate()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pull-records", type=int, default=20_000)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--latency", default="20,100", help="ms per page, comma-separated ('' none)")
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    ap.add_argument("--no-e2e", action="store_true", help="pull figures only")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    await compare_pull(args.pull_records, 100, tmp, 0, args.rounds)
    for latency in [float(x) for x in args.latency.split(",") if x.strip()]:
        await compare_pull(args.pull_records, 100, tmp, latency, args.rounds)
    if args.no_e2e:
        return
    crm, crm_url = start("crm", args.records)
    erp, erp_url = start("erp")
    try:
        n = min(args.records, 5000)
        bare_t = await bare_push(erp_url, n, CONCURRENCY * 4)
        print(f"bare httpx POST loop, concurrency {CONCURRENCY * 4}: {n / bare_t:.0f} records/s")
        before = rss_mb()
        dt, r = await engine(crm_url, erp_url, 500, True, tmp, "e2e")
        after = rss_mb()
        print(f"end to end: {r.pulled} records pulled, {r.created} created, {r.status.value}")
        print(f"  duration:               {dt:9.1f} s ({r.pulled / dt:.0f} records/s)")
        print(
            f"  RSS before / after:     {before:9.1f} / {after:.1f} MB (growth {after - before:.1f} MB)"  # noqa: E501
        )
    finally:
        crm.terminate()
        erp.terminate()


if __name__ == "__main__":
    asyncio.run(main())
