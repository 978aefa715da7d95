# ruff: noqa: E501
"""Fleet benchmarks (not collected by pytest; prints figures), on SQLite and on a throwaway
PostgreSQL cluster on a loopback port (tests/pg_cluster.py), same machine.

1. Claims: N queued runs (one per service) claimed by 1, 2 and 4 worker processes at once
   (each its own store connection, `claim_run` in a loop until the queue is empty): runs claimed
   per second, and duplicates (a run claimed by two workers: must be 0).
2. Throughput: 4 services of R records each (a sandbox CRM and ERP per service, separate
   processes on 127.0.0.1), queued at once, run by one `syncdeck worker --concurrency 1`
   (one after another) vs four of them: aggregate records/s from queueing to the last finish.

Run:  .venv/bin/python tests/bench/bench_fleet.py [--runs 400] [--records 2000] [--no-pg]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from core.store import open_store  # noqa: E402

# ---- 1. claims --------------------------------------------------------------------------------


async def seed_queue(location: str, n: int) -> None:
    async with await open_store(location) as st:
        c = await st.upsert_connector("c")
        for i in range(n):
            sid = await st.upsert_service(f"s{i:04d}", source_id=c, destination_id=c)
            await st.enqueue_run(sid, trigger="manual")


async def claimer(location: str, start_at: float) -> None:
    """One worker process: register, wait for the common start, claim until none is left."""
    async with await open_store(location) as st:
        wid = await st.register_worker("bench", os.getpid(), 60)
        await asyncio.sleep(max(0.0, start_at - time.time()))
        t0 = time.time()
        ids = []
        while (claim := await st.claim_run(wid)) is not None:
            ids.append(claim.run_id)
        print(json.dumps({"ids": ids, "t0": t0, "t1": time.time()}))


def claims_round(location: str, workers: int) -> tuple[float, int, int]:
    start_at = time.time() + 2.5  # every process has opened its store by then
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--claimer", location, str(start_at)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(workers)
    ]
    docs = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    ids = [i for d in docs for i in d["ids"]]
    span = max(d["t1"] for d in docs) - min(d["t0"] for d in docs)
    return len(ids) / span, len(ids), len(ids) - len(set(ids))


# ---- 2. throughput ----------------------------------------------------------------------------


def fleet_config(pairs: list[tuple[str, str]], per_page: int) -> str:
    out = ""
    for i, (crm, erp) in enumerate(pairs):
        out += f"""
[connectors.crm{i}]
base_url = "{crm}"
[connectors.erp{i}]
base_url = "{erp}"
rate_limit = {{ concurrency = 8 }}
[services.bench{i}]
source = "crm{i}"
destination = "erp{i}"
cooldown_minutes = 0
[[services.bench{i}.streams]]
name = "customers"
pull = {{ path = "/customers", params = {{ _per_page = {per_page} }}, data_selector = "data", paginator = {{ type = "page_number", page_param = "_page", total_path = "pages" }} }}
push = {{ create = "POST /accounts", update = "PATCH /accounts/{{id}}" }}
[services.bench{i}.streams.fields]
name = {{ from = "company.name", transforms = ["trim"] }}
email = {{ from = "email", transforms = ["lower"], required = true }}
source_id = {{ from = "id", transforms = ["string"] }}
"""
    return out


async def import_config(location: str, text: str, tmp: Path) -> None:
    from core.config_io import import_file

    path = tmp / "fleet.toml"
    path.write_text(text)
    async with await open_store(location) as st:
        await import_file(st, path, {})


async def finished(location: str) -> tuple[int, int]:
    async with await open_store(location, create=False) as st:
        page = await st.list_runs(limit=50)
        done = [r for r in page.items if r.status.finished]
        return len(done), sum(r.pulled for r in done)


def throughput_round(location: str, workers: int, records: int, tmp: Path) -> float:
    from bench_engine import start

    servers = []
    pairs = []
    for _ in range(4):
        crm, crm_url = start("crm", records)
        erp, erp_url = start("erp")
        servers += [crm, erp]
        pairs.append((crm_url, erp_url))
    env = {**os.environ, "SYNCDECK_HEARTBEAT": "1", "SYNCDECK_LEASE": "10"}
    procs = []
    try:
        asyncio.run(import_config(location, fleet_config(pairs, 100), tmp))
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "core.cli",
                    "worker",
                    "--tick",
                    "0.1",
                    "--concurrency",
                    "1",
                    "--db",
                    location,
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for _ in range(workers)
        ]
        time.sleep(2.5)  # the workers are up and idle
        t0 = time.perf_counter()
        for i in range(4):
            subprocess.run(
                [sys.executable, "-m", "core.cli", "run", f"bench{i}", "--queue", "--db", location],
                cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        while True:
            done, pulled = asyncio.run(finished(location))
            if done == 4:
                break
            time.sleep(0.1)
        return pulled / (time.perf_counter() - t0)
    finally:
        for p in procs + servers:
            p.terminate()
        for p in procs + servers:
            p.wait(timeout=30)


# ---- main -------------------------------------------------------------------------------------


def locations(use_pg: bool, tmp: Path):
    """(label, factory of a fresh store location) for each backend."""
    n = [0]

    def sqlite() -> str:
        n[0] += 1
        return str(tmp / f"fleet{n[0]}.db")

    yield "sqlite", sqlite
    if use_pg:
        from pg_cluster import Cluster

        cluster = Cluster().start()
        try:

            def pg() -> str:
                return asyncio.run(cluster.create_database(cluster.next_name("fleet")))

            yield "postgresql", pg
        finally:
            cluster.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=400)
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--claimer", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.claimer:
        asyncio.run(claimer(args.claimer[0], float(args.claimer[1])))
        return
    print(f"cpus: {os.cpu_count()}; load before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for label, fresh in locations(not args.no_pg, tmp):
            for workers in (1, 2, 4):
                loc = fresh()
                asyncio.run(seed_queue(loc, args.runs))
                rate, total, dups = claims_round(loc, workers)
                print(f"{label:10} claims  {workers} worker(s): {rate:8.0f} runs claimed/s "
                      f"({total} claimed, {dups} duplicates)")  # fmt: skip
            for workers in (1, 4):
                rate = throughput_round(fresh(), workers, args.records, tmp)
                print(f"{label:10} 4 services x {args.records} records, {workers} worker(s) "
                      f"--concurrency 1: {rate:8.0f} records/s")  # fmt: skip
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
